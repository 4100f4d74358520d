"""The whole ticket loop through the real pages, across three roles.

The enterprise contact raises a ticket on a phone (375×812) with a photo attached; the office
accepts and assigns it on a desktop; the department handler finds it in its inbox (sorted by
deadline), records progress, downloads the enterprise's photo and answers; the enterprise rates
the answer 不满意, so it goes back to the same department, which answers again; the enterprise
rates 满意 and the ticket is closed. The timeline then shows every step, in order, with who took
it. Another enterprise's cadre gets a 404 for the ticket and its attachment, and the department
never sees the office's buttons.

The live server runs on the real clock, so the expected deadline and working days left are
read back from the service's result rather than frozen.
"""

import re
import struct
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from supervision.choices import TicketState
from supervision.models import Ticket
from supervision.templatetags.ticket_tags import days_left_label
from supervision.views.tickets import annotate_clock

from ..factories import make_ticket
from .conftest import DESKTOP

PHONE_375 = {"width": 375, "height": 812}
TITLE = "新厂房用电增容迟迟未批"
DESCRIPTION = "新生产线下月投产，需要增容到2000千伏安，申请已交供电公司两个月未答复。"
FILE_NAME = "电表照片.png"
OFFICE_BUTTONS = ("accept", "assign", "confirm", "reject", "decide-extension", "escalate")

# Attachments go to a temporary folder (the live server thread shares the settings).
pytestmark = pytest.mark.usefixtures("transactional_db", "media")


def tiny_png() -> bytes:
    """A valid 1×1 PNG (the upload is checked by its content, not its name)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def other_inbox_tickets(world):
    """Two tickets of another enterprise already assigned to the same unit: a critical one (due
    before ours) and a normal one (due after), so the inbox's order by deadline shows."""
    made = []
    for title, urgency in (("乙公司天然气管道改线", "critical"), ("乙公司用水指标", "normal")):
        made.append(
            make_ticket(
                world,
                TicketState.ASSIGNED,
                by=world.cadre_b,
                enterprise=world.ent_b,
                title=title,
                description="请协调。",
                urgency=urgency,
            )
        )
    return made


def phone(new_page):
    """A phone-sized page; reduced motion makes Bootstrap's collapse open without animating."""
    page = new_page(viewport=PHONE_375)
    page.emulate_media(reduced_motion="reduce")
    return page


def desktop(new_page):
    page = new_page(viewport=DESKTOP)
    page.emulate_media(reduced_motion="reduce")
    return page


def shot(page, artifacts, name):
    page.screenshot(path=str(artifacts / f"tickets-loop-{name}.png"), full_page=True)


def open_menu(page, link):
    """On a phone the navigation is behind the menu button."""
    toggler = page.get_by_role("button", name="菜单")
    if toggler.is_visible():
        toggler.click()
    page.locator("#nav-main").get_by_role("link", name=link, exact=True).click()


def take_action(page, slug, label, fill=None):
    """Open an action's form on the detail page, fill it, send it."""
    page.get_by_test_id(f"action-button-{slug}").click()
    form = page.get_by_test_id(f"action-{slug}")
    expect(form).to_be_visible()
    if fill:
        fill(form)
    form.get_by_role("button", name=label, exact=True).click()
    return form


def assert_no_office_buttons(page):
    for slug in OFFICE_BUTTONS:
        expect(page.get_by_test_id(f"action-button-{slug}")).to_have_count(0)
    for name in ("受理", "交办", "受理并交办", "不予受理"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)


def timeline(page) -> list[tuple[str, str, str]]:
    """(event kind, its first line, who · when) for each entry of the timeline, in order."""
    return (
        page.get_by_test_id("timeline")
        .locator("li")
        .evaluate_all(
            """items => items.map(li => [
            li.dataset.testid.replace('event-', ''),
            li.querySelector('.fw-semibold').parentElement.innerText.split('\\n')[0].trim(),
            li.querySelector('div.text-muted').innerText.trim(),
        ])"""
        )
    )


