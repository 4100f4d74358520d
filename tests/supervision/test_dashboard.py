"""The leadership dashboard (驾驶舱): every figure against a hand-built data set, every
drill-down link against the list it opens, scoping, and a query count that does not grow."""

import datetime
import re
from decimal import Decimal
from html import unescape
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.choices import Role
from core.dates import SHANGHAI
from projects.models import ProjectMilestone, ProjectProgress
from stationing.models import ProgressReport, WorkPlan
from supervision.choices import TicketState
from supervision.models import Ticket
from supervision.selectors.dashboard import Scope, dashboard
from tests.factories import (
    AssignmentFactory,
    EnterpriseFactory,
    IndicatorFactory,
    ProfileFactory,
    ProgrammeFactory,
    UnitFactory,
    make_person,
    make_ticket,
)
from tests.projects.formality_helpers import make_project

NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def data(world, periods, clock):
    """Period 17 (1-15 November, due 18 November) is the latest fallen due: cadre_a handed it in
    on time, cadre_b did not. Seven tickets; ent_a's plan approved, ent_b's never started."""
    period = periods[17]
    ProgressReport.objects.create(
        assignment=world.assignment_a,
        period=period,
        state="submitted",
        first_submitted_at=NOW - datetime.timedelta(days=8),
        submitted_at=NOW - datetime.timedelta(days=8),
        submission_count=1,
    )
    # Period 16 (16-31 October): both handed in, cadre_b late.
    ProgressReport.objects.create(
        assignment=world.assignment_a, period=periods[16], state="reviewed", rating="good"
    )
    ProgressReport.objects.create(
        assignment=world.assignment_b, period=periods[16], state="submitted", is_late=True
    )
    WorkPlan.objects.create(
        programme=world.programme,
        enterprise=world.ent_a,
        state="approved",
        first_submitted_at=datetime.datetime(2026, 3, 6, tzinfo=SHANGHAI),
    )
    make_ticket(world, TicketState.CLOSED)
    basic = make_ticket(world, TicketState.CLOSED, category="financing")
    Ticket.objects.filter(pk=basic.pk).update(satisfaction="basic")
    red = make_ticket(world, TicketState.IN_PROGRESS)
    Ticket.objects.filter(pk=red.pk).update(deadline=NOW - datetime.timedelta(days=1))
    yellow = make_ticket(world, TicketState.IN_PROGRESS)
    Ticket.objects.filter(pk=yellow.pk).update(yellow_at=NOW - datetime.timedelta(hours=1))
    make_ticket(world, TicketState.SUBMITTED, by=world.cadre_b, enterprise=world.ent_b)
    make_ticket(world, TicketState.WITHDRAWN)
    make_ticket(world, TicketState.REJECTED)
    for month in (1, 2):
        IndicatorFactory(
            enterprise=world.ent_a, month=datetime.date(2026, month, 1), output_value=110
        )
        IndicatorFactory(
            enterprise=world.ent_a, month=datetime.date(2025, month, 1), output_value=100
        )
        IndicatorFactory(
            enterprise=world.ent_b, month=datetime.date(2026, month, 1), output_value=120
        )
        IndicatorFactory(
            enterprise=world.ent_b, month=datetime.date(2025, month, 1), output_value=100
        )
    return period


def test_figures(world, data):
    board = dashboard(user=world.leader, scope=Scope(programme=world.programme))
    c = board.coverage
    assert (c["enterprises"], c["key_stationed"], c["key_enterprises"], c["on_site"]) == (
        2,
        2,
        2,
        2,
    )
    assert (c["plans_approved"], c["plans_overdue"]) == (1, 1)
    r = board.reports
    assert r["period"] == data
    assert (r["owed"], r["handed_in"], r["on_time"], r["missing"]) == (2, 1, 1, 1)
    assert (str(r["rate"]), str(r["on_time_rate"])) == ("50.0", "50.0")
    trend = {row["period"].number: row for row in r["trend"]}
    assert len(trend) == 17
    assert (trend[16]["handed_in"], trend[16]["on_time"], trend[16]["owed"]) == (2, 1, 2)
    assert [u["name"] for u in r["units"]][0] == world.finance_bureau.name
    t = board.tickets
    assert (t["raised"], t["open"], t["yellow"], t["red"], t["closed"]) == (7, 3, 1, 1, 2)
    assert (t["closed_on_time"], t["rated"], t["satisfied"], t["basic"]) == (2, 2, 1, 1)
    assert str(t["closed_rate"]) == "28.6"
    assert str(t["on_time_rate"]) == "100.0"
    assert str(t["satisfaction_rate"]) == "85.0"  # (1 + 0.7) ÷ 2
    assert t["mean_days"] is not None
    assert {row["category"]: row["raised"] for row in t["by_category"]} == {
        "utilities": 6,
        "financing": 1,
    }
    (department,) = t["departments"]
    assert department["assigned"] == 4  # withdrawn and rejected ones were never assigned
    assert department["rank"] is None  # below the appraisal's minimum sample of 5
    assert sum(week["raised"] for week in t["weekly"]) == 7
    i = board.indicators
    growth = {row["key"]: row["growth"] for row in i["totals"]}
    assert str(growth["output_value"]) == "15.0"
    assert [row["name"] for row in i["rows"]] == [world.ent_a.name]  # 10% < 17%
    assert i["enterprises"] == 2


