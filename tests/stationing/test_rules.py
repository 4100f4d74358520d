"""One meaning for each rule, wherever it is asked.

1. A returned report was handed in (stationing.selectors.reports): the submission matrix, the
   truancy list, the report reminders, the office digest's missing count, the calendar feed and
   the API's period status all say so.
2. A plan's due day is the same on the page's plan queue, in the API and in the reminders.
3. The page and the API accept the same values and refuse the same ones, on the same field: the
   choices come from the same scoped selectors and the rules from the same services.
"""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from core.choices import Role
from core.dates import SHANGHAI
from notifications.jobs import run_job
from notifications.models import Notification
from stationing.choices import PeriodStatus, ReportState, StationingNotice
from stationing.models import Assignment, ProgressReport, ReportPeriod, WorkGroup
from stationing.selectors import missing_report_count, submission_matrix, truancy_list
from stationing.services import (
    programme_sync_periods,
    report_get_or_create_draft,
    report_return,
    report_save_draft,
    report_submit,
    work_plan_approve,
    work_plan_get_or_create,
)
from supervision.calendar_feed import build_calendar
from tests.factories import (
    AssignmentFactory,
    EnterpriseFactory,
    ProfileFactory,
    ProgrammeFactory,
    UnitFactory,
    UserFactory,
    WorkGroupFactory,
)

pytestmark = pytest.mark.django_db


