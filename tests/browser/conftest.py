"""Playwright driving Debian's chromium against pytest-django's live server.

We use the system browser (`apt-get install chromium fonts-wqy-microhei`), not Playwright's
downloaded one: government build machines have no access to Playwright's CDN. Without chromium
the browser tests are skipped on a laptop but fail under CI=true, so CI cannot pass by skipping.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop in the test thread while it runs, and Django's
    ORM refuses to work in a thread with a running loop unless told the use is deliberate. Here
    it is: fixtures and database teardown run between Playwright calls, never in a coroutine.

    Module scope, so it covers pytest-django's database teardown after each test and ends with
    Playwright: every other test keeps Django's normal check.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def chromium(allow_orm_beside_playwright):
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes", "on"):
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """new_page(viewport=...) -> a page in a fresh Chinese-language context (no shared cookies).

    Every page records JavaScript errors and failed requests in `page.problems`, so a test can
    assert that the page loaded cleanly (CSP violations and missing static files show up here).
    """
    contexts = []

    def make(viewport=DESKTOP):
        context = chromium.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
        # A failed request also logs a console error without its URL; the response handler
        # below reports it with the URL instead (and leaves out the browser's favicon probe).
        page.on(
            "console",
            lambda message: (
                page.problems.append(f"console: {message.text}")
                if message.type == "error"
                and not message.text.startswith("Failed to load resource")
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                page.problems.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400 and not response.url.endswith("/favicon.ico")
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, username) goes through the real login form and lands on the home page."""

    def submit(page, username, password=PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return submit


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