def test_filters_narrow_every_figure(world, data):
    scope = Scope(programme=world.programme, unit=world.finance_bureau)
    board = dashboard(user=world.leader, scope=scope)
    assert board.coverage["enterprises"] == 1
    assert (board.reports["owed"], board.reports["handed_in"]) == (1, 0)
    assert board.tickets["raised"] == 1
    scope = Scope(programme=world.programme, region=world.town_a)
    assert dashboard(user=world.leader, scope=scope).tickets["raised"] == 6


@pytest.mark.parametrize("params", ["", "&unit={unit}", "&region={region}"])
def test_every_figure_opens_the_list_it_counts(world, data, client_for, params):
    client = client_for(world.leader)
    query = params.format(unit=world.finance_bureau.pk, region=world.town_a.pk)
    page = client.get(f"/dashboard/?programme={world.programme.pk}{query}")
    assert page.status_code == 200
    html = page.content.decode()
    cards = re.findall(
        r'<a class="stat-link" href="([^"]+)" data-testid="fig-([a-z_]+)">.*?'
        r'data-testid="fig-value">(\d+)<',
        html,
    )
    assert len(cards) == 24  # 20, and 4 of key projects
    for url, key, value in cards:
        response = client.get(unescape(url))
        assert response.status_code == 200, (key, url)
        assert response.context["total"] == int(value), (key, url)
    # The tables' links too (trend, units, breakdowns, departments, weekly).
    cells = re.findall(r'<td><a href="([^"]+)">(\d+)</a></td>', html)
    assert len(cells) > 20
    for url, value in cells:
        response = client.get(unescape(url))
        assert response.context["total"] == int(value), url


def test_scoping(world, data, client_for):
    for user in (world.cadre_a, world.department, world.enterprise_a, world.outsider):
        assert client_for(user).get("/dashboard/").status_code == 403
    assert client_for(world.office).get("/dashboard/").status_code == 200
    other_county = world.other_county
    other = ProgrammeFactory(name="邻县驻企", organiser=other_county)
    AssignmentFactory(programme=other, enterprise=EnterpriseFactory(region=world.town_far))
    stranger = make_person("leader_far", [Role.LEADER], name="邻县领导", unit=other_county)
    client = client_for(stranger)
    assert client.get(f"/dashboard/?programme={world.programme.pk}").status_code == 404
    page = client.get("/dashboard/")
    assert page.context["scope"].programme == other
    assert world.programme.name not in page.content.decode()
    # The leader of the county cannot open the neighbour's programme either.
    assert client_for(world.leader).get(f"/dashboard/?programme={other.pk}").status_code == 404
    # A work group of another programme is not a choice: 404.
    group = other.work_groups.create(name="邻县工作组")
    url = f"/dashboard/?programme={world.programme.pk}&work_group={group.pk}"
    assert client_for(world.leader).get(url).status_code == 404


def test_wall_mode(world, data, client_for):
    page = client_for(world.leader).get(f"/dashboard/?programme={world.programme.pk}&wall=1")
    html = page.content.decode()
    assert 'http-equiv="refresh"' in html
    assert "navbar" not in html
    assert "dashboard-wall" in html