def sh(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def api_as(user) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    client.force_login(user)
    return client


# --- 1. A returned report counts as handed in ---------------------------------------------------

# Period 1 is 1-15 March, due 18 March 23:59:59. Cadre A hands it in on time and the office
# returns it on the evening of the due day; cadre B hands in nothing.
SUBMITTED_AT = sh(2026, 3, 17, 10)
RETURNED_AT = sh(2026, 3, 18, 20)
AFTER = sh(2026, 3, 20, 12)


@pytest.fixture
def returned(world):
    programme_sync_periods(programme=world.programme)
    period = ReportPeriod.objects.get(programme=world.programme, number=1)
    report = report_get_or_create_draft(
        assignment=world.assignment_a, period=period, by=world.cadre_a
    )
    report = report_save_draft(
        report=report,
        by=world.cadre_a,
        expected_version=None,
        fields={"work_done": "走访企业，协调用电增容。", "days_on_site": 8},
    )
    with time_machine.travel(SUBMITTED_AT, tick=False):
        report = report_submit(report=report, by=world.cadre_a)
    with time_machine.travel(RETURNED_AT, tick=False):
        report = report_return(report=report, by=world.office, reason="工作情况过于简单")
    assert report.state == ReportState.RETURNED
    return report


def test_matrix_and_truancy_list_count_a_returned_report_as_handed_in(world, returned):
    matrix = submission_matrix(user=world.office, programme=world.programme, now=AFTER)
    rows = {row.assignment.pk: row for row in matrix.rows}
    first = {pk: row.cells[0][2] for pk, row in rows.items()}
    assert first == {
        world.assignment_a.pk: PeriodStatus.RETURNED,
        world.assignment_b.pk: PeriodStatus.MISSING,
    }
    assert rows[world.assignment_a.pk].missed == 0
    assert [row.assignment.pk for row in truancy_list(matrix=matrix)] == [world.assignment_b.pk]


def test_the_report_reminders_do_not_chase_a_returned_report(world, returned):
    # The morning after the due day: the overdue notices go out.
    with time_machine.travel(sh(2026, 3, 19, 8), tick=False):
        run_job("stationing-report-reminders")
    overdue = Notification.objects.filter(kind=StationingNotice.REPORT_OVERDUE)
    chased = set(overdue.values_list("recipient__username", flat=True))
    assert "cadre_b" in chased
    assert "cadre_a" not in chased


def test_the_office_digest_does_not_count_a_returned_report_as_missing(world, returned):
    since = AFTER - datetime.timedelta(days=16)
    assert missing_report_count(user=world.office, now=AFTER, since=since) == 1


def test_the_calendar_feed_shows_a_returned_report_as_returned(world, returned):
    calendar = build_calendar(world.cadre_a, now=AFTER)
    uid = f"report-{world.assignment_a.pk}-{returned.period_id}@stationing"
    summaries = {str(event["UID"]): str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert "已退回" in summaries[uid]
    assert "【未报】" not in summaries[uid]


def test_the_api_and_the_page_show_a_returned_report_as_returned(world, returned, client_for):
    with time_machine.travel(AFTER, tick=False):
        body = api_as(world.cadre_a).get(f"/api/v1/reports/{returned.pk}/").json()
        page = client_for(world.cadre_a).get(
            reverse("assignment-reports", args=[world.assignment_a.pk])
        )
    assert body["state"] == "returned" and body["status"] == PeriodStatus.RETURNED
    statuses = {row["period"].number: row["status"] for row in page.context["rows"]}
    assert statuses[1] == PeriodStatus.RETURNED


def test_the_next_report_is_prefilled_from_a_returned_one(world, returned):
    # Handed in, so it is "the last report" the next period's draft starts from.
    period = ReportPeriod.objects.get(programme=world.programme, number=2)
    report = report_get_or_create_draft(
        assignment=world.assignment_a, period=period, by=world.cadre_a
    )
    assert report.planned_steps == returned.next_steps


# --- 2. One plan due day --------------------------------------------------------------------


@pytest.fixture
def late_start(world):
    """Stationing at enterprise B starts on 10 March (due 17 March, seven days later); a
    team-mate joining on 12 March does not move the day."""
    Assignment.objects.filter(pk=world.assignment_b.pk).update(
        start_date=datetime.date(2026, 3, 10)
    )
    team_mate = UserFactory(username="cadre_b2", roles=[Role.CADRE])
    AssignmentFactory(
        programme=world.programme,
        cadre=ProfileFactory(user=team_mate, unit=world.finance_bureau),
        enterprise=world.ent_b,
        start_date=datetime.date(2026, 3, 12),
    )
    work_plan_get_or_create(programme=world.programme, enterprise=world.ent_b, by=world.cadre_b)
    return datetime.date(2026, 3, 17)


def test_plan_due_day_is_the_same_on_the_page_in_the_api_and_in_the_reminders(
    world, late_start, client_for
):
    with time_machine.travel(sh(2026, 3, 20, 9), tick=False):
        queue = client_for(world.office).get(reverse("plan-queue"))
        plans = api_as(world.office).get("/api/v1/work-plans/").json()["results"]
    page_due = {row["assignment"].enterprise_id: row["due"] for row in queue.context["overdue"]}
    api_due = {row["enterprise"]: row["due_date"] for row in plans}
    assert page_due[world.ent_b.pk] == late_start
    assert api_due[world.ent_b.pk] == late_start.isoformat()
    overdue = {row["enterprise"]: row["is_overdue"] for row in plans}
    assert overdue[world.ent_b.pk] is True

    # Two days before and on the due day: "due soon"; the day after: "overdue". Both cadres.
    for day, kind in [
        (datetime.date(2026, 3, 15), StationingNotice.PLAN_DUE_SOON),
        (datetime.date(2026, 3, 16), None),
        (late_start, StationingNotice.PLAN_DUE_SOON),
        (datetime.date(2026, 3, 18), StationingNotice.PLAN_OVERDUE),
    ]:
        before = set(Notification.objects.values_list("pk", flat=True))
        with time_machine.travel(sh(day.year, day.month, day.day, 8, 5), tick=False):
            run_job("stationing-plan-reminders")
        new = Notification.objects.exclude(pk__in=before).filter(
            recipient__username__in=["cadre_b", "cadre_b2"]
        )
        if kind is None:
            assert not new.exists(), day
            continue
        assert {n.kind for n in new} == {kind}, day
        assert {n.recipient.username for n in new} == {"cadre_b", "cadre_b2"}
        assert all(late_start.isoformat() in n.subject for n in new)


def test_the_queue_lists_the_oldest_overdue_plans_and_links_to_all(
    world, late_start, client_for, monkeypatch
):
    """The plan queue shows the oldest overdue plans, how many there are, and the assignment
    list filtered to all of them, by the same rule (plan_overdue_q); its statements do not grow
    with them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("stationing.views.plans.OVERDUE_PLANS_LISTED", 1)
    client = client_for(world.office)

    def queue():
        client.get(reverse("plan-queue"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("plan-queue"))
        return len(queries), response

    with time_machine.travel(sh(2026, 3, 20, 9), tick=False):
        statements, response = queue()
        listed = response.context["overdue"]
        overdue = response.context["overdue_count"]
        assert overdue >= 1 and len(listed) == 1
        AssignmentFactory(
            programme=world.programme,
            cadre=ProfileFactory(unit=world.finance_bureau),
            enterprise=EnterpriseFactory(name="新驻企业", region=world.town_a),
            start_date=datetime.date(2026, 3, 2),
        )
        more, response = queue()
        assert response.context["overdue_count"] == overdue + 1
        assert len(response.context["overdue"]) == 1 and more == statements
        assert 'href="/assignments/?plan_overdue=true"' in response.content.decode()
        listed = client.get(reverse("assignment-list"), {"plan_overdue": "true"})
        assert listed.context["paginator"].count == overdue + 1


# --- 3. Page and API parity -------------------------------------------------------------------


def page_outcome(response):
    """Either "accepted" or the fields the page refused (its form's errors)."""
    if response.status_code == 302:
        return "accepted"
    assert response.status_code == 200, response.status_code
    return sorted(
        name if name != "__all__" else "non_field_errors"
        for name in response.context["form"].errors
    )


def api_outcome(response):
    if response.status_code in (200, 201):
        return "accepted"
    assert response.status_code == 400, response.content
    return sorted(response.json())


def token() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def elsewhere(world):
    """What a new record of this programme may not use: a dispatching unit and a leader of
    the neighbouring county, and a work group of another programme."""
    far_bureau = UnitFactory(name="邻县财政局", parent=world.other_county)
    far_leader = UserFactory(username="far_leader", roles=[Role.LEADER])
    ProfileFactory(user=far_leader, name="邻县领导", unit=world.other_county)
    other_programme = ProgrammeFactory(name="另一批次", organiser=world.county)
    other_group = WorkGroupFactory(programme=other_programme, name="另一批次工作组")
    return {
        "far_bureau": far_bureau,
        "far_leader": far_leader,
        "other_group": other_group,
    }


def programme_data(world, **overrides):
    data = {
        "name": "2026年第二批干部驻企",
        "organiser": world.county.pk,
        "start_date": "2026-05-01",
        "end_date": "2027-04-30",
        "status": "draft",
        "report_cycle": "half_month",
        "report_due_days": 3,
        "plan_due_days": 7,
        "description": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("valid", "accepted"),
        ("organiser_outside", ["organiser"]),
        ("organiser_a_department", ["organiser"]),
    ],
)
def test_programme_parity(world, client_for, case, expected):
    organiser = {
        "valid": world.county,
        "organiser_outside": world.other_county,
        "organiser_a_department": world.dev_bureau,
    }[case]
    data = programme_data(world, organiser=organiser.pk)
    page = client_for(world.office).post(
        reverse("programme-create"), {**data, "form_token": token()}
    )
    api = api_as(world.office).post("/api/v1/programmes/", data)
    assert page_outcome(page) == expected
    assert api_outcome(api) == expected


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("valid", "accepted"),
        ("leader_outside", ["leader"]),
        ("name_taken", ["name"]),
    ],
)
def test_work_group_parity(world, client_for, elsewhere, case, expected):
    leader = elsewhere["far_leader"] if case == "leader_outside" else world.leader
    name = "第一工作组" if case == "name_taken" else None
    page = client_for(world.office).post(
        reverse("work-group-create", args=[world.programme.pk]),
        {"name": name or "第二工作组", "leader": leader.pk, "form_token": token()},
    )
    api = api_as(world.office).post(
        "/api/v1/work-groups/",
        {"programme": world.programme.pk, "name": name or "第三工作组", "leader": leader.pk},
    )
    assert page_outcome(page) == expected
    assert api_outcome(api) == expected


