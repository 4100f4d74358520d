"""Accessibility beyond axe's page checks (which run on every page, tests/browser/conftest.py):
a form's errors are announced, and the cadre's main pages fit a 375 px phone without scrolling
sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stationing.services import report_get_or_create_draft, work_plan_get_or_create

from .test_reports import PHONE_375, stationed, today  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_form_errors_are_announced(world, new_page, sign_in, live_server):
    """A bad ticket form comes back with an alert summary, and each field in error is marked
    invalid and described by its own error message (what a screen reader reads on focus)."""
    page = sign_in(new_page(viewport=PHONE_375), "cadre_a")
    page.goto(live_server.url + reverse("ticket-create"))
    page.get_by_label("标题").fill("")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    summary = page.get_by_test_id("form-errors")
    expect(summary).to_be_visible()
    assert summary.get_attribute("role") == "alert"
    fields = page.locator("main [aria-invalid=true]")
    assert fields.count() >= 2  # category and title, at least
    for index in range(fields.count()):
        field = fields.nth(index)
        name = field.get_attribute("name")
        described_by = (field.get_attribute("aria-describedby") or "").split()
        errors = [i for i in described_by if i.endswith("_error")]
        assert errors, f"{name}: aria-describedby does not name its error ({described_by})"
        message = page.locator(f"#{errors[0]}")
        expect(message).to_be_visible()
        assert message.inner_text().strip(), name
    title = page.locator("main [name=title]")
    assert title.get_attribute("aria-invalid") == "true"
    expect(page.locator(f"#{title.get_attribute('id')}_error")).to_contain_text("标题")


def no_sideways_scroll(page, what):
    sizes = page.evaluate(
        "() => { const e = document.scrollingElement;"
        " return {scroll: e.scrollWidth, client: e.clientWidth}; }"
    )
    assert sizes["scroll"] <= sizes["client"], f"{what} scrolls sideways on a phone: {sizes}"


def test_cadre_pages_fit_a_phone(world, stationed, new_page, sign_in, live_server):  # noqa: F811
    report = report_get_or_create_draft(assignment=world.assignment_a, period=stationed, by=None)
    plan = work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=None)
    page = sign_in(new_page(viewport=PHONE_375), "cadre_a")
    pages = {
        "home": reverse("home"),
        "report form": reverse("report-edit", args=[report.pk]),
        "ticket form": reverse("ticket-create"),
        "plan form": reverse("plan-edit", args=[plan.pk]),
        "plan page": reverse("plan-detail", args=[plan.pk]),
    }
    for what, url in pages.items():
        page.goto(live_server.url + url)
        assert page.url == live_server.url + url, (what, page.url)
        no_sideways_scroll(page, what)
