"""The leadership dashboard (驾驶舱): a programme's figures as of now, for office and leaders.

Every figure asks the existing rules and is counted by aggregate queries whose number does not
depend on the rows (Count/Sum with filter=Q(...), one grouped query per breakdown):

1. Scope: the programme's stationings the user may see (stationing's assignment_list), narrowed
   by region (the enterprise's region and below), dispatching unit (the cadre's) and work group.
   Tickets are the programme's tickets the user may see (ticket_list) at those enterprises
   (stationed_by_q); reports those of the stationings (report_list).
2. Coverage: stationings active today (the assignment list's active_on), the enterprises they
   cover (and the key ones among the key enterprises of the region), plans approved, plans
   overdue (stationing's plan_overdue_q, the SQL form of overdue_plan_list).
3. Reports: "this period" is the period that fell due most recently (before its due moment a
   report is not missing yet). Owed: covering_assignments; handed in: handed_in_q; on time:
   handed in and not is_late. Rates are of the owed. The trend: every period fallen due, one
   query; units: this period's rates per dispatching unit, lowest first.
4. Tickets: raised, open (OPEN_STATES), yellow and red (colour_q), closed; 办结率 = closed ÷
   raised; 按时办结率 = closed and answered by the deadline (answered_on_time_q) ÷ closed;
   满意率 = (满意 + 0.7 × 基本满意) ÷ rated (the appraisal's BASIC_SHARE); mean working days
   from assignment to answer (the official calendar, as the appraisal counts them).
   Departments as the appraisal measures them (assigned, not withdrawn; on-time rate, then
   satisfaction), ranked only with its minimum sample. Weekly: tickets raised per week.
5. Indicators: for the enterprises stationed today, the sums of January to the latest month
   reported this year against the same months a year earlier (累计同比), per indicator and per
   enterprise, against the programme's growth targets (seed 001's defaults where it sets none).
6. Key projects: the programme's projects the user may see (projects' project_list), narrowed
   by region (the project's) and unit (leading or helping, as the project list's `unit`); work
   groups do not apply to projects. By stage and colour (the worst open milestone: projects'
   project_colour rule) in one grouped query; this year's planned investment of the projects
   planned for this year against the monthly amounts reported for this year; late milestones;
   per responsible leader and per lead unit (牵头单位), each a grouped query.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Abs,
    Coalesce,
    Round,
    TruncDate,
    TruncWeek,
)
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import SHANGHAI, local_date
from core.models import Unit
from enterprises.models import IndicatorReport
from enterprises.selectors import enterprise_list
from projects.choices import STAGE_ORDER
from projects.choices import Colour as ProjectColour
from projects.models import KeyProject, ProjectMilestone, ProjectProgress
from projects.permissions import milestone_colour_q, project_colour_expression, project_colour_q
from projects.selectors import project_list
from stationing.choices import PlanState
from stationing.models import Assignment, Programme, ProgressReport, ReportPeriod, WorkGroup
from stationing.selectors import (
    assignment_list,
    covering_assignments,
    handed_in_q,
    plan_overdue_q,
    work_plan_list,
)

from ..choices import OPEN_STATES, AppraisalState, Colour, Satisfaction, TicketState
from ..services.appraisal import appraisal_settings, ranks_by
from ..workdays import WorkCalendar
from .appraisal import appraisal_run_list
from .bulletins import bulletin_list
from .performance import BASIC_SHARE, department_counts, department_tickets
from .tickets import answered_on_time_q, colour_q, stationed_by_q, ticket_list

logger = logging.getLogger(__name__)

# Seed 001: 工业总产值增幅不低于17%，增加值16%，利税10%，利润10%，工业投资30%. A programme's
# growth_targets (same keys) override them.
DEFAULT_GROWTH_TARGETS = {
    "output_value": 17,
    "value_added": 16,
    "profit_tax": 10,
    "profit": 10,
    "investment": 30,
}
INDICATORS = tuple(DEFAULT_GROWTH_TARGETS)
LOWEST_UNITS = 5
FURTHEST_BELOW = 10
TREND_WEEKS = 12


@dataclass(frozen=True)
class Scope:
    """What the dashboard shows: a programme and the optional narrowing filters."""

    programme: Programme
    region: Unit | None = None
    unit: Unit | None = None
    work_group: WorkGroup | None = None


def _decimal(value: Fraction) -> Decimal:
    """One decimal, ties away from zero (half up), as PostgreSQL's round() does."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def ratio(part, whole) -> Decimal | None:
    """A share in per cent, one decimal, half up; None when there is nothing to divide by."""
    if not whole:
        return None
    return _decimal(Fraction(part) * 100 / Fraction(whole))