def test_a_work_group_keeps_its_leader_from_elsewhere_on_both(world, client_for, elsewhere):
    # Chosen before (by a city office, say); editing the description must not need a new leader.
    WorkGroup.objects.filter(pk=world.group.pk).update(leader=elsewhere["far_leader"])
    world.group.refresh_from_db()
    page = client_for(world.office).post(
        reverse("work-group-update", args=[world.group.pk]),
        {
            "name": world.group.name,
            "leader": elsewhere["far_leader"].pk,
            "description": "由页面修改",
            "version": world.group.version,
        },
    )
    assert page_outcome(page) == "accepted"
    api = api_as(world.office).patch(
        f"/api/v1/work-groups/{world.group.pk}/",
        {"leader": elsewhere["far_leader"].pk, "description": "由接口修改"},
    )
    assert api_outcome(api) == "accepted"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("valid", "accepted"),
        ("unit_not_dispatching", ["unit"]),
        ("unit_outside", ["unit"]),
        ("phone_not_mobile", ["phone"]),
    ],
)
def test_cadre_parity(world, client_for, elsewhere, case, expected):
    unit = {
        "unit_not_dispatching": world.town_a,
        "unit_outside": elsewhere["far_bureau"],
    }.get(case, world.dev_bureau)
    phones = ("12345678901", "12345678902") if case == "phone_not_mobile" else None
    page_phone, api_phone = phones or ("13811110001", "13811110002")
    data = {"name": "新干部", "unit": unit.pk, "rank": "section", "title": "科员"}
    page = client_for(world.office).post(
        reverse("cadre-create"), {**data, "phone": page_phone, "form_token": token()}
    )
    api = api_as(world.office).post("/api/v1/cadres/", {**data, "phone": api_phone})
    assert page_outcome(page) == expected
    assert api_outcome(api) == expected