def _more_rows(world, n):
    unit = UnitFactory()
    leader = make_person(f"leader-{n}", [Role.LEADER], unit=world.county, phone="13700000000")
    for k in range(n):
        enterprise = EnterpriseFactory(region=world.town_b)
        AssignmentFactory(
            programme=world.programme,
            cadre=ProfileFactory(unit=unit, phone=f"138{k:08d}"),
            enterprise=enterprise,
            work_group=world.group,
        )
        IndicatorFactory(enterprise=enterprise, month=datetime.date(2026, 1, 1))
        IndicatorFactory(enterprise=enterprise, month=datetime.date(2025, 1, 1))
        project = make_project(
            world, f"项目{k}", enterprise=False, leader=leader if k % 2 else world.leader,
            lead_unit=unit, stage="construction" if k % 3 else "sign",
        )  # fmt: skip
        ProjectMilestone.objects.create(
            project=project, title="开工", planned_date=datetime.date(2026, 11, 1 + k % 28)
        )
        ProjectProgress.objects.create(
            project=project,
            month=datetime.date(2026, 10, 1),
            investment_month=Decimal(k),
            stage_reached=project.stage,
            work_done="推进中。",
            submitted_at=NOW,
        )
        ticket = make_ticket(world, TicketState.CLOSED if k % 2 else TicketState.IN_PROGRESS)
        Ticket.objects.filter(pk=ticket.pk).update(category="land" if k % 3 else "market")


def test_query_count_does_not_grow(world, data, projects, client_for):
    client = client_for(world.leader)
    url = f"/dashboard/?programme={world.programme.pk}&work_group={world.group.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more_rows(world, 50)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.context["board"].coverage["on_site"] == 52
    assert len(many) == len(few), len(few)
    assert timezone.now() == NOW


# --- Key projects (领导包项) ---------------------------------------------------------------------


@pytest.fixture
def projects(world, clock):
    """Three projects of the programme (and one of another): 甲 red (a milestone 10 days late),
    乙 yellow (one due in 5 days), 丙 green (planned for next year); this year's plan 1500, done
    300 + 100 (甲's December 2025 amount is last year's)."""
    leader2 = make_person(
        "leader2", [Role.LEADER], name="李副县长", unit=world.county, phone="13700000001"
    )
    first = make_project(
        world, "甲园区", stage="construction", year_planned_investment=Decimal("1000")
    )
    second = make_project(
        world,
        "乙路",
        stage="sign",
        leader=leader2,
        lead_unit=world.finance_bureau,
        region=world.town_b,
        year_planned_investment=Decimal("500"),
    )
    third = make_project(
        world,
        "丙厂",
        stage="construction",
        lead_unit=world.finance_bureau,
        plan_year=2027,
        year_planned_investment=Decimal("800"),
    )
    make_project(world, "他批次项目", programme=ProgrammeFactory(organiser=world.county))
    milestone = ProjectMilestone.objects.create
    milestone(project=first, title="主体封顶", planned_date=datetime.date(2026, 11, 10))
    milestone(project=second, title="开工", planned_date=datetime.date(2026, 11, 25))
    milestone(project=third, title="试生产", planned_date=datetime.date(2026, 12, 31))
    milestone(
        project=third,
        title="签约",
        planned_date=datetime.date(2026, 5, 1),
        actual_date=datetime.date(2026, 5, 2),
    )
    for project, month, amount in (
        (first, datetime.date(2026, 10, 1), 200),
        (first, datetime.date(2026, 11, 1), 100),
        (first, datetime.date(2025, 12, 1), 50),
        (second, datetime.date(2026, 9, 1), 100),
    ):
        ProjectProgress.objects.create(
            project=project,
            month=month,
            investment_month=Decimal(amount),
            stage_reached=project.stage,
            work_done="推进中。",
            submitted_at=NOW,
        )
    return SimpleNamespace(first=first, second=second, third=third, leader2=leader2)