def growth_targets(programme: Programme) -> dict[str, Decimal]:
    targets = {**DEFAULT_GROWTH_TARGETS}
    for key, value in (programme.growth_targets or {}).items():
        if key in targets and value is not None:
            targets[key] = value
    return {key: Decimal(str(value)) for key, value in targets.items()}


# --- Scoped querysets ---------------------------------------------------------------------------


def scope_assignments(*, user: User, scope: Scope) -> QuerySet:
    qs = assignment_list(user=user).filter(programme=scope.programme)
    if scope.region is not None:
        qs = qs.filter(enterprise__region__path__startswith=scope.region.path)
    if scope.unit is not None:
        qs = qs.filter(cadre__unit=scope.unit)
    if scope.work_group is not None:
        qs = qs.filter(work_group=scope.work_group)
    return qs


def scope_tickets(*, user: User, scope: Scope) -> QuerySet:
    qs = ticket_list(user=user).filter(programme=scope.programme)
    if scope.region is not None:
        qs = qs.filter(enterprise__region__path__startswith=scope.region.path)
    if scope.unit is not None:
        qs = qs.filter(stationed_by_q(cadre__unit_id=scope.unit.pk))
    if scope.work_group is not None:
        qs = qs.filter(stationed_by_q(work_group_id=scope.work_group.pk))
    return qs


