"""Each role signs in through the login form and gets a Chinese home page (cadres on a phone)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

# Latin words that may legitimately appear in the Chinese UI: the language menu, product names.
ALLOWED_LATIN = {"English", "API", "Excel"}

ROLES = [
    # (world user, role label on the page, viewport)
    ("office", "督查室", DESKTOP),
    ("cadre_a", "驻企干部", PHONE),
    ("department", "职能部门", DESKTOP),
    ("enterprise_a", "企业联络人", PHONE),
    ("leader", "领导", DESKTOP),
]


@pytest.mark.parametrize(("username", "label", "viewport"), ROLES, ids=[r[0] for r in ROLES])
def test_home_page_in_chinese(
    transactional_db, world, new_page, sign_in, artifacts, username, label, viewport
):
    page = sign_in(new_page(viewport=viewport), username)
    heading = page.locator("h1").inner_text()
    assert "您好" in heading
    assert label in page.get_by_test_id("home-roles").inner_text()
    whoami = page.get_by_test_id("whoami")
    if viewport is PHONE:
        # On a phone the name and roles are behind the menu button.
        page.get_by_role("button", name="菜单").click()
    expect(whoami).to_be_visible()
    assert label in whoami.inner_text()

    # No English fallback: outside the allowed words and the user's own login name, the visible
    # text has no Latin words (an untranslated Django or third-party string would show here).
    text = page.locator("body").inner_text()
    latin = set(re.findall(r"[A-Za-z]{3,}", text)) - ALLOWED_LATIN - {username}
    assert not latin, f"English on the {username} home page: {sorted(latin)}"

    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    assert not page.problems, page.problems
    page.screenshot(path=str(artifacts / f"home-{username}.png"), full_page=True)
