"""Ticket pages: scoping per role, the actions each user sees and may post, raising (with the
duplicate warning and from a report's problem line), inbox, enterprise page, settings, and a
list whose query count does not grow with its rows."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import Role
from core.dates import SHANGHAI
from supervision.choices import TicketState
from supervision.models import CalendarDay, CategorySetting, Ticket
from supervision.services import (
    ticket_accept,
    ticket_answer,
    ticket_assign,
    ticket_request_extension,
    ticket_withdraw,
)
from tests.factories import make_handler, make_person, make_ticket

pytestmark = pytest.mark.usefixtures("media")

MONDAY = datetime.datetime(2026, 11, 16, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def raise_ticket(world, **kw):
    return make_ticket(world, TicketState.SUBMITTED, **kw)


def assigned(world, **kw):
    return make_ticket(world, TicketState.ASSIGNED, **kw)


def detail(client, ticket):
    return client.get(reverse("ticket-detail", args=[ticket.pk]))


def act(client, ticket, action, data=None, **extra):
    prefix = action
    payload = {f"{prefix}-{key}": value for key, value in (data or {}).items()}
    return client.post(reverse("ticket-action", args=[ticket.pk, action]), payload, **extra)


def shown_actions(response) -> set[str]:
    html = response.content.decode()
    names = [
        "accept",
        "assign",
        "confirm",
        "reject",
        "decide-extension",
        "progress",
        "answer",
        "request-extension",
        "object",
        "hand-over",
        "rate",
        "withdraw",
        "escalate",
    ]
    return {name for name in names if f'data-testid="action-button-{name}"' in html}


def other_department(world):
    return make_handler(world.dev_bureau, "dev_handler", name="发改经办人", phone="13800000011")


# --- Scoping ----------------------------------------------------------------------------------


def test_each_role_sees_only_its_tickets(client_for, world):
    mine = assigned(world)
    other = raise_ticket(world, by=world.cadre_b, enterprise=world.ent_b, title="乙公司用地")
    dev_handler = other_department(world)
    for user, visible in (
        (world.office, {mine, other}),
        (world.cadre_a, {mine}),
        (world.enterprise_a, {mine}),
        (world.department, {mine}),
        (dev_handler, set()),
        (world.outsider, set()),
    ):
        client = client_for(user)
        page = client.get(reverse("ticket-list")).content.decode()
        for ticket in (mine, other):
            assert (ticket.title in page) == (ticket in visible), (user, ticket)
            status = detail(client, ticket).status_code
            assert status == (200 if ticket in visible else 404), (user, ticket)


def test_anonymous_users_go_to_login(client, world):
    ticket = raise_ticket(world)
    for url in (
        reverse("ticket-list"),
        reverse("ticket-detail", args=[ticket.pk]),
        reverse("ticket-create"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


# --- Actions shown and posted -----------------------------------------------------------------


def test_only_the_allowed_actions_are_shown(client_for, world):
    ticket = raise_ticket(world)
    assert shown_actions(detail(client_for(world.office), ticket)) == {
        "accept",
        "assign",
        "reject",
    }
    assert shown_actions(detail(client_for(world.cadre_a), ticket)) == {"withdraw"}
    assert shown_actions(detail(client_for(world.enterprise_a), ticket)) == {"withdraw"}
    ticket = ticket_assign(
        ticket=ticket_accept(ticket=ticket, by=world.office),
        by=world.office,
        level="system",
        responsible_unit=world.finance_bureau,
    )
    assert shown_actions(detail(client_for(world.department), ticket)) == {
        "progress",
        "answer",
        "request-extension",
        "object",
    }
    assert shown_actions(detail(client_for(world.office), ticket)) == {"escalate", "hand-over"}
    assert shown_actions(detail(client_for(world.leader), ticket)) == set()
    ticket = ticket_answer(ticket=ticket, by=world.department, answer="已办")
    assert shown_actions(detail(client_for(world.enterprise_a), ticket)) == {"rate", "withdraw"}
    # The cadre rates only when the enterprise has no login of its own.
    assert "rate" not in shown_actions(detail(client_for(world.cadre_a), ticket))


def test_office_accepts_and_assigns_in_one_go(client_for, world):
    ticket = raise_ticket(world)
    office = client_for(world.office)
    response = act(
        office,
        ticket,
        "assign",
        {
            "level": "system",
            "responsible_unit": world.finance_bureau.pk,
            "co_units": [world.dev_bureau.pk],
            "leader": world.leader.pk,
            "comment": "请尽快办理",
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ASSIGNED and ticket.leader == world.leader
    assert list(ticket.events.values_list("kind", flat=True)) == ["submit", "accept", "assign"]
    page = detail(office, ticket).content.decode()
    assert "示范县财政局" in page and "示范县发展和改革局" in page and "王县长" in page


def test_a_role_that_may_not_act_gets_403(client_for, world):
    ticket = raise_ticket(world)
    assert act(client_for(world.cadre_a), ticket, "accept").status_code == 403
    assert act(client_for(world.enterprise_a), ticket, "reject", {"reason": "x"}).status_code == 403
    ticket = assigned(world, category="land")
    assert act(client_for(world.enterprise_a), ticket, "answer", {"answer": "x"}).status_code == 403
    assert (
        act(client_for(world.department), ticket, "rate", {"satisfaction": "satisfied"}).status_code
        == 403
    )
    assert act(client_for(world.cadre_b), ticket, "withdraw", {"reason": "x"}).status_code == 404
    assert act(client_for(world.office), ticket, "no-such-step").status_code == 404
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ASSIGNED


def test_a_step_someone_else_took_first_shows_the_message(client_for, world):
    ticket = raise_ticket(world)
    second = make_person(
        "office2", [Role.OFFICE], unit=world.county, name="督查员二", phone="13800000012"
    )
    ticket_accept(ticket=ticket, by=second)
    # The first officer's page was loaded before: their reject reaches a ticket already accepted.
    response = act(client_for(world.office), ticket, "reject", {"reason": "不属实"}, follow=True)
    html = response.content.decode()
    assert "不能不予受理" in html and "已受理" in html
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ACCEPTED
    assert ticket.events.filter(kind="reject").count() == 0


def test_form_errors_show_next_to_the_field(client_for, world):
    ticket = raise_ticket(world)
    response = act(client_for(world.office), ticket, "reject", {"reason": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="action-reject"' in html and "collapse show" in html
    assert "invalid-feedback" in html
    ticket.refresh_from_db()
    assert ticket.state == TicketState.SUBMITTED


def test_the_whole_loop_through_the_pages(client_for, world):
    ticket = assigned(world)
    department = client_for(world.department)
    assert act(department, ticket, "progress", {"comment": "已约谈供电公司"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.owner == world.department and ticket.state == TicketState.IN_PROGRESS
    assert "部门经办人" in detail(department, ticket).content.decode()  # 首问负责: the owner
    response = act(department, ticket, "request-extension", {"days": 3, "reason": "需电网公司审批"})
    assert response.status_code == 302
    office = client_for(world.office)
    assert "decide-extension" in shown_actions(detail(office, ticket))
    response = act(office, ticket, "decide-extension", {"decision": "refuse", "comment": ""})
    assert response.status_code == 200 and "不同意延期时请说明理由" in response.content.decode()
    act(office, ticket, "decide-extension", {"decision": "approve", "comment": "同意"})
    ticket.refresh_from_db()
    assert ticket.time_limit_days == 13
    department = client_for(world.department)
    assert act(department, ticket, "answer", {"answer": "增容已完成"}).status_code == 302
    enterprise = client_for(world.enterprise_a)
    response = act(enterprise, ticket, "rate", {"satisfaction": "unsatisfied", "comment": ""})
    assert response.status_code == 200
    act(enterprise, ticket, "rate", {"satisfaction": "unsatisfied", "comment": "只答复未解决"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS
    department = client_for(world.department)
    act(department, ticket, "answer", {"answer": "已通电"})
    enterprise = client_for(world.enterprise_a)
    act(enterprise, ticket, "rate", {"satisfaction": "satisfied", "comment": "谢谢"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED
    page = detail(enterprise, ticket).content.decode()
    for label in ("提交诉求", "受理", "交办", "办理进展", "申请延期", "同意延期", "答复", "评价"):
        assert label in page
    assert shown_actions(detail(enterprise, ticket)) == set()


def test_objection_then_reassign_or_confirm(client_for, world, frozen):
    ticket = assigned(world)
    department = client_for(world.department)
    assert act(department, ticket, "object", {"reason": ""}).status_code == 200
    assert act(department, ticket, "object", {"reason": "应由供电公司办理"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.OBJECTED
    office = client_for(world.office)
    assert shown_actions(detail(office, ticket)) >= {"assign", "confirm"}
    assert "改派" in detail(office, ticket).content.decode()
    act(office, ticket, "confirm", {"comment": "属你局职责"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ASSIGNED and ticket.assignment_fixed
    assert "object" not in shown_actions(detail(client_for(world.department), ticket))
    # Another ticket: the window closes one working day after assignment.
    late = assigned(world, category="labour")
    frozen.move_to(late.objection_until + datetime.timedelta(seconds=1))
    department = client_for(world.department)
    assert "object" not in shown_actions(detail(department, late))
    response = act(department, late, "object", {"reason": "不属本单位"}, follow=True)
    assert "异议期限" in response.content.decode()
    late.refresh_from_db()
    assert late.state == TicketState.ASSIGNED


def test_hand_over_to_a_colleague(client_for, world):
    ticket = make_ticket(world, TicketState.IN_PROGRESS)
    colleague = make_handler(
        world.finance_bureau, "finance2", name="财政局二号", phone="13800000013"
    )
    # The colleague cannot act while the first handler owns it.
    assert shown_actions(detail(client_for(colleague), ticket)) == set()
    department = client_for(world.department)
    assert "hand-over" in shown_actions(detail(department, ticket))
    response = act(department, ticket, "hand-over", {"to": colleague.pk, "comment": "出差"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.owner == colleague
    page = detail(client_for(colleague), ticket).content.decode()
    assert "移交给：财政局二号" in page
    assert "answer" in shown_actions(detail(client_for(colleague), ticket))


def test_withdraw_and_the_office_preset(client_for, world):
    ticket = raise_ticket(world)
    enterprise = client_for(world.enterprise_a)
    assert act(enterprise, ticket, "withdraw", {"reason": ""}).status_code == 200
    act(enterprise, ticket, "withdraw", {"reason": "已自行解决"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WITHDRAWN
    office = client_for(world.office)
    page = office.get(reverse("ticket-list")).content.decode()
    assert 'data-testid="withdrawn-preset"' in page
    page = office.get(reverse("ticket-list"), {"state": "withdrawn"}).content.decode()
    assert "用电增容" in page and "共 1 件诉求" in page


def test_escalate_by_the_office(client_for, world):
    ticket = assigned(world)
    act(client_for(world.office), ticket, "escalate", {"reason": "企业反映强烈"})
    ticket.refresh_from_db()
    assert ticket.is_urged and ticket.level == "city"


# --- Raising ----------------------------------------------------------------------------------


def create_data(world, **kw):
    data = {
        "enterprise": world.ent_a.pk,
        "category": "utilities",
        "urgency": "normal",
        "title": "天然气管道接入",
        "description": "新厂区需接入天然气管道",
        "form_token": "7f0c6a5e-3f52-4d5e-9c1d-2b9c5b6a1f00",
    }
    data.update(kw)
    return data


def test_cadre_raises_a_ticket_once_even_if_double_clicked(client_for, world):
    client = client_for(world.cadre_a)
    page = client.get(reverse("ticket-create"), {"enterprise": world.ent_a.pk})
    assert page.status_code == 200 and "甲机械制造有限公司" in page.content.decode()
    first = client.post(reverse("ticket-create"), create_data(world))
    assert first.status_code == 302
    second = client.post(reverse("ticket-create"), create_data(world))
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Ticket.objects.count() == 1
    ticket = Ticket.objects.get()
    assert ticket.raised_by == world.cadre_a and ticket.state == TicketState.SUBMITTED


def test_who_may_raise_for_which_enterprise(client_for, world):
    assert client_for(world.department).get(reverse("ticket-create")).status_code == 403
    assert client_for(world.office).get(reverse("ticket-create")).status_code == 403
    cadre = client_for(world.cadre_a)
    assert cadre.get(reverse("ticket-create"), {"enterprise": world.ent_b.pk}).status_code == 404
    response = cadre.post(reverse("ticket-create"), create_data(world, enterprise=world.ent_b.pk))
    assert response.status_code == 200 and Ticket.objects.count() == 0
    enterprise = client_for(world.enterprise_a)
    response = enterprise.post(reverse("ticket-create"), create_data(world))
    assert response.status_code == 302
    assert Ticket.objects.get().raised_by == world.enterprise_a


def test_duplicate_warning_keeps_the_form_and_asks_to_confirm(client_for, world):
    existing = raise_ticket(world, title="供气不足")
    client = client_for(world.enterprise_a)
    response = client.post(reverse("ticket-create"), create_data(world))
    html = response.content.decode()
    assert response.status_code == 200 and Ticket.objects.count() == 1
    assert 'data-testid="duplicates"' in html and existing.number in html and "仍然提交" in html
    assert "天然气管道接入" in html and "新厂区需接入天然气管道" in html
    assert 'name="confirm_duplicate" value="True"' in html
    response = client.post(reverse("ticket-create"), create_data(world, confirm_duplicate="True"))
    assert response.status_code == 302 and Ticket.objects.count() == 2
    # Another category, or a closed one of the same category, raises no warning.
    ticket_withdraw(ticket=existing, by=world.enterprise_a, reason="重复")
    response = client.post(
        reverse("ticket-create"),
        create_data(world, form_token="5d1b2c3a-0000-4000-8000-000000000001", category="land"),
    )
    assert response.status_code == 302


def test_title_and_description_are_required(client_for, world):
    client = client_for(world.cadre_a)
    response = client.post(reverse("ticket-create"), create_data(world, title=""))
    assert response.status_code == 200
    assert "新厂区需接入天然气管道" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_a_report_problem_becomes_a_ticket_linked_both_ways(client_for, world, report_problem):
    client = client_for(world.cadre_a)
    url = reverse("ticket-from-problem", args=[report_problem.pk])
    page = client.get(url).content.decode()
    assert "企业新厂区用电报装排队三个月" in page and "甲机械制造有限公司" in page
    data = create_data(
        world, title="企业新厂区用电报装排队三个月", description=report_problem.description
    )
    response = client.post(url, data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.report_problem == report_problem
    assert report_problem.ticket == ticket
    page = detail(client, ticket).content.decode()
    assert reverse("report-detail", args=[report_problem.report_id]) in page
    # Once turned into a ticket, the problem's action leads to that ticket.
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == reverse(
        "ticket-detail", args=[ticket.pk]
    )
    # Others cannot see the problem at all.
    assert client_for(world.cadre_b).get(url).status_code == 404


def test_the_problem_title_is_its_first_sentence(client_for, world, report_problem):
    page = client_for(world.cadre_a).get(reverse("ticket-from-problem", args=[report_problem.pk]))
    assert 'value="企业新厂区用电报装排队三个月"' in page.content.decode()


# --- Inbox and the enterprise's page ----------------------------------------------------------


def test_department_inbox_is_sorted_by_deadline(client_for, world, frozen):
    later = assigned(world, title="普通件")
    urgent = assigned(world, title="特急件", category="land", urgency="critical")
    other_unit = assigned(world, title="发改件", category="labour", unit=world.dev_bureau)
    page = client_for(world.department).get(reverse("ticket-inbox"))
    html = page.content.decode()
    assert html.index(urgent.title) < html.index(later.title)
    assert other_unit.title not in html
    assert "剩 2 个工作日" in html  # a 2-day limit from Monday: Tuesday and Wednesday
    assert client_for(world.enterprise_a).get(reverse("ticket-inbox")).status_code == 403


def test_colour_and_days_left_on_the_pages(client_for, world, frozen):
    ticket = assigned(world, urgency="critical")
    frozen.move_to(ticket.deadline + datetime.timedelta(days=3))
    html = client_for(world.department).get(reverse("ticket-inbox")).content.decode()
    assert "红牌" in html and "超期" in html
    html = client_for(world.office).get(reverse("ticket-list"), {"colour": "red"}).content.decode()
    assert ticket.title in html
    html = client_for(world.office).get(reverse("ticket-list"), {"colour": "yellow"})
    assert ticket.title not in html.content.decode()


def test_enterprise_page_lists_tickets_waiting_for_rating_first(client_for, world):
    open_one = raise_ticket(world, title="还在办", category="land")
    answered = make_ticket(world, TicketState.ANSWERED, title="已答复件")
    client = client_for(world.enterprise_a)
    html = client.get(reverse("ticket-mine")).content.decode()
    section = html.split('data-testid="awaiting-rating"')[1].split("全部诉求")[0]
    assert answered.title in section and open_one.title not in section
    assert open_one.title in html
    home = client.get(reverse("home")).content.decode()
    assert "1 件诉求已答复，请评价" in home


def test_home_shows_the_department_its_counts(client_for, world):
    assigned(world)
    html = client_for(world.department).get(reverse("home")).content.decode()
    assert 'data-testid="home-tickets"' in html and reverse("ticket-inbox") in html


@pytest.mark.parametrize(
    ("user", "url_name"),
    [
        ("office", "ticket-list"),
        ("leader", "ticket-list"),
        ("cadre_a", "ticket-list"),
        ("department", "ticket-inbox"),
        ("enterprise_a", "ticket-mine"),
    ],
)
def test_nav_link_per_role(client_for, world, user, url_name):
    html = client_for(getattr(world, user)).get(reverse("home")).content.decode()
    assert f'href="{reverse(url_name)}">企业诉求' in html


# --- Filters and the list's query count -------------------------------------------------------


def test_list_filters(client_for, world):
    a = assigned(world, title="甲公司用电")
    b = raise_ticket(
        world, by=world.cadre_b, enterprise=world.ent_b, title="乙公司用地", category="land"
    )
    office = client_for(world.office)

    def titles(**params):
        html = office.get(reverse("ticket-list"), params).content.decode()
        return {t.title for t in (a, b) if t.title in html}

    assert titles() == {a.title, b.title}
    assert titles(state="submitted") == {b.title}
    assert titles(category="utilities") == {a.title}
    assert titles(responsible_unit=world.finance_bureau.pk) == {a.title}
    assert titles(region=world.town_b.pk) == {b.title}
    assert titles(region=world.county.pk) == {a.title, b.title}
    assert titles(q="乙纺织") == {b.title}
    assert titles(q=a.number) == {a.title}
    assert titles(level="system") == {a.title}
    assert titles(colour="green") == {a.title}
    assert titles(deadline_from="2026-11-30", deadline_to="2026-11-30") == {a.title}
    assert titles(created_from="2026-11-17") == set()
    html = office.get(reverse("ticket-list"), {"category": "utilities"}).content.decode()
    # The state tabs count under the other filters.
    assert 'data-state="assigned"' in html and 'data-state="submitted"' not in html


def test_list_query_count_does_not_grow_with_rows(client_for, world, settings):
    settings.PAGE_SIZE = 50
    client = client_for(world.office)

    def make(n):
        # Half assigned (deadline, colour, days left, unit), half still submitted.
        for i in range(n):
            if i % 2:
                assigned(world, title=f"批量{i}")
            else:
                raise_ticket(world, title=f"批量{i}")

    def count():
        client.get(reverse("ticket-list"))  # warm caches (session, content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("ticket-list"))
        assert response.status_code == 200
        return len(queries), response.content.decode().count('data-testid="ticket-row"')

    make(5)
    few, rows = count()
    assert rows == 5
    make(25)
    many, rows = count()
    assert rows == 30
    assert many == few


def test_my_tickets_query_count_does_not_grow_with_answered_tickets(client_for, world):
    """ "My tickets" asks who may rate once per enterprise, among the user's own tickets only:
    the office's page does not read every answered ticket it may see (a province's took 13 s),
    and a cadre's does not ask once per ticket."""

    def count(user):
        client = client_for(user)
        client.get(reverse("ticket-mine"))  # warm caches (session, content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("ticket-mine"))
        assert response.status_code == 200
        return len(queries)

    make_ticket(world, TicketState.ANSWERED, title="已答复1")
    few = count(world.office), count(world.cadre_a), count(world.enterprise_a)
    for n in range(2, 5):
        make_ticket(world, TicketState.ANSWERED, title=f"已答复{n}")
    assert (count(world.office), count(world.cadre_a), count(world.enterprise_a)) == few
    html = client_for(world.enterprise_a).get(reverse("ticket-mine")).content.decode()
    section = html.split('data-testid="awaiting-rating"')[1].split("全部诉求")[0]
    assert all(f"已答复{n}" in section for n in range(1, 5))