def active_on_q(day: datetime.date, prefix: str = "") -> Q:
    """The assignment list's active_on filter, as a condition."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


# --- Coverage -----------------------------------------------------------------------------------


def coverage(*, user: User, scope: Scope, now: datetime.datetime) -> dict:
    today = local_date(now)
    active = active_on_q(today)
    row = (
        scope_assignments(user=user, scope=scope)
        .order_by()
        .aggregate(
            on_site=Count("pk", filter=active),
            enterprises=Count("enterprise", distinct=True, filter=active),
            key_stationed=Count(
                "enterprise", distinct=True, filter=active & Q(enterprise__is_key=True)
            ),
            stationed_ever=Count("enterprise", distinct=True),
            plans_overdue=Count("pk", filter=plan_overdue_q(now)),
        )
    )
    keys = enterprise_list(user=user).filter(is_key=True)
    if scope.region is not None:
        keys = keys.filter(region__path__startswith=scope.region.path)
    row["key_enterprises"] = keys.order_by().count()
    plans = work_plan_list(user=user).filter(programme=scope.programme)
    if scope.region is not None:
        plans = plans.filter(enterprise__region__path__startswith=scope.region.path)
    if scope.unit is not None:
        plans = plans.filter(_plan_stationed_by(cadre__unit=scope.unit))
    if scope.work_group is not None:
        plans = plans.filter(_plan_stationed_by(work_group=scope.work_group))
    row.update(
        plans.order_by().aggregate(
            plans=Count("pk"), plans_approved=Count("pk", filter=Q(state=PlanState.APPROVED))
        )
    )
    row["key_coverage"] = ratio(row["key_stationed"], row["key_enterprises"])
    return row


def _plan_stationed_by(**conditions) -> Q:
    """The plan list's unit filter (a cadre of the unit stationed at the plan's enterprise in
    its programme), for the work group too."""
    return Q(
        Exists(
            Assignment.objects.filter(
                programme=OuterRef("programme"), enterprise=OuterRef("enterprise"), **conditions
            )
        )
    )


# --- Reports ------------------------------------------------------------------------------------


def current_period(*, scope: Scope, now: datetime.datetime) -> ReportPeriod | None:
    """The period that fell due most recently."""
    return (
        ReportPeriod.objects.filter(programme=scope.programme, due_at__lt=now)
        .order_by("-due_at", "-pk")
        .first()
    )


def _handed_in_exists(**extra) -> Q:
    return Q(
        Exists(ProgressReport.objects.filter(handed_in_q(), assignment_id=OuterRef("pk"), **extra))
    )


def report_figures(*, user: User, scope: Scope, now: datetime.datetime) -> dict:
    assignments = scope_assignments(user=user, scope=scope)
    period = current_period(scope=scope, now=now)
    result = {"period": period, "owed": 0, "handed_in": 0, "on_time": 0, "missing": 0}
    result.update(units=[], trend=[])
    if period is not None:
        covering = covering_assignments(assignments, period).order_by()
        in_period = _handed_in_exists(period_id=period.pk)
        on_time = _handed_in_exists(period_id=period.pk, is_late=False)
        row = covering.aggregate(
            owed=Count("pk"),
            handed_in=Count("pk", filter=in_period),
            on_time=Count("pk", filter=on_time),
        )
        result.update(row)
        result["missing"] = row["owed"] - row["handed_in"]
        units = [
            {
                "unit_id": unit["cadre__unit_id"],
                # A cadre imported without a dispatching unit is counted under a label, not
                # under an empty name that cannot be sorted with the others.
                "name": unit["cadre__unit__short_name"]
                or unit["cadre__unit__name"]
                or _("未填派出单位"),
                "owed": unit["owed"],
                "handed_in": unit["handed_in"],
                "on_time": unit["on_time"],
                "missing": unit["owed"] - unit["handed_in"],
                "rate": ratio(unit["handed_in"], unit["owed"]),
                "on_time_rate": ratio(unit["on_time"], unit["owed"]),
            }
            for unit in covering.values(
                "cadre__unit_id", "cadre__unit__name", "cadre__unit__short_name"
            ).annotate(
                owed=Count("pk"),
                handed_in=Count("pk", filter=in_period),
                on_time=Count("pk", filter=on_time),
            )
        ]
        units.sort(key=lambda u: (u["rate"], u["on_time_rate"], u["name"]))
        result["units"] = units[:LOWEST_UNITS]
    result["rate"] = ratio(result["handed_in"], result["owed"])
    result["on_time_rate"] = ratio(result["on_time"], result["owed"])
    result["trend"] = report_trend(assignments=assignments, scope=scope, now=now)
    return result


def report_trend(*, assignments: QuerySet, scope: Scope, now: datetime.datetime) -> list[dict]:
    """Every period fallen due: owed, handed in, on time.

    Two grouped queries, not a count per period and stationing: the reports of the scope's
    stationings grouped by period (handed in, on time), and the stationings that cover each
    period. On a province (10,000 stationings, 26 periods) the correlated form took seconds.
    """
    periods = list(
        ReportPeriod.objects.filter(programme=scope.programme, due_at__lt=now).order_by("number")
    )
    if not periods:
        return []
    scoped = assignments.order_by().values("pk")
    reports = dict(
        (row["period_id"], row)
        for row in ProgressReport.objects.filter(
            handed_in_q(), period__in=[p.pk for p in periods], assignment_id__in=scoped
        )
        .order_by()
        .values("period_id")
        .annotate(handed_in=Count("pk"), on_time=Count("pk", filter=Q(is_late=False)))
    )
    owed = {
        row["pk"]: row["owed"]
        for row in ReportPeriod.objects.filter(pk__in=[p.pk for p in periods])
        .annotate(
            owed=Count(
                "programme__assignments",
                filter=Q(programme__assignments__in=scoped)
                & Q(programme__assignments__start_date__lte=F("end"))
                & (
                    Q(programme__assignments__end_date__isnull=True)
                    | Q(programme__assignments__end_date__gte=F("start"))
                ),
            )
        )
        .values("pk", "owed")
    }
    rows = []
    for period in periods:
        counted = reports.get(period.pk, {})
        handed_in, on_time = counted.get("handed_in", 0), counted.get("on_time", 0)
        rows.append(
            {
                "period": period,
                "owed": owed.get(period.pk, 0),
                "handed_in": handed_in,
                "on_time": on_time,
                "rate": ratio(handed_in, owed.get(period.pk, 0)),
                "on_time_rate": ratio(on_time, owed.get(period.pk, 0)),
            }
        )
    return rows


# --- Tickets ------------------------------------------------------------------------------------


def _ticket_counts(now) -> dict:
    closed = Q(state=TicketState.CLOSED)
    return {
        "raised": Count("pk"),
        "open": Count("pk", filter=Q(state__in=OPEN_STATES)),
        "yellow": Count("pk", filter=colour_q(Colour.YELLOW, now)),
        "red": Count("pk", filter=colour_q(Colour.RED, now)),
        "closed": Count("pk", filter=closed),
        "closed_on_time": Count("pk", filter=closed & answered_on_time_q()),
        "rated": Count("pk", filter=~Q(satisfaction="")),
        "satisfied": Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
        "basic": Count("pk", filter=Q(satisfaction=Satisfaction.BASIC)),
        "unsatisfied": Count("pk", filter=Q(satisfaction=Satisfaction.UNSATISFIED)),
    }


def satisfaction_rate(row) -> Decimal | None:
    if not row["rated"]:
        return None
    return ratio(row["satisfied"] + BASIC_SHARE * row["basic"], row["rated"])


def _with_rates(row: dict) -> dict:
    row["closed_rate"] = ratio(row["closed"], row["raised"])
    row["on_time_rate"] = ratio(row["closed_on_time"], row["closed"])
    row["satisfaction_rate"] = satisfaction_rate(row)
    return row


def _mean(total: int, n: int) -> Decimal | None:
    if not n:
        return None
    return _decimal(Fraction(total, n))


def _rolled_up(rows: list[dict], key: str) -> list[dict]:
    """Sum the (category, level) rows over the other key: counts add up."""
    totals: dict = {}
    for row in rows:
        target = totals.setdefault(row[key], {key: row[key]})
        for name, value in row.items():
            if name not in ("category", "level"):
                target[name] = target.get(name, 0) + value
    return list(totals.values())


@dataclass
class DaysSpent:
    """Working days from assignment to answer, summed, and the tickets they were counted over."""

    total: int = 0
    tickets: int = 0

    def add_sum(self, days: int, tickets: int) -> None:
        self.total += days
        self.tickets += tickets

    @property
    def mean(self) -> Decimal | None:
        return _mean(self.total, self.tickets)


class _WorkdayNumber(Func):
    """The running number of working days at `day`, read from an index of consecutive days
    passed as one integer array whose first element is `first`'s: index[day - first + 1]."""

    output_field = IntegerField()

    def __init__(self, day, index: list[int], first: datetime.date):
        literal = "{" + ",".join(map(str, index)) + "}"
        super().__init__(Value(literal), day, Value(first, output_field=DateField()))

    def as_sql(self, compiler, connection, **extra_context):
        (index_sql, index_params), (day_sql, day_params), (first_sql, first_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        sql = f"(({index_sql})::integer[])[({day_sql}) - ({first_sql}) + 1]"
        return sql, (*index_params, *day_params, *first_params)


ANSWERED = Q(assigned_at__isnull=False, answered_at__isnull=False)


def _answered_span() -> dict:
    """The first and last local day an answered ticket was assigned or answered on: the span
    the working-day index must cover, read in the same pass as the ticket counts."""
    return {
        "first_assigned": Min(TruncDate("assigned_at", tzinfo=SHANGHAI), filter=ANSWERED),
        "first_answered": Min(TruncDate("answered_at", tzinfo=SHANGHAI), filter=ANSWERED),
        "last_assigned": Max(TruncDate("assigned_at", tzinfo=SHANGHAI), filter=ANSWERED),
        "last_answered": Max(TruncDate("answered_at", tzinfo=SHANGHAI), filter=ANSWERED),
    }


def _working_days_by_unit(
    tickets: QuerySet, first: datetime.date | None, last: datetime.date | None
) -> tuple[dict[int, DaysSpent], DaysSpent]:
    """Working days from assignment to answer, per responsible unit and overall, for the
    answered tickets whose days lie between `first` and `last`.

    Summed by the database: a running index of working days over that span (the official
    calendar, as the appraisal counts) goes to it as one integer array, and each ticket's days
    are the difference of its two dates' entries. One row per unit comes back; grouping by the
    two dates instead returned 65,000 rows for a province's answered tickets.
    """
    answered = tickets.filter(ANSWERED).annotate(
        assigned_day=TruncDate("assigned_at", tzinfo=SHANGHAI),
        answered_day=TruncDate("answered_at", tzinfo=SHANGHAI),
    )
    days: dict[int, DaysSpent] = defaultdict(DaysSpent)
    overall = DaysSpent()
    if first is None or last is None:
        return days, overall
    calendar = WorkCalendar.load(first.year, last.year)
    index, running, day = [], 0, first
    while day <= last:
        running += calendar.is_workday(day)
        index.append(running)
        day += datetime.timedelta(days=1)
    rows = (
        answered.order_by()
        .values("responsible_unit_id")
        .annotate(
            tickets=Count("pk"),
            total=Sum(
                _WorkdayNumber(F("answered_day"), index, first)
                - _WorkdayNumber(F("assigned_day"), index, first)
            ),
        )
    )
    for row in rows:
        days[row["responsible_unit_id"]].add_sum(row["total"], row["tickets"])
        overall.add_sum(row["total"], row["tickets"])
    return days, overall


def ticket_figures(*, user: User, scope: Scope, now: datetime.datetime) -> dict:
    tickets = scope_tickets(user=user, scope=scope).order_by()
    counts = _ticket_counts(now)
    # One pass over the tickets for the totals, the categories and the levels.
    cells = list(
        tickets.values("category", "level").annotate(**counts, **_answered_span()).order_by()
    )
    spans = [{key: row.pop(key) for key in _answered_span()} for row in cells]
    firsts = [d for row in spans for d in (row["first_assigned"], row["first_answered"]) if d]
    lasts = [d for row in spans for d in (row["last_assigned"], row["last_answered"]) if d]
    names = list(counts)
    result = _with_rates({name: sum(row[name] for row in cells) for name in names})
    result["by_category"] = sorted(
        (_with_rates(row) for row in _rolled_up(cells, "category")),
        key=lambda row: -row["raised"],
    )
    result["by_level"] = sorted(
        (_with_rates(row) for row in _rolled_up(cells, "level")), key=lambda row: row["level"]
    )
    days, overall = _working_days_by_unit(
        tickets, min(firsts, default=None), max(lasts, default=None)
    )
    result["mean_days"] = overall.mean
    result["departments"] = department_figures(tickets=tickets, scope=scope, days=days, now=now)
    result["weekly"] = weekly_trend(tickets=tickets, now=now)
    return result


def department_figures(*, tickets: QuerySet, scope: Scope, days: dict, now) -> list[dict]:
    """Per responsible unit, as the appraisal measures departments (selectors.performance):
    tickets assigned (not withdrawn), answered on time, on-time rate, satisfaction; ranked by
    on-time rate, then satisfaction, only with the appraisal's minimum sample."""
    rows = list(
        department_tickets(tickets, end=now)
        .values("responsible_unit_id", "responsible_unit__name", "responsible_unit__short_name")
        .annotate(**department_counts(end=now))
        .order_by("responsible_unit__tree_key", "responsible_unit_id")
    )
    sample = appraisal_settings(scope.programme)["department_min_sample"]
    for row in rows:
        row["name"] = row["responsible_unit__short_name"] or row["responsible_unit__name"]
        row["on_time_rate"] = ratio(row["on_time"], row["assigned"])
        row["satisfaction_rate"] = satisfaction_rate(row)
        spent = days.get(row["responsible_unit_id"])
        row["mean_days"] = spent.mean if spent is not None else None
    keys = [
        (
            row["on_time_rate"],
            row["satisfaction_rate"] if row["satisfaction_rate"] is not None else Decimal(-1),
        )
        if row["assigned"] >= sample
        else None
        for row in rows
    ]
    for row, rank in zip(rows, ranks_by(keys), strict=True):
        row["rank"] = rank
    rows.sort(key=lambda row: (row["rank"] is None, row["rank"] or 0, -row["assigned"]))
    return rows


def _day(value) -> datetime.date:
    return local_date(value) if isinstance(value, datetime.datetime) else value


def weekly_trend(*, tickets: QuerySet, now: datetime.datetime) -> list[dict]:
    """Tickets raised per week (Monday to Sunday, Asia/Shanghai) in the last TREND_WEEKS weeks,
    and how many of them are closed now; weeks without tickets included."""
    today = local_date(now)
    first_monday = today - datetime.timedelta(days=today.weekday(), weeks=TREND_WEEKS - 1)
    rows = (
        tickets.filter(created_at__date__gte=first_monday)
        .annotate(week=TruncWeek("created_at", tzinfo=SHANGHAI))
        .values("week")
        .annotate(raised=Count("pk"), closed=Count("pk", filter=Q(state=TicketState.CLOSED)))
        .order_by("week")
    )
    by_week = {_day(row["week"]): row for row in rows}
    weeks = []
    for n in range(TREND_WEEKS):
        monday = first_monday + datetime.timedelta(weeks=n)
        row = by_week.get(monday, {})
        weeks.append(
            {
                "monday": monday,
                "sunday": monday + datetime.timedelta(days=6),
                "raised": row.get("raised", 0),
                "closed": row.get("closed", 0),
            }
        )
    return weeks


# --- Enterprise indicators ----------------------------------------------------------------------


def _indicator_sums(prefix: str, start: datetime.date, end: datetime.date) -> dict:
    months = Q(month__gte=start, month__lte=end)
    profit_tax = Coalesce("profit", Value(Decimal(0))) + Coalesce("tax", Value(Decimal(0)))
    return {
        f"{prefix}output_value": Sum("output_value", filter=months),
        f"{prefix}value_added": Sum("value_added", filter=months),
        f"{prefix}profit_tax": Sum(
            profit_tax, filter=months & (Q(profit__isnull=False) | Q(tax__isnull=False))
        ),
        f"{prefix}profit": Sum("profit", filter=months),
        f"{prefix}investment": Sum("investment", filter=months),
    }


def growth(current, previous) -> Decimal | None:
    """Growth over the same months a year earlier, in per cent, one decimal, half up; None
    without a current figure or a previous one to compare with."""
    if current is None or not previous:
        return None
    return _decimal((Fraction(current) - Fraction(previous)) * 100 / abs(Fraction(previous)))


def _growth_in_sql(key: str) -> Case:
    """growth() of the `cur_`/`prev_` sums of `key`, computed by the database, so a province's
    10,000 enterprises are compared and sorted where they are summed (seconds of Python
    otherwise) and only the few shown come back."""
    current, previous = F(f"cur_{key}"), F(f"prev_{key}")
    return Case(
        When(
            Q(**{f"cur_{key}__isnull": False, f"prev_{key}__isnull": False})
            & ~Q(**{f"prev_{key}": 0}),
            then=Round((current - previous) * 100 / Abs(previous), 1),
        ),
        default=None,
        output_field=DecimalField(max_digits=30, decimal_places=1),
    )


def indicator_figures(*, user: User, scope: Scope, now: datetime.datetime) -> dict:
    today = local_date(now)
    stationed = (
        scope_assignments(user=user, scope=scope).filter(active_on_q(today)).values("enterprise_id")
    )
    reports = IndicatorReport.objects.filter(enterprise_id__in=stationed).order_by()
    year_start = datetime.date(today.year, 1, 1)
    latest = reports.filter(month__gte=year_start, month__lte=today).aggregate(m=Max("month"))["m"]
    targets = growth_targets(scope.programme)
    result = {
        "targets": targets,
        "latest_month": latest,
        "rows": [],
        "totals": [],
        "enterprises": 0,
    }
    if latest is None:
        return result
    previous_start = year_start.replace(year=today.year - 1)
    previous_end = latest.replace(year=today.year - 1)
    sums = {
        **_indicator_sums("cur_", year_start, latest),
        **_indicator_sums("prev_", previous_start, previous_end),
    }
    totals = reports.aggregate(**sums, enterprises=Count("enterprise_id", distinct=True))
    result["totals"] = [
        {
            "key": key,
            "current": totals[f"cur_{key}"],
            "previous": totals[f"prev_{key}"],
            "growth": growth(totals[f"cur_{key}"], totals[f"prev_{key}"]),
            "target": targets[key],
        }
        for key in INDICATORS
    ]
    for total in result["totals"]:
        total["below"] = total["growth"] is not None and total["growth"] < total["target"]
    result["enterprises"] = totals["enterprises"]
    # The enterprises furthest below the output-value target, by how far, then by name.
    below = (
        reports.values("enterprise_id", "enterprise__name", "enterprise__sort_key")
        .annotate(**sums)
        .annotate(**{f"growth_{key}": _growth_in_sql(key) for key in INDICATORS})
        .filter(growth_output_value__lt=targets["output_value"])
        .order_by("growth_output_value", "enterprise__sort_key", "enterprise_id")
    )
    result["rows"] = [
        {
            "enterprise_id": row["enterprise_id"],
            "name": row["enterprise__name"],
            "growths": [
                {
                    "key": key,
                    "growth": row[f"growth_{key}"],
                    "below": row[f"growth_{key}"] is not None
                    and row[f"growth_{key}"] < targets[key],
                }
                for key in INDICATORS
            ],
            "gap": row["growth_output_value"] - targets["output_value"],
        }
        for row in below[:FURTHEST_BELOW]
    ]
    return result


# --- Key projects (领导包项) --------------------------------------------------------------------

LATE_MILESTONES_LISTED = 10


def scope_projects(*, user: User, scope: Scope) -> QuerySet:
    qs = project_list(user=user).filter(programme=scope.programme)
    if scope.region is not None:
        qs = qs.filter(region__path__startswith=scope.region.path)
    if scope.unit is not None:
        helped = KeyProject.objects.filter(co_units=scope.unit).values("pk")
        qs = qs.filter(Q(lead_unit=scope.unit) | Q(pk__in=helped))
    return qs


def _year_done(year: int) -> Subquery:
    """A project's investment reported for months of `year` (its monthly amounts summed)."""
    return Subquery(
        ProjectProgress.objects.filter(project=OuterRef("pk"), month__year=year)
        .order_by()
        .values("project")
        .annotate(total=Sum("investment_month"))
        .values("total")
    )


def _project_group(projects: QuerySet, key: str, label: str, year: int, today) -> list[dict]:
    rows = (
        projects.annotate(done=Coalesce(_year_done(year), Value(Decimal("0"))))
        .order_by()
        .values(key, label)
        .annotate(
            projects=Count("pk"),
            red=Count("pk", filter=project_colour_q(ProjectColour.RED, today)),
            yellow=Count("pk", filter=project_colour_q(ProjectColour.YELLOW, today)),
            planned=Coalesce(
                Sum("year_planned_investment", filter=Q(plan_year=year)), Value(Decimal("0"))
            ),
            done_sum=Coalesce(Sum("done", filter=Q(plan_year=year)), Value(Decimal("0"))),
        )
    )
    result = [
        {
            "id": row[key],
            "name": row[label] or "",
            "projects": row["projects"],
            "red": row["red"],
            "yellow": row["yellow"],
            "planned": row["planned"],
            "done": row["done_sum"],
            "rate": ratio(row["done_sum"], row["planned"]),
        }
        for row in rows
    ]
    result.sort(key=lambda row: (-row["red"], -row["yellow"], row["name"]))
    return result


def project_figures(*, user: User, scope: Scope, now: datetime.datetime) -> dict:
    today = local_date(now)
    year = today.year
    projects = scope_projects(user=user, scope=scope)
    colours = [c.value for c in ProjectColour]
    by_stage = {stage: dict.fromkeys(colours, 0) for stage in STAGE_ORDER}
    grouped = (
        projects.annotate(colour=project_colour_expression(today))
        .order_by()
        .values("stage", "colour")
        .annotate(n=Count("pk"))
    )
    for row in grouped:
        by_stage[row["stage"]][row["colour"]] = row["n"]
    totals = {colour: sum(counts[colour] for counts in by_stage.values()) for colour in colours}
    money = projects.aggregate(
        planned=Sum("year_planned_investment", filter=Q(plan_year=year)),
        total_investment=Sum("total_investment"),
    )
    done = ProjectProgress.objects.filter(
        project__in=projects.filter(plan_year=year).values("pk"), month__year=year
    ).aggregate(total=Sum("investment_month"))["total"]
    planned = money["planned"] or Decimal("0")
    done = done or Decimal("0")
    late = ProjectMilestone.objects.filter(
        milestone_colour_q(ProjectColour.RED, today), project__in=projects.values("pk")
    )
    late_rows = [
        {"milestone": m, "project": m.project, "days": (today - m.planned_date).days}
        for m in late.select_related("project").order_by("planned_date", "pk")[
            :LATE_MILESTONES_LISTED
        ]
    ]
    return {
        "year": year,
        "count": sum(totals.values()),
        "colours": totals,
        "by_stage": [
            {"stage": stage, **counts, "total": sum(counts.values())}
            for stage, counts in by_stage.items()
            if sum(counts.values())
        ],
        "planned": planned,
        "done": done,
        "done_rate": ratio(done, planned),
        "total_investment": money["total_investment"] or Decimal("0"),
        "late_milestones": late.count(),
        "late_rows": late_rows,
        "leaders": _project_group(projects, "leader_id", "leader__profile__name", year, today),
        "units": _project_group(projects, "lead_unit_id", "lead_unit__name", year, today),
    }


# --- Appraisal and bulletin ---------------------------------------------------------------------


def latest_published(*, user: User, scope: Scope) -> dict:
    run = (
        appraisal_run_list(user=user)
        .filter(programme=scope.programme, state=AppraisalState.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )
    bulletin = (
        bulletin_list(user=user)
        .filter(programme=scope.programme, published_at__isnull=False)
        .select_related("period")
        .order_by("-published_at", "-pk")
        .first()
    )
    return {"run": run, "bulletin": bulletin}


@dataclass
class Dashboard:
    scope: Scope
    now: datetime.datetime
    coverage: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)
    tickets: dict = field(default_factory=dict)
    indicators: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)
    published: dict = field(default_factory=dict)