def test_ticket_loop_enterprise_office_department(
    world, other_inbox_tickets, new_page, sign_in, live_server, artifacts
):
    png = tiny_png()

    # --- 1. The enterprise contact raises a ticket on a phone, with a photo ---------------------
    enterprise = sign_in(phone(new_page), "enterprise_a")
    enterprise.get_by_role("main").get_by_role("link", name="提出诉求", exact=True).click()
    enterprise.wait_for_url("**/tickets/new/")
    expect(enterprise.get_by_role("combobox", name="企业", exact=True)).to_have_value(
        str(world.ent_a.pk)
    )
    enterprise.get_by_role("combobox", name="类别", exact=True).select_option(label="水电气")
    enterprise.get_by_role("combobox", name="紧急程度", exact=True).select_option(label="紧急")
    enterprise.get_by_role("textbox", name="标题", exact=True).fill(TITLE)
    enterprise.get_by_role("textbox", name="问题描述", exact=True).fill(DESCRIPTION)
    enterprise.get_by_label("附件", exact=True).set_input_files(
        files=[{"name": FILE_NAME, "mimeType": "image/png", "buffer": png}]
    )
    shot(enterprise, artifacts, "01-enterprise-form")
    enterprise.get_by_role("button", name="提交诉求").click()
    enterprise.wait_for_url(re.compile(r".*/tickets/\d+/$"))
    ticket = Ticket.objects.get(title=TITLE)
    assert (ticket.enterprise, ticket.category, ticket.urgency) == (
        world.ent_a,
        "utilities",
        "urgent",
    )
    ticket_url = live_server.url + reverse("ticket-detail", args=[ticket.pk])
    expect(enterprise.get_by_role("alert")).to_contain_text("诉求已提交")
    expect(enterprise.get_by_test_id("ticket-state")).to_have_text("待受理")
    expect(enterprise.get_by_test_id("attachments")).to_contain_text(FILE_NAME)
    expect(enterprise.get_by_test_id("ticket-owner")).to_contain_text("待督查室受理")
    shot(enterprise, artifacts, "02-enterprise-raised")

    open_menu(enterprise, "企业诉求")
    enterprise.wait_for_url("**/tickets/mine/")
    row = enterprise.get_by_test_id("mine-list").get_by_test_id("ticket-row").filter(has_text=TITLE)
    expect(row.get_by_test_id("ticket-state")).to_have_text("待受理")
    expect(row).to_contain_text("水电气")
    expect(row).to_contain_text("紧急")
    assert not enterprise.problems, enterprise.problems
    shot(enterprise, artifacts, "03-enterprise-mine")

    # --- 2. The office accepts and assigns it, on a desktop -----------------------------------
    office = sign_in(desktop(new_page), "office")
    open_menu(office, "企业诉求")
    office.wait_for_url("**/tickets/")
    office_row = (
        office.get_by_test_id("ticket-list").get_by_test_id("ticket-row").filter(has_text=TITLE)
    )
    expect(office_row.get_by_test_id("ticket-state")).to_have_text("待受理")
    shot(office, artifacts, "04-office-list")
    office_row.get_by_role("link", name=TITLE).click()
    office.wait_for_url(ticket_url)
    expect(office.get_by_test_id("action-button-accept")).to_have_text("受理")
    expect(office.get_by_test_id("action-button-assign")).to_have_text("受理并交办")

    def assign(form):
        form.get_by_role("combobox", name="层级", exact=True).select_option(label="系统级")
        form.get_by_role("combobox", name="承办单位", exact=True).select_option(
            label=world.finance_bureau.name
        )
        form.get_by_role("combobox", name="包案领导", exact=True).select_option(label="王县长")
        form.get_by_role("textbox", name="交办意见", exact=True).fill(
            "请财政局协调供电公司，5个工作日内答复企业。"
        )
        shot(office, artifacts, "05-office-assign-form")

    take_action(office, "assign", "受理并交办", assign)
    office.wait_for_url(ticket_url)
    expect(office.get_by_role("alert")).to_contain_text("已交办")
    expect(office.get_by_test_id("ticket-state")).to_have_text("已交办")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ASSIGNED
    assert (ticket.responsible_unit, ticket.leader, ticket.level) == (
        world.finance_bureau,
        world.leader,
        "system",
    )
    annotate_clock([ticket])
    days_left = days_left_label(ticket.days_left)
    assert days_left.startswith("剩 "), days_left
    deadline = timezone.localtime(ticket.deadline).strftime("%Y-%m-%d %H:%M")
    expect(office.get_by_test_id("ticket-deadline")).to_have_text(f"{deadline} · {days_left}")
    expect(office.get_by_test_id("days-left")).to_have_text(days_left)
    expect(office.locator("dt:text-is('办理时限') + dd")).to_have_text("5 个工作日")
    assert [kind for kind, *_ in timeline(office)] == ["submit", "accept", "assign"]
    expect(office.get_by_test_id("event-assign")).to_contain_text(
        f"承办单位：{world.finance_bureau.name}"
    )
    expect(office.get_by_test_id("event-assign")).to_contain_text("层级：系统级")
    expect(office.get_by_test_id("event-assign")).to_contain_text(f"办结期限：{deadline[:10]}")
    assert not office.problems, office.problems
    shot(office, artifacts, "06-office-assigned")

    # --- 3. The department finds it in its inbox, records progress, downloads, answers --------
    department = sign_in(desktop(new_page), "department")
    waiting_stat = (
        department.get_by_test_id("home-tickets").get_by_role("link").filter(has_text="待办诉求")
    )
    expect(waiting_stat).to_contain_text("3")
    waiting_stat.click()
    department.wait_for_url("**/tickets/inbox/")
    inbox = department.get_by_test_id("inbox-list").get_by_test_id("ticket-row")
    critical, normal = other_inbox_tickets
    expect(inbox).to_have_count(3)
    # Ordered by deadline: the critical ticket (2 working days), ours (urgent, 5), the normal one.
    expect(inbox.locator("a.fw-semibold")).to_have_text([critical.title, TITLE, normal.title])
    shown = [
        text.split("期限 ")[1][:10] for text in inbox.locator("div.small.d-flex").all_inner_texts()
    ]
    assert shown == sorted(shown), shown
    expect(inbox.nth(1).get_by_test_id("days-left")).to_have_text(days_left)
    assert_no_office_buttons(department)
    shot(department, artifacts, "07-department-inbox")
    inbox.nth(1).get_by_role("link", name=TITLE).click()
    department.wait_for_url(ticket_url)
    expect(department.get_by_test_id("ticket-state")).to_have_text("已交办")
    assert_no_office_buttons(department)
    expect(department.get_by_test_id("ticket-owner")).to_contain_text("待承办单位经办人接手")
    shot(department, artifacts, "08-department-detail")

    take_action(
        department,
        "progress",
        "记录进展",
        lambda form: form.get_by_role("textbox", name="办理进展", exact=True).fill(
            "已与供电公司对接，正在核定增容方案。"
        ),
    )
    department.wait_for_url(ticket_url)
    expect(department.get_by_role("alert")).to_contain_text("办理进展已记录")
    expect(department.get_by_test_id("ticket-state")).to_have_text("办理中")
    expect(department.get_by_test_id("ticket-owner")).to_contain_text("部门经办人")
    assert_no_office_buttons(department)

    # The enterprise's photo, downloaded by the department (it may see the ticket).
    link = department.get_by_test_id("attachments").get_by_role("link", name=FILE_NAME)
    with department.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == FILE_NAME
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == png
    attachment_url = live_server.url + link.get_attribute("href")
    response = department.request.get(attachment_url)
    assert response.status == 200
    assert response.body() == png
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response.headers["content-disposition"].lower()
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in response.headers["cache-control"]

    take_action(
        department,
        "answer",
        "答复企业",
        lambda form: form.get_by_role("textbox", name="答复内容", exact=True).fill(
            "已协调供电公司，增容方案本周内批复。"
        ),
    )
    department.wait_for_url(ticket_url)
    expect(department.get_by_role("alert")).to_contain_text("已答复")
    expect(department.get_by_test_id("ticket-state")).to_have_text("已答复")
    expect(department.get_by_test_id("actions")).to_have_count(0)
    assert not department.problems, department.problems
    shot(department, artifacts, "09-department-answered")

    # --- 4. The enterprise is not satisfied: back to the same department -----------------------
    enterprise.goto(live_server.url + reverse("home"))
    enterprise.get_by_role("link", name=re.compile("已答复，请评价")).click()
    enterprise.wait_for_url("**/tickets/mine/")
    waiting = enterprise.get_by_test_id("awaiting-rating").get_by_test_id("ticket-row")
    expect(waiting).to_have_count(1)
    expect(waiting.get_by_test_id("ticket-state")).to_have_text("已答复")
    shot(enterprise, artifacts, "10-enterprise-awaiting")
    waiting.get_by_role("link", name=TITLE).click()
    enterprise.wait_for_url(ticket_url)
    expect(enterprise.get_by_test_id("ticket-state")).to_have_text("已答复")

    def unsatisfied(form):
        form.get_by_role("radio", name="不满意", exact=True).check()
        form.get_by_role("textbox", name="评价意见", exact=True).fill(
            "只是口头答复，批复时间没有落实。"
        )
        shot(enterprise, artifacts, "11-enterprise-rate-form")

    take_action(enterprise, "rate", "评价答复", unsatisfied)
    enterprise.wait_for_url(ticket_url)
    expect(enterprise.get_by_role("alert")).to_contain_text("感谢您的评价")
    expect(enterprise.get_by_test_id("ticket-state")).to_have_text("办理中")
    expect(enterprise.get_by_test_id("ticket-owner")).to_contain_text("部门经办人")
    expect(enterprise.get_by_test_id("ticket-owner")).to_contain_text(world.finance_bureau.name)
    shot(enterprise, artifacts, "12-enterprise-reopened")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS
    assert ticket.responsible_unit == world.finance_bureau
    assert ticket.owner == world.department

    department.goto(live_server.url + reverse("ticket-inbox"))
    again = department.get_by_test_id("inbox-list").get_by_test_id("ticket-row")
    again = again.filter(has_text=TITLE)
    expect(again.get_by_test_id("ticket-state")).to_have_text("办理中")
    again.get_by_role("link", name=TITLE).click()
    department.wait_for_url(ticket_url)
    assert_no_office_buttons(department)
    expect(department.get_by_text("只是口头答复，批复时间没有落实。").first).to_be_visible()
    take_action(
        department,
        "answer",
        "答复企业",
        lambda form: form.get_by_role("textbox", name="答复内容", exact=True).fill(
            "供电公司已书面批复增容方案，6月10日前完成施工送电。"
        ),
    )
    department.wait_for_url(ticket_url)
    expect(department.get_by_test_id("ticket-state")).to_have_text("已答复")
    assert not department.problems, department.problems

    # --- The enterprise is satisfied: closed ---------------------------------------------------
    enterprise.reload()
    expect(enterprise.get_by_test_id("ticket-state")).to_have_text("已答复")
    take_action(
        enterprise,
        "rate",
        "评价答复",
        lambda form: form.get_by_role("radio", name="满意", exact=True).check(),
    )
    enterprise.wait_for_url(ticket_url)
    expect(enterprise.get_by_test_id("ticket-state")).to_have_text("已办结")
    expect(enterprise.get_by_test_id("actions")).to_have_count(0)
    expect(enterprise.get_by_text("企业评价：满意")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED and ticket.satisfaction == "satisfied"

    # The timeline: every step in order, with who took it.
    office_name, handler, contact = "督查员", "部门经办人", "甲公司联络人"
    steps = timeline(enterprise)
    assert [(kind, first, who.split(" · ")[0]) for kind, first, who in steps] == [
        ("submit", "提交诉求", contact),
        ("accept", "受理 待受理 → 已受理", office_name),
        ("assign", "交办 已受理 → 已交办", office_name),
        ("progress", "办理进展 已交办 → 办理中", handler),
        ("answer", "答复 办理中 → 已答复", handler),
        ("rate", "评价 已答复 → 办理中", contact),
        ("answer", "答复 办理中 → 已答复", handler),
        ("rate", "评价 已答复 → 已办结", contact),
    ]
    rates = enterprise.get_by_test_id("event-rate")
    expect(rates.nth(0)).to_contain_text("不满意")
    expect(rates.nth(1)).to_contain_text("满意")
    expect(enterprise.get_by_test_id("event-submit").get_by_role("link")).to_have_text(
        f"附件：{FILE_NAME}"
    )
    assert not enterprise.problems, enterprise.problems
    shot(enterprise, artifacts, "13-enterprise-closed")

    open_menu(enterprise, "企业诉求")
    enterprise.wait_for_url("**/tickets/mine/")
    expect(enterprise.get_by_test_id("awaiting-rating")).to_have_count(0)
    expect(
        enterprise.get_by_test_id("mine-list").get_by_test_id("ticket-state").first
    ).to_have_text("已办结")

    # --- 5. Another enterprise's cadre gets 404, for the ticket and its attachment ------------
    outsider = sign_in(phone(new_page), "cadre_b")
    response = outsider.goto(ticket_url)
    assert response.status == 404
    expect(outsider.locator("body")).not_to_contain_text(TITLE)
    shot(outsider, artifacts, "14-cadre-b-404")
    assert outsider.request.get(attachment_url).status == 404
    outsider.goto(live_server.url + reverse("ticket-list"))
    expect(outsider.locator("body")).not_to_contain_text(TITLE)

    # The cadre stationed at the enterprise reads the closed ticket on a phone, without buttons.
    cadre = sign_in(phone(new_page), "cadre_a")
    cadre.goto(ticket_url)
    expect(cadre.get_by_test_id("ticket-state")).to_have_text("已办结")
    expect(cadre.get_by_test_id("actions")).to_have_count(0)
    expect(cadre.get_by_test_id("timeline").locator("li")).to_have_count(8)
    assert not cadre.problems, cadre.problems
    shot(cadre, artifacts, "15-cadre-a-closed")