def test_project_figures(world, projects):
    p = dashboard(user=world.leader, scope=Scope(programme=world.programme)).projects
    assert p["count"] == 3
    assert p["colours"] == {"green": 1, "yellow": 1, "red": 1}
    assert {row["stage"]: (row["total"], row["red"], row["yellow"]) for row in p["by_stage"]} == {
        "construction": (2, 1, 0),
        "sign": (1, 0, 1),
    }
    assert (p["planned"], p["done"], str(p["done_rate"])) == (1500, 400, "26.7")
    assert p["late_milestones"] == 1
    assert [(r["project"].name, r["days"]) for r in p["late_rows"]] == [("甲园区", 10)]
    leaders = {r["id"]: r for r in p["leaders"]}
    assert (leaders[world.leader.pk]["projects"], leaders[world.leader.pk]["red"]) == (2, 1)
    assert (leaders[world.leader.pk]["planned"], leaders[world.leader.pk]["done"]) == (1000, 300)
    assert (leaders[projects.leader2.pk]["yellow"], leaders[projects.leader2.pk]["done"]) == (
        1,
        100,
    )
    assert [r["name"] for r in p["leaders"]][0] == "王县长"  # the one with a red project first
    units = {r["id"]: (r["projects"], r["red"], r["yellow"]) for r in p["units"]}
    assert units == {world.dev_bureau.pk: (1, 1, 0), world.finance_bureau.pk: (2, 0, 1)}
    # Narrowed: region (the project's), unit (leading or helping).
    scope = Scope(programme=world.programme, region=world.town_a)
    assert dashboard(user=world.leader, scope=scope).projects["count"] == 2
    projects.first.co_units.add(world.finance_bureau)
    scope = Scope(programme=world.programme, unit=world.finance_bureau)
    assert dashboard(user=world.leader, scope=scope).projects["count"] == 3


@pytest.mark.parametrize("params", ["", "&unit={unit}", "&region={region}"])
def test_project_figures_open_the_project_list_they_count(world, projects, client_for, params):
    client = client_for(world.leader)
    query = params.format(unit=world.finance_bureau.pk, region=world.town_a.pk)
    html = client.get(f"/dashboard/?programme={world.programme.pk}{query}").content.decode()
    section = html.split('data-testid="dashboard-projects"')[1].split("</section>")[0]
    links = re.findall(r'<a class="stat-link" href="([^"]+)" data-testid="fig-[a-z_]+">.*?'
                       r'data-testid="fig-value">(\d+)<', section)  # fmt: skip
    links += re.findall(r'<td><a href="([^"]+)">(\d+)</a></td>', section)
    assert len(links) > 10
    for url, value in links:
        assert url.startswith("/projects/?")
        response = client.get(unescape(url))
        assert response.context["total"] == int(value), url


def test_cached_figures_are_per_user_and_scope_and_say_when_they_were_computed(
    world, data, client_for, settings
):
    """With DASHBOARD_CACHE_SECONDS the figures are computed once per user and scope and
    reused; the page keeps saying when they were computed. Another user, or another scope,
    gets figures of its own."""
    settings.DASHBOARD_CACHE_SECONDS = 300
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"}
    }
    leader = client_for(world.leader)
    url = f"/dashboard/?programme={world.programme.pk}"
    first = leader.get(url).context["board"]
    raised = first.tickets["raised"]
    make_ticket(world)
    again = leader.get(url).context["board"]
    assert again.tickets["raised"] == raised and again.now == first.now
    # The office's own figures are computed for it, with the new ticket.
    office = client_for(world.office).get(url).context["board"]
    assert office.tickets["raised"] == raised + 1
    # Another scope is computed apart from the first.
    narrowed = leader.get(f"{url}&region={world.town_a.pk}").context["board"]
    assert narrowed.scope.region == world.town_a
    settings.DASHBOARD_CACHE_SECONDS = 0
    assert leader.get(url).context["board"].tickets["raised"] == raised + 1


