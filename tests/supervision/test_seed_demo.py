"""seed_demo builds a coherent demo county, and a second run changes nothing.

The county's activity (plans, reports, tickets) is relative to the day the seed runs, so the
tests travel to a fixed moment in the programme; one more test seeds on the real date.
"""

import datetime
from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.dates import SHANGHAI
from enterprises.models import Enterprise, IndicatorReport
from enterprises.selectors import enterprise_list
from enterprises.validators import validate_credit_code
from projects.models import ProjectMilestone
from projects.permissions import progress_missing_q
from projects.selectors import due_days_by_programme, my_project_list, project_list, with_figures
from stationing.choices import PeriodStatus, PlanState, ReportState
from stationing.models import (
    Assignment,
    Programme,
    ProgressReport,
    ReportItemProgress,
    WorkPlan,
    WorkPlanVersion,
)
from stationing.periods import generate_periods
from stationing.selectors import (
    assignment_list,
    period_status,
    plan_due_date,
    plan_is_overdue,
    programme_list,
    submission_matrix,
    truancy_list,
)
from supervision.choices import Colour, EventKind, TicketState
from supervision.demo import activity as demo_activity
from supervision.demo.data import (
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    PROGRAMME_END,
    PROGRAMME_START,
    STATIONED_ON,
    build,
)
from supervision.models import Ticket
from supervision.selectors import awaiting_rating, department_inbox
from supervision.workdays import colour