# --- Settings ---------------------------------------------------------------------------------


def test_settings_page_warns_for_2027_and_edits_the_holiday_table(client_for, world):
    assert client_for(world.department).get(reverse("calendar-settings")).status_code == 403
    assert client_for(world.cadre_a).get(reverse("calendar-settings")).status_code == 403
    office = client_for(world.office)
    html = office.get(reverse("calendar-settings")).content.decode()
    assert "2027年节假日安排尚未录入，办理期限暂按周末计算" in html
    assert "2026年节假日安排尚未录入" not in html
    assert "国庆节" in office.get(reverse("calendar-settings"), {"year": 2026}).content.decode()
    response = office.post(
        reverse("calendar-day-add"),
        {"day-date": "2027-01-01", "day-is_workday": "0", "day-name": "元旦", "year": "2027"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=datetime.date(2027, 1, 1))
    assert not day.is_workday
    html = office.get(reverse("calendar-settings")).content.decode()
    assert "2027年节假日安排尚未录入" not in html
    # The same date twice: refused next to the field.
    response = office.post(
        reverse("calendar-day-add"),
        {"day-date": "2027-01-01", "day-is_workday": "0", "day-name": "元旦", "year": "2027"},
    )
    assert response.status_code == 200 and "该日期已有安排" in response.content.decode()
    office.post(
        reverse("calendar-day-edit", args=[day.pk]),
        {"day-date": "2027-01-01", "day-is_workday": "0", "day-name": "元旦节", "year": "2027"},
    )
    day.refresh_from_db()
    assert day.name == "元旦节"
    office.post(reverse("calendar-day-delete", args=[day.pk]))
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    response = client_for(world.department).post(reverse("calendar-day-delete", args=[1]))
    assert response.status_code == 403


def test_category_time_limits_are_edited_on_the_settings_page(client_for, world):
    world.finance_bureau.is_responsible = True
    world.finance_bureau.save()
    office = client_for(world.office)
    url = reverse("category-setting-save", args=["utilities"])
    response = office.post(
        url,
        {
            "utilities-normal_days": 3,
            "utilities-urgent_days": 5,
            "utilities-critical_days": 1,
        },
    )
    assert response.status_code == 200 and "一般 ≥ 紧急 ≥ 特急" in response.content.decode()
    office.post(
        url,
        {
            "utilities-normal_days": 8,
            "utilities-urgent_days": 4,
            "utilities-critical_days": 1,
            "utilities-default_unit": world.finance_bureau.pk,
        },
    )
    setting = CategorySetting.objects.get(category="utilities")
    assert (setting.normal_days, setting.default_unit) == (8, world.finance_bureau)
    ticket = assigned(world)
    assert ticket.time_limit_days == 8
    # The assign form proposes the category's default unit.
    fresh = raise_ticket(world, title="新诉求")
    html = detail(office, fresh).content.decode()
    assert f'<option value="{world.finance_bureau.pk}" selected>' in html


def test_extension_requested_after_deadline_is_not_offered(client_for, world, frozen):
    ticket = assigned(world)
    ticket_request_extension(ticket=ticket, by=world.department, days=2, reason="等审批")
    assert "request-extension" not in shown_actions(detail(client_for(world.department), ticket))
    other = assigned(world, category="land")
    frozen.move_to(other.deadline + datetime.timedelta(hours=1))
    assert "request-extension" not in shown_actions(detail(client_for(world.department), other))


def test_office_reassigns_after_an_objection(client_for, world):
    ticket = make_ticket(world, TicketState.OBJECTED)
    office = client_for(world.office)
    response = act(
        office, ticket, "assign", {"level": "system", "responsible_unit": world.dev_bureau.pk}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.responsible_unit == world.dev_bureau and ticket.assignment_fixed
    assert ticket.events.order_by("-pk").first().kind == "reassign"
    # The finance bureau no longer sees it; the office may hand it to a dev-bureau handler.
    assert detail(client_for(world.department), ticket).status_code == 404
    dev_handler = other_department(world)
    assert "hand-over" in shown_actions(detail(client_for(world.office), ticket))
    act(client_for(world.office), ticket, "hand-over", {"to": dev_handler.pk})
    ticket.refresh_from_db()
    assert ticket.owner == dev_handler