def cached_dashboard(*, user: User, scope: Scope) -> Dashboard:
    """The dashboard as computed at most DASHBOARD_CACHE_SECONDS ago for this user and scope.

    A province's figures read every ticket, report and monthly figure (seconds of SQL on a
    2-core machine); leaders and the wall display read the same screen again and again. The
    page says when its figures were computed (数据截至). With the setting at 0, or when the cache
    does not answer, the figures are computed for the request.
    """
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return dashboard(user=user, scope=scope)
    key = ":".join(
        str(part)
        for part in (
            "dashboard",
            user.pk,
            translation.get_language(),
            scope.programme.pk,
            scope.region.pk if scope.region else "",
            scope.unit.pk if scope.unit else "",
            scope.work_group.pk if scope.work_group else "",
        )
    )
    try:
        board = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that does not answer only costs the computation
        logger.warning("dashboard cache unavailable", exc_info=True)
        return dashboard(user=user, scope=scope)
    if board is None:
        board = dashboard(user=user, scope=scope)
        try:
            cache.set(key, board, seconds)
        except Exception:  # noqa: BLE001
            logger.warning("dashboard cache unavailable", exc_info=True)
    return board


def dashboard(*, user: User, scope: Scope, now: datetime.datetime | None = None) -> Dashboard:
    """All figures of the dashboard for `scope` (the caller checked the programme is the user's:
    programme_list)."""
    now = timezone.localtime(now or timezone.now())
    return Dashboard(
        scope=scope,
        now=now,
        coverage=coverage(user=user, scope=scope, now=now),
        reports=report_figures(user=user, scope=scope, now=now),
        tickets=ticket_figures(user=user, scope=scope, now=now),
        indicators=indicator_figures(user=user, scope=scope, now=now),
        projects=project_figures(user=user, scope=scope, now=now),
        published=latest_published(user=user, scope=scope),
    )
