"""Dropdowns without Ctrl-click: the assign form's 协办单位 takes two units by clicking and
typing, each shown as a removable chip, and a long list (承办单位, more than 15 units) is
searchable, with 无匹配结果 when nothing matches. The page loads without a CSP violation."""

import re

import pytest
from playwright.sync_api import expect

from supervision.choices import TicketState
from supervision.models import Ticket

from ..factories import UnitFactory, make_ticket
from .conftest import DESKTOP

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def many_units(world):
    """Enough responsible units in the county that the 承办单位 list needs a search box."""
    return [UnitFactory(name=f"示范县第{n}办公室", parent=world.county) for n in range(1, 19)]


def tom_select(page, name):
    """The searchable control that replaced the <select> named `name` (assign form)."""
    select = page.locator(f"select[name='assign-{name}']")
    select_id = select.get_attribute("id")
    return select, page.locator(f".ts-wrapper[data-enhanced-select='{select_id}']")


def test_co_units_without_ctrl_and_a_searchable_long_list(
    world, many_units, new_page, sign_in, live_server, artifacts
):
    ticket = make_ticket(world, TicketState.SUBMITTED)
    page = sign_in(new_page(viewport=DESKTOP), "office")
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    page.get_by_test_id("action-button-assign").click()
    form = page.get_by_test_id("action-assign")
    expect(form).to_be_visible()

    # 承办单位: more than 15 units, so a search box; a miss says so in Chinese.
    unit_select, unit_box = tom_select(page, "responsible_unit")
    # Tom Select keeps the <select> (visually hidden) and posts its value.
    expect(unit_select).to_have_class(re.compile(r"\bts-hidden-accessible\b"))
    expect(unit_box).to_be_visible()
    unit_box.click()
    unit_input = unit_box.locator("input").first
    unit_input.fill("没有这个单位")
    expect(unit_box.locator(".no-results")).to_have_text("无匹配结果")
    unit_input.fill("第17")
    options = unit_box.locator(".ts-dropdown .option")
    expect(options).to_have_count(1)
    options.first.click()
    assert unit_select.input_value() == str(many_units[16].pk)

    # 协办单位: two units by clicking, no Ctrl; each a chip with a remove button.
    co_select, co_box = tom_select(page, "co_units")
    expect(co_box).to_be_visible()
    co_box.click()
    co_input = co_box.locator("input").first
    co_input.fill("财政")
    co_box.locator(".ts-dropdown .option", has_text=world.finance_bureau.name).click()
    co_input.fill("发展")
    co_box.locator(".ts-dropdown .option", has_text=world.dev_bureau.name).click()
    chips = co_box.locator(".ts-control .item")
    expect(chips).to_have_count(2)
    expect(chips.first.locator(".remove")).to_have_attribute("title", "移除")
    chosen = co_select.evaluate("s => Array.from(s.selectedOptions).map(o => o.value)")
    assert sorted(chosen) == sorted([str(world.finance_bureau.pk), str(world.dev_bureau.pk)])
    page.keyboard.press("Escape")
    page.screenshot(path=str(artifacts / "selects-assign-co-units.png"), full_page=True)

    # A chip can be taken off again, and the form posts what the chips show.
    co_input.fill("第3")
    co_box.locator(".ts-dropdown .option", has_text="示范县第3办公室").click()
    expect(chips).to_have_count(3)
    chips.nth(2).locator(".remove").click()
    expect(chips).to_have_count(2)
    page.keyboard.press("Escape")
    form.get_by_role("button", name="受理并交办", exact=True).click()
    page.wait_for_url(f"{live_server.url}/tickets/{ticket.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("已交办")
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.responsible_unit == many_units[16]
    assert set(ticket.co_units.all()) == {world.finance_bureau, world.dev_bureau}
    assert not page.problems, page.problems


def test_a_short_single_select_stays_plain(world, new_page, sign_in, live_server):
    """Few options: the browser's own dropdown is quickest; nothing is replaced."""
    page = sign_in(new_page(viewport=DESKTOP), "office")
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/assignments/new/")
    role = page.locator("select[name='role']")
    expect(role).to_be_visible()
    expect(page.locator(".ts-wrapper")).to_have_count(
        page.locator("select[multiple]").count()
        + page.locator("select").evaluate_all("l => l.filter(s => s.options.length > 15).length")
    )
    assert not page.problems, page.problems


def test_the_region_filter_is_searched_on_the_server(world, new_page, sign_in, live_server):
    """所属区域 (a province has 500 regions) is sent as the chosen option only: opened, it
    offers the first page of the office's regions from the units API; typing narrows it to the
    same rows (regions, not departments); choosing one and applying filters."""
    make_ticket(world, TicketState.SUBMITTED)
    page = sign_in(new_page(viewport=DESKTOP), "office")
    page.goto(f"{live_server.url}/tickets/")
    select = page.locator("select[name='region']")
    assert select.locator("option").count() == 1  # 全部 only
    page.get_by_role("button", name="筛选", exact=True).click()  # the folded filters
    box = page.locator(f".ts-wrapper[data-enhanced-select='{select.get_attribute('id')}']")
    box.click()
    options = box.locator(".ts-dropdown .option")
    expect(options.filter(has_text=world.town_a.name)).to_have_count(1)
    expect(options.filter(has_text=world.town_b.name)).to_have_count(1)
    expect(options.filter(has_text=world.dev_bureau.name)).to_have_count(0)
    box.locator("input").first.fill("河东")
    expect(options).to_have_count(1)
    options.first.click()
    # The first click after choosing counts: the box keeps its height as it loses focus, so
    # the button does not move away between the press and the release.
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url(re.compile(rf"region={world.town_b.pk}"))
    expect(page.locator("select[name='region'] option[selected]")).to_have_text(world.town_b.name)
    assert not page.problems, page.problems