def test_enterprises_furthest_below_target_are_found_by_the_database(world, data):
    """The enterprises below the output-value target: the growth rounded half up (ties away
    from zero, as the totals), furthest below first, equal growths by pinyin, at most ten, and
    each indicator's growth the same as the totals' rule gives."""
    from supervision.selectors.dashboard import FURTHEST_BELOW, growth

    # (name, output value this January, a year earlier)
    figures = [
        ("乙方机械", "112.25", "100"),  # 12.25 -> 12.3, not 12.2
        ("甲方机械", "112.25", "100"),  # the same growth: 甲 (jia) before 乙 (yi)
        ("丙方材料", "97.75", "100"),  # -2.25 -> -2.3
        ("丁方电子", "90", "100"),  # -10.0
        ("戊方纺织", "50", "0"),  # nothing to compare with: not listed
        ("己方食品", "117", "100"),  # on target: not listed
        ("庚方化工", "115", "100"),  # below, but the eleventh: cut
    ] + [(f"第{n}号企业", str(100 + n), "100") for n in range(1, 6)]
    for n, (name, current, previous) in enumerate(figures):
        enterprise = EnterpriseFactory(name=name, region=world.town_a)
        AssignmentFactory(
            programme=world.programme,
            enterprise=enterprise,
            cadre=ProfileFactory(phone=f"1371234{n:04d}"),
        )
        IndicatorFactory(
            enterprise=enterprise,
            month=datetime.date(2026, 1, 1),
            output_value=Decimal(current),
            profit=Decimal(current) / 5,
        )
        IndicatorFactory(
            enterprise=enterprise,
            month=datetime.date(2025, 1, 1),
            output_value=Decimal(previous),
            profit=Decimal(previous) / 5 or None,
        )

    rows = dashboard(user=world.leader, scope=Scope(programme=world.programme)).indicators["rows"]

    listed = [(row["name"], str(row["growths"][0]["growth"])) for row in rows]
    assert listed == [
        ("丁方电子", "-10.0"),
        ("丙方材料", "-2.3"),
        ("第1号企业", "1.0"),
        ("第2号企业", "2.0"),
        ("第3号企业", "3.0"),
        ("第4号企业", "4.0"),
        ("第5号企业", "5.0"),
        (world.ent_a.name, "10.0"),
        ("甲方机械", "12.3"),
        ("乙方机械", "12.3"),
    ]
    assert len(rows) == FURTHEST_BELOW
    by_name = {name: (Decimal(c), Decimal(p)) for name, c, p in figures}
    for row in rows:
        if row["name"] in by_name:
            current, previous = by_name[row["name"]]
            cells = {cell["key"]: cell for cell in row["growths"]}
            assert cells["output_value"]["growth"] == growth(current, previous)
            assert cells["profit"]["growth"] == growth(current / 5, previous / 5)
            assert cells["output_value"]["below"]
            assert cells["profit"]["below"] is (cells["profit"]["growth"] < Decimal(10))
            assert cells["investment"]["growth"] is None
    assert growth(Decimal("112.25"), Decimal("100")) == Decimal("12.3")
    assert growth(Decimal("97.75"), Decimal("100")) == Decimal("-2.3")


def test_mean_working_days_follow_the_official_calendar_and_local_days(world, clock):
    """Working days from assignment to answer on the official calendar, by local (Shanghai)
    days: a holiday on a Monday does not count, a make-up Saturday does, and an answer given at
    half past midnight counts on its local day."""
    from supervision.models import CalendarDay
    from supervision.workdays import WorkCalendar

    CalendarDay.objects.update_or_create(
        date=datetime.date(2026, 11, 2), defaults={"is_workday": False}
    )
    CalendarDay.objects.update_or_create(
        date=datetime.date(2026, 10, 31), defaults={"is_workday": True}
    )

    def at(*moment):
        return datetime.datetime(*moment, tzinfo=SHANGHAI)

    spans = [
        # Friday to Monday 00:30 (Sunday in UTC): Monday only.
        (at(2026, 11, 6, 10, 0), at(2026, 11, 9, 0, 30), 1),
        # Monday (a holiday) to Thursday: Tuesday to Thursday.
        (at(2026, 11, 2, 9, 0), at(2026, 11, 5, 16, 0), 3),
        # Wednesday to Wednesday: Thu, Fri, the make-up Saturday, Tue, Wed (Monday a holiday).
        (at(2026, 10, 28, 9, 0), at(2026, 11, 4, 9, 0), 5),
    ]
    calendar = WorkCalendar.load(2026, 2026)
    for assigned, answered, expected in spans:
        assert calendar.working_days_between(assigned.date(), answered.date()) == expected
        ticket = make_ticket(world, TicketState.CLOSED)
        Ticket.objects.filter(pk=ticket.pk).update(assigned_at=assigned, answered_at=answered)
    make_ticket(world, TicketState.SUBMITTED)  # not answered: not counted

    tickets = dashboard(user=world.leader, scope=Scope(programme=world.programme)).tickets
    assert tickets["mean_days"] == Decimal("3.0")  # (1 + 3 + 5) / 3
    (department,) = tickets["departments"]
    assert department["mean_days"] == Decimal("3.0")