def test_a_cadre_keeps_their_unit_from_elsewhere_on_both(world, client_for, elsewhere):
    # A cadre stationed in the office's programme but dispatched from another county.
    profile = world.cadre_b.profile
    type(profile).objects.filter(pk=profile.pk).update(unit=elsewhere["far_bureau"])
    profile.refresh_from_db()
    page = client_for(world.office).post(
        reverse("cadre-update", args=[profile.pk]),
        {
            "name": profile.name,
            "phone": profile.phone,
            "unit": elsewhere["far_bureau"].pk,
            "rank": profile.rank,
            "title": "由页面修改",
            "version": profile.version,
        },
    )
    assert page_outcome(page) == "accepted"
    api = api_as(world.office).patch(
        f"/api/v1/cadres/{profile.pk}/",
        {"unit": elsewhere["far_bureau"].pk, "title": "由接口修改"},
    )
    assert api_outcome(api) == "accepted"


def new_cadre(world, phone):
    user = UserFactory(roles=[Role.CADRE])
    return ProfileFactory(user=user, phone=phone, unit=world.dev_bureau)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("valid", "accepted"),
        ("enterprise_outside", ["enterprise"]),
        ("work_group_of_another_programme", ["work_group"]),
        ("start_before_programme", ["start_date"]),
        ("already_stationed_there", ["enterprise"]),
    ],
)
def test_assignment_parity(world, client_for, elsewhere, case, expected):
    def data(cadre):
        values = {
            "cadre": cadre.pk,
            "enterprise": world.ent_b.pk,
            "work_group": world.group.pk,
            "role": "member",
            "start_date": "2026-03-05",
            "end_date": "",
        }
        if case == "enterprise_outside":
            values["enterprise"] = world.ent_c.pk
        if case == "work_group_of_another_programme":
            values["work_group"] = elsewhere["other_group"].pk
        if case == "start_before_programme":
            values["start_date"] = "2026-02-01"
        return values

    if case == "already_stationed_there":
        page_cadre = api_cadre = world.cadre_b.profile
    else:
        page_cadre, api_cadre = new_cadre(world, "13811110003"), new_cadre(world, "13811110004")
    page = client_for(world.office).post(
        reverse("assignment-create", args=[world.programme.pk]),
        {**data(page_cadre), "form_token": token()},
    )
    api_data = {**data(api_cadre), "programme": world.programme.pk}
    api_data["end_date"] = None
    api = api_as(world.office).post("/api/v1/assignments/", api_data)
    assert page_outcome(page) == expected
    assert api_outcome(api) == expected