ROLES = ["office", "cadre", "department", "enterprise", "leader"]
# A Monday in the programme's ninth month, when the demo was written.
MOMENT = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def in_the_programme():
    with time_machine.travel(MOMENT, tick=True):
        yield


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row of every portal model and of users and groups, all columns."""
    models = [
        *apps.get_app_config("stationing").get_models(),
        *apps.get_app_config("enterprises").get_models(),
        *apps.get_app_config("supervision").get_models(include_auto_created=True),
        *apps.get_app_config("projects").get_models(include_auto_created=True),
        User,
        Group,
        User.groups.through,
    ]
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}


def test_second_run_changes_nothing_and_prints_the_logins(db):
    """On the real date, whatever it is: the activity is relative to it."""
    seed()
    first = snapshot()
    output = seed()
    assert snapshot() == first
    assert "Nothing to change." in output
    assert DEMO_PASSWORD in output
    for username in DEMO_USERNAMES.values():
        assert f"  {username} " in output
    today = timezone.localdate()
    if STATIONED_ON + datetime.timedelta(days=45) <= today <= PROGRAMME_END:
        assert WorkPlan.objects.count() == 35
        # Fifteen in every state, and one from a key project's monthly progress.
        assert Ticket.objects.count() == 16
        # The demo cadre can try writing a report: one is open (a draft, or not started).
        assert open_periods_of_the_demo_cadre()


def test_seeded_county(db, in_the_programme):
    """One seed, checked from several sides (seeding takes seconds, so it is done once)."""
    output = seed()
    assert "35 work plans" in output
    assert "16 tickets, 5 key projects as of 2026-11-23" in output
    check_36_valid_key_enterprises_each_stationed()
    check_programme_follows_seed_001()
    check_one_demo_login_per_role_and_an_admin()
    check_demo_logins_see_a_coherent_county()
    check_work_plans()
    check_reports()
    check_tickets()
    check_demo_logins_have_something_to_do()
    check_key_projects()


def check_36_valid_key_enterprises_each_stationed():
    enterprises = Enterprise.objects.all()
    assert enterprises.count() == enterprises.filter(is_key=True).count() == 36
    for enterprise in enterprises:
        validate_credit_code(enterprise.credit_code)
        assignments = Assignment.objects.filter(enterprise=enterprise)
        assert 1 <= assignments.count() <= 2, enterprise.name
        assert assignments.filter(role="leader").count() == 1, enterprise.name
        assert enterprise.surveys.count() == 1
        assert IndicatorReport.objects.filter(enterprise=enterprise, source="cadre").count() == 6
    assert 36 <= Assignment.objects.values("cadre").distinct().count() <= 45


def check_programme_follows_seed_001():
    programme = Programme.objects.get(name="2026年县领导包项、干部驻企活动")
    assert programme.status == "active"
    assert (programme.start_date.isoformat(), programme.end_date.isoformat()) == (
        "2026-03-01",
        "2027-02-28",
    )
    assert programme.growth_targets == {
        "output_value": 17,
        "value_added": 16,
        "profit_tax": 10,
        "profit": 10,
        "investment": 30,
    }
    assert (programme.report_due_days, programme.plan_due_days) == (3, 7)
    groups = programme.work_groups.all()
    assert len(groups) == 6
    assert all(group.leader.groups.filter(name="leader").exists() for group in groups)


def check_one_demo_login_per_role_and_an_admin():
    for role in ROLES:
        can_sign_in = [
            user for user in User.objects.filter(groups__name=role) if user.has_usable_password()
        ]
        usernames = sorted(user.username for user in can_sign_in)
        # The admin superuser also holds the office role so that its home page is useful.
        expected = sorted([DEMO_USERNAMES[role], *(["admin"] if role == "office" else [])])
        assert usernames == expected, role
        assert all(user.check_password(DEMO_PASSWORD) for user in can_sign_in)
    admin = User.objects.get(username=DEMO_USERNAMES["admin"])
    assert admin.is_superuser and admin.is_staff


def check_demo_logins_see_a_coherent_county():
    users = {role: User.objects.get(username=name) for role, name in DEMO_USERNAMES.items()}
    assert enterprise_list(user=users["office"]).count() == 36
    assert programme_list(user=users["leader"]).count() == 1
    cadre_enterprises = list(enterprise_list(user=users["cadre"]))
    assert cadre_enterprises == [users["enterprise"].profile.enterprise]
    # The demo enterprise has two cadres, so its contact and the demo cadre both see a team.
    assert assignment_list(user=users["enterprise"]).count() == 2
    assert users["department"].profile.unit.is_responsible


def test_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())


def check_work_plans():
    programme = Programme.objects.get()
    plans = WorkPlan.objects.filter(programme=programme)
    assert Counter(plans.values_list("state", flat=True)) == {
        PlanState.APPROVED: 32,
        PlanState.SUBMITTED: 2,  # revisions waiting for the office
        PlanState.RETURNED: 1,  # a revision returned with a comment
    }
    returned = WorkPlanVersion.objects.get(state=PlanState.RETURNED)
    assert returned.comment and returned.number == 2
    first_versions = WorkPlanVersion.objects.filter(number=1)
    assert set(first_versions.values_list("state", flat=True)) == {PlanState.APPROVED}
    for version in first_versions:
        assert 3 <= len(version.items) <= 5, version.plan
        assert len({item["area"] for item in version.items}) >= 3, version.plan
    late = [
        plan
        for plan in plans
        if plan_is_overdue(
            due_date=plan_due_date(programme=programme, enterprise_id=plan.enterprise_id),
            first_submitted_at=plan.first_submitted_at,
        )
    ]
    assert len(late) == 1  # approved, but first submitted after the 7-day deadline
    # One enterprise has no plan at all, long after its deadline.
    missing = Enterprise.objects.exclude(work_plans__programme=programme).get()
    due = plan_due_date(programme=programme, enterprise_id=missing.pk)
    assert plan_is_overdue(due_date=due, first_submitted_at=None)


def check_reports():
    programme = Programme.objects.get()
    states = Counter(ProgressReport.objects.values_list("state", flat=True))
    assert states[ReportState.RETURNED] == 1 and states[ReportState.DRAFT] == 1
    assert states[ReportState.REVIEWED] > states[ReportState.SUBMITTED] > 0
    reports = ProgressReport.objects.exclude(state=ReportState.DRAFT)
    assert reports.filter(is_late=True).exists() and reports.filter(is_late=False).exists()
    ratings = Counter(reports.filter(state=ReportState.REVIEWED).values_list("rating", flat=True))
    assert set(ratings) == {"excellent", "good", "fair"}
    # Every period already due has reports, submitted before now.
    due = programme.periods.filter(due_at__lte=timezone.now())
    assert due.count() == 17
    assert all(period.reports.exists() for period in due)
    assert not reports.filter(submitted_at__gt=timezone.now()).exists()
    # Behind plan: a reason and a remedy; days on site within the period.
    for report in reports.select_related("period"):
        assert 0 < report.days_on_site <= (report.period.end - report.period.start).days + 1
    assert reports.exclude(behind_reason="").filter(remedy="").count() == 0
    assert reports.exclude(behind_reason="").exists()
    # Item progress never goes down from one period to the next.
    rows = ReportItemProgress.objects.exclude(report__state=ReportState.DRAFT).order_by(
        "report__period__number"
    )
    last: dict = {}
    for assignment_id, item_id, progress in rows.values_list(
        "report__assignment_id", "item_id", "progress"
    ):
        assert progress >= last.get((assignment_id, item_id), 0)
        last[(assignment_id, item_id)] = progress
    # Two cadres have missed several reports in a row; most have missed none.
    office = User.objects.get(username=DEMO_USERNAMES["office"])
    truants = truancy_list(matrix=submission_matrix(user=office, programme=programme))
    assert [row.missed_in_a_row >= 3 for row in truants[:2]] == [True, True]
    assert len(truants) < Assignment.objects.count() / 2


def check_tickets():
    # The one from a key project's progress: check_key_projects.
    tickets = Ticket.objects.filter(project__isnull=True)
    assert Counter(tickets.values_list("state", flat=True)) == {
        TicketState.SUBMITTED: 2,
        TicketState.ACCEPTED: 1,
        TicketState.ASSIGNED: 2,
        TicketState.IN_PROGRESS: 4,
        TicketState.ANSWERED: 1,
        TicketState.CLOSED: 3,
        TicketState.REJECTED: 1,
        TicketState.WITHDRAWN: 1,
    }
    closed = tickets.filter(state=TicketState.CLOSED)
    assert set(closed.values_list("satisfaction", flat=True)) == {"satisfied", "basic"}
    assert tickets.exclude(reason="").count() == 2  # the rejected and the withdrawn one
    assert tickets.filter(extensions__state="pending").count() == 1
    from_report = tickets.get(report_problem__isnull=False)
    assert from_report.created_at >= from_report.report_problem.report.submitted_at
    # Clocks were started in the past (back-filled), and the timeline says so.
    for ticket in tickets.exclude(assigned_at=None):
        event = ticket.events.get(kind=EventKind.ASSIGN)
        assert event.at == ticket.assigned_at < timezone.now() - datetime.timedelta(hours=12)
        assert ticket.created_at <= ticket.assigned_at
    assert len(set(tickets.values_list("category", flat=True))) >= 9


def check_demo_logins_have_something_to_do():
    users = {role: User.objects.get(username=name) for role, name in DEMO_USERNAMES.items()}
    inbox = list(department_inbox(user=users["department"]))
    colours = Counter(colour(ticket) for ticket in inbox)
    assert colours[Colour.RED] == 1 and colours[Colour.YELLOW] == 1 and len(inbox) >= 3
    red = next(ticket for ticket in inbox if colour(ticket) == Colour.RED)
    assert red.is_urged and red.leader == users["leader"]
    assert awaiting_rating(user=users["enterprise"]).count() == 1
    assert open_periods_of_the_demo_cadre() == [PeriodStatus.DRAFT]


def open_periods_of_the_demo_cadre() -> list[str]:
    """Statuses of the demo cadre's periods that are open for writing (started, not yet due)."""
    now = timezone.localtime()
    assignment = Assignment.objects.get(cadre__user__username=DEMO_USERNAMES["cadre"])
    statuses = []
    for period in assignment.programme.periods.filter(start__lte=now.date(), due_at__gt=now):
        report = ProgressReport.objects.filter(assignment=assignment, period=period).first()
        status = period_status(report=report, period=period, now=now)
        if status in (PeriodStatus.DRAFT, PeriodStatus.NOT_STARTED):
            statuses.append(status)
    return statuses


