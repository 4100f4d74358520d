"""The homes of issue 12 in a browser: the office console's one-click reminder (told once a day),
the cadre's home one-handed on a phone (375 px, large tap targets), and every role's home at
1366 and 375 px, screenshots in test-artifacts/."""

import pytest
from playwright.sync_api import expect

from notifications.delivery import notify
from stationing.services import programme_sync_periods
from supervision.choices import TicketState

from ..factories import make_ticket

WIDE = {"width": 1366, "height": 900}
NARROW = {"width": 375, "height": 812}


@pytest.fixture
def data(world):
    programme_sync_periods(programme=world.programme)
    make_ticket(world, TicketState.ASSIGNED, title="新厂区用电增容", leader=world.leader)
    make_ticket(world, TicketState.ANSWERED, title="排污许可续期")
    make_ticket(world, by=world.cadre_b, enterprise=world.ent_b, title="乙企业融资对接")
    notify(
        kind="ticket_urged",
        recipients=[world.cadre_a],
        object_key="demo:1",
        subject="请跟进用电增容诉求",
        body="督查室提醒",
    )
    return world


def test_office_console_reminds_once_a_day(transactional_db, data, new_page, sign_in, artifacts):
    page = sign_in(new_page(viewport=WIDE), "office")
    missing = page.get_by_test_id("console-missing-units")
    expect(missing).to_be_visible()
    rows = missing.get_by_test_id("missing-row")
    assert rows.count() == 2  # both dispatching units owe the period that fell due
    page.screenshot(path=str(artifacts / "homes-office-1366.png"), full_page=True)
    rows.first.get_by_test_id("chase").click()
    expect(page.locator(".alert")).to_contain_text("已向 1 名干部发送催报提醒；0 名今天已提醒过")
    page.get_by_test_id("console-missing-units").get_by_test_id("missing-row").first.get_by_test_id(
        "chase"
    ).click()
    expect(page.locator(".alert")).to_contain_text("已向 0 名干部发送催报提醒；1 名今天已提醒过")
    page.get_by_test_id("missing-row").first.get_by_test_id("missing-count").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 条")
    assert not page.problems, page.problems


def test_cadre_home_on_a_phone(transactional_db, data, new_page, sign_in, artifacts):
    page = sign_in(new_page(viewport=NARROW), "cadre_a")
    tickets = page.get_by_test_id("cadre-ticket")
    expect(tickets).to_have_count(2)
    assert "乙企业融资对接" not in page.locator("body").inner_text()
    expect(page.get_by_test_id("home-unread-count")).not_to_have_text("0")
    # Large tap targets: rows and cards at least 44 px high, buttons at least 40 px, full width.
    targets = ("cadre-unread", "cadre-open", "my-reports")
    for locator in (tickets.first, *(page.get_by_test_id(t).first for t in targets)):
        box = locator.bounding_box()
        assert box["height"] >= 40, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    page.screenshot(path=str(artifacts / "homes-cadre-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not page.problems, page.problems


@pytest.mark.parametrize("username", ["office", "cadre_a", "department", "enterprise_a", "leader"])
def test_homes_at_both_widths(transactional_db, data, new_page, sign_in, artifacts, username):
    for name, viewport in (("1366", WIDE), ("375", NARROW)):
        page = sign_in(new_page(viewport=viewport), username)
        expect(page.locator("h1")).to_contain_text("您好")
        page.screenshot(path=str(artifacts / f"homes-{username}-{name}.png"), full_page=True)
        assert not page.problems, page.problems