def test_an_assignment_stays_in_its_programme_on_both(world, elsewhere):
    # The page's URL fixes the programme; the API ignores a new one rather than move the
    # stationing (its reports belong to the programme's periods).
    other = elsewhere["other_group"].programme
    response = api_as(world.office).patch(
        f"/api/v1/assignments/{world.assignment_a.pk}/", {"programme": other.pk, "role": "member"}
    )
    assert response.status_code == 200, response.content
    world.assignment_a.refresh_from_db()
    assert world.assignment_a.programme_id == world.programme.pk
    assert world.assignment_a.role == "member"


@pytest.mark.parametrize(
    ("days", "expected"),
    [(20, "accepted"), (32, ["days_on_site"])],
)
def test_report_draft_parity(world, client_for, days, expected):
    # A monthly programme's period has up to 31 days; the page used to stop at 16.
    programme_sync_periods(programme=world.programme)
    period = ReportPeriod.objects.get(programme=world.programme, number=1)
    report = report_get_or_create_draft(
        assignment=world.assignment_a, period=period, by=world.cadre_a
    )
    page = client_for(world.cadre_a).post(
        reverse("report-edit", args=[report.pk]),
        {"version": report.version, "work_done": "页面", "days_on_site": days, "action": "save"},
    )
    report.refresh_from_db()
    api = api_as(world.cadre_a).patch(
        f"/api/v1/reports/{report.pk}/",
        {"version": report.version, "work_done": "接口", "days_on_site": days},
    )
    assert page_outcome(page) == expected
    assert api_outcome(api) == expected


# --- The services ask the same predicates as the pages and the API ---------------------------


def test_the_report_services_ask_who_may_write_and_who_decides(world, returned):
    period = ReportPeriod.objects.get(programme=world.programme, number=2)
    with pytest.raises(PermissionDenied, match="只有本人可以填写自己的半月报"):
        report_get_or_create_draft(assignment=world.assignment_a, period=period, by=world.office)
    with pytest.raises(PermissionDenied, match="只有本人可以填写自己的半月报"):
        report_save_draft(
            report=returned, by=world.cadre_b, expected_version=None, fields={"work_done": "x"}
        )
    report = report_save_draft(
        report=returned, by=world.cadre_a, expected_version=None, fields={"work_done": "补充"}
    )
    report = report_submit(report=report, by=world.cadre_a)
    with pytest.raises(PermissionDenied, match="只有督查室可以审批和审阅"):
        report_return(report=report, by=world.cadre_a, reason="自己退回")
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_the_plan_services_ask_who_may_write_and_who_decides(world):
    with pytest.raises(PermissionDenied, match="只有驻该企业的干部可以填写工作计划"):
        work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=world.office)
    with pytest.raises(PermissionDenied, match="只有驻该企业的干部可以填写工作计划"):
        work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=world.cadre_b)
    plan = work_plan_get_or_create(
        programme=world.programme, enterprise=world.ent_a, by=world.cadre_a
    )
    with pytest.raises(PermissionDenied, match="只有督查室可以审批和审阅"):
        work_plan_approve(plan=plan, by=world.cadre_a)


def test_a_team_mate_may_open_the_plan_from_the_page_as_from_the_api(world, client_for):
    # The plan belongs to everyone stationed at the enterprise (may_write_plan), not only to the
    # owner of the stationing the page was opened from.
    team_mate = UserFactory(roles=[Role.CADRE])
    AssignmentFactory(
        programme=world.programme,
        cadre=ProfileFactory(user=team_mate, unit=world.dev_bureau),
        enterprise=world.ent_a,
    )
    page = client_for(team_mate).post(reverse("plan-start", args=[world.assignment_a.pk]))
    assert page.status_code == 302
    api = api_as(team_mate).post(
        "/api/v1/work-plans/", {"programme": world.programme.pk, "enterprise": world.ent_a.pk}
    )
    assert api.status_code == 200, api.content  # the page opened it already