def test_report_window_keeps_only_the_latest_periods():
    """With a window of n, only the last n periods already due get reports (a quicker demo)."""
    county = build()
    plans = demo_activity.build_plans(county, MOMENT)
    periods = [
        demo_activity.PeriodData(spec.number, spec.start, spec.end, spec.due_at)
        for spec in generate_periods(
            start=PROGRAMME_START, end=PROGRAMME_END, cycle="half_month", due_days=3
        )
    ]
    due = [period.number for period in periods if period.due_at <= MOMENT]
    for window, expected in ((None, due), (8, due[-8:])):
        built = demo_activity.build_reports(county, plans, periods, MOMENT, window=window)
        assert {r.period_number for r in built.reports if r.submit_at} == set(expected)
        # The demo cadre's draft is for the period open now (16-30 November).
        drafts = [r for r in built.reports if r.submit_at is None]
        assert [r.period_number for r in drafts] == [due[-1] + 1]


def check_key_projects():
    """Five projects over the three lists; the demo leader and the demo cadre see theirs (我的项目);
    one milestone late, one due within the week, some met; one month missing; one problem
    became a ticket of the project with an investing enterprise."""
    users = {role: User.objects.get(username=name) for role, name in DEMO_USERNAMES.items()}
    projects = with_figures(project_list(user=users["office"]))
    assert projects.count() == 5
    assert set(projects.values_list("category", flat=True)) == {
        "infrastructure",
        "industry",
        "livelihood",
    }
    assert len(set(projects.values_list("stage", flat=True))) >= 3
    assert set(projects.values_list("colour", flat=True)) == {"red", "yellow", "green"}
    assert ProjectMilestone.objects.filter(actual_date__isnull=False).count() >= 3
    assert my_project_list(user=users["leader"]).count() >= 3
    assert my_project_list(user=users["cadre"]).count() >= 1
    missing = progress_missing_q(due_days_by_programme())
    assert projects.filter(missing).count() == 1
    ticket = Ticket.objects.get(project__isnull=False)
    assert ticket.project.enterprise_id == ticket.enterprise_id
    assert ticket.project_problem.progress.project_id == ticket.project_id
