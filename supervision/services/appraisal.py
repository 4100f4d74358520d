"""The end-of-period appraisal (考核): runs, the rule, publishing, and the enterprise's rating of
its cadre.

The rule, for cadre c in programme P as of day D (`end`: 23:59:59 of D, Asia/Shanghai):

1. Expected entries: each period of P due by `end` in which one of c's assignments is active on
   the period's last day (`expected_entry_q`; two assignments, two entries).
2. R = 100 × (on time + ½ × late) ÷ expected, where a report counts as handed in when its first
   submission came by `end` (stationing's handed_in_q) and as late when that first submission
   was (its `is_late`, which a resubmission after a return never changes); otherwise missing.
   A = 100 × min(1, days on site in those reports ÷ (8 × expected)).
3. P = mean progress, capped at 100, of the items due by D in the latest version of each of c's
   plans approved by `end`; an item stands at the progress of the latest report handed in by
   `end` that reports it (stationing's reported_progress), else 0. No plan of c approved by
   `end`: P = 0. Approved plans without an item due: P is left out.
4. S = 100 × (满意 + 0.7 × 基本满意, over tickets closed by `end`) ÷ (tickets closed by `end` or
   red at `end`: supervision's colour_q), over the tickets of c's enterprises raised during c's
   assignment there. Withdrawn and rejected tickets do not count.
5. E = 20 × mean stars of the enterprise contacts' latest ratings of c by `end`.
6. O = mean over c's reports reviewed by `end` of 优 100, 良 85, 中 70, 差 50.
7. A component with nothing to measure is left out (None) and the weights of the others are
   renormalised. Total = Σ weight × component ÷ Σ weights present, computed exactly (fractions
   of the integer counts) and rounded half up to 2 decimals; each stored component is rounded
   the same way for display.
8. Grade by the bands; then the 优秀 quota (floor of the share of graded cadres): beyond it the
   lowest totals become 良好 with `quota_moved`, except that everyone tied with the last cadre
   inside the quota keeps 优秀 and the run records the overrun. Rank = 1 + number of cadres with
   a strictly higher total.
9. Units (the cadre's dispatching unit) and work groups (of the cadre's first assignment):
   count, mean, count per grade; ranked by mean only with the minimum sample. Departments:
   tickets of P assigned by `end` (withdrawn excepted), answered on time (by the deadline, which
   includes approved extensions), on-time rate, satisfaction, mean working days to answer;
   ranked by on-time rate then satisfaction with the minimum sample.

Each input is one aggregate query over the whole programme, so the number of queries of a run
does not depend on the number of cadres; the arithmetic on the counts happens in Python, where
it is exact. Working days to answer come from the calendar rule in workdays.py (loaded once).
What was counted is listed too, for the cadre's page, by one more query per kind over the same
conditions (expected entries, reports handed in, reports reviewed, tickets, ratings); the lists
are stored in the result's `detail` with the run, so they never change after publishing either.
"""

import bisect
import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.dates import SHANGHAI, end_of_day, local_date
from core.models import Profile
from stationing.choices import PlanState, ReportRating, ReportState
from stationing.models import (
    Assignment,
    Programme,
    ProgressReport,
    ReportItemProgress,
    WorkPlanItem,
    WorkPlanVersion,
)
from stationing.selectors import handed_in_q
from stationing.services import reported_progress_expression

from .. import notices, permissions
from ..choices import (
    AppraisalGrade,
    AppraisalState,
    Colour,
    ReviewState,
    Satisfaction,
    TicketState,
)
from ..models import (
    AppraisalRun,
    AppraisalSettings,
    CadreRating,
    CadreResult,
    DepartmentResult,
    ResultReviewRequest,
    Ticket,
    UnitResult,
    WorkGroupResult,
)
from ..selectors.performance import (
    BASIC_SHARE,
    department_counts,
    department_tickets,
    on_time_share,
    satisfaction_share,
)
from ..selectors.tickets import colour_q
from ..workdays import WorkCalendar

COMPONENTS = ("reports", "attendance", "plan", "problems", "enterprise_rating", "office_rating")
DEFAULT_WEIGHTS = {
    "reports": 25,
    "attendance": 15,
    "plan": 25,
    "problems": 15,
    "enterprise_rating": 10,
    "office_rating": 10,
}
DEFAULT_BANDS = {"excellent": 90, "good": 80, "pass": 60}  # a grade band, not a password  # nosec B105
DAYS_ON_SITE_PER_ENTRY = 8
RATING_POINTS = {
    ReportRating.EXCELLENT: 100,
    ReportRating.GOOD: 85,
    ReportRating.FAIR: 70,
    ReportRating.POOR: 50,
}
# A run still "running" after this long was abandoned (its process died): a new start may
# replace it instead of being refused forever.
STALE_RUN = datetime.timedelta(hours=2)
BATCH = 1000


class AppraisalBusyError(ValidationError):
    """A run of the programme is already being computed."""

    def __init__(self, message):
        super().__init__(message, code="busy")


class AppraisalStateError(ValidationError):
    def __init__(self, message):
        super().__init__(message, code="state")


# --- Settings ---------------------------------------------------------------------------------


def appraisal_settings(programme: Programme) -> dict:
    """The programme's appraisal settings with the defaults filled in: what a run snapshots.

    Weights and grade bands are the programme's `appraisal_weights` and `grade_bands` (keys as in
    DEFAULT_WEIGHTS and DEFAULT_BANDS); the rest is its AppraisalSettings row, if any.
    """
    extra = AppraisalSettings.objects.filter(programme=programme).first()
    extra = extra or AppraisalSettings(programme=programme)
    weights = {**DEFAULT_WEIGHTS}
    for key, value in (programme.appraisal_weights or {}).items():
        if key in weights:
            weights[key] = value
    bands = {**DEFAULT_BANDS}
    for key, value in (programme.grade_bands or {}).items():
        if key in bands:
            bands[key] = value
    return {
        "weights": weights,
        "bands": bands,
        "excellent_quota_percent": extra.excellent_quota_percent,
        "unit_min_sample": extra.unit_min_sample,
        "department_min_sample": extra.department_min_sample,
        "review_working_days": extra.review_working_days,
        "days_on_site_per_entry": DAYS_ON_SITE_PER_ENTRY,
    }


# --- Arithmetic -------------------------------------------------------------------------------


def round_half_up(value: Fraction | int | None) -> Decimal | None:
    """Exactly, to 2 decimals, halves away from zero (the values are never negative)."""
    if value is None:
        return None
    hundredths = math.floor(Fraction(value) * 100 + Fraction(1, 2))
    return (Decimal(hundredths) / 100).quantize(Decimal("0.01"))


def weighted_total(components: dict, weights: dict) -> Fraction | None:
    """Σ weight × component ÷ Σ weights of the components present (None: left out)."""
    present = {name: value for name, value in components.items() if value is not None}
    weight_sum = sum(Fraction(str(weights[name])) for name in present)
    if not present or weight_sum == 0:
        return None
    return sum(Fraction(str(weights[name])) * value for name, value in present.items()) / weight_sum


def grade_for(total: Decimal | None, bands: dict) -> str:
    if total is None:
        return ""
    if total >= Decimal(str(bands["excellent"])):
        return AppraisalGrade.EXCELLENT
    if total >= Decimal(str(bands["good"])):
        return AppraisalGrade.GOOD
    if total >= Decimal(str(bands["pass"])):
        return AppraisalGrade.PASS
    return AppraisalGrade.FAIL


def ranks_by(values: list) -> list[int | None]:
    """1 + the number of values strictly higher, for each value (None: unranked)."""
    ordered = sorted(value for value in values if value is not None)
    return [
        None if value is None else 1 + len(ordered) - bisect.bisect_right(ordered, value)
        for value in values
    ]


@dataclass
class QuotaOutcome:
    quota: int
    kept: int
    overrun: int
    moved: set = field(default_factory=set)


def apply_quota(results: list, percent: int) -> QuotaOutcome:
    """The 优秀 quota over results with `.total` and `.grade`: floor(percent % of the graded
    cadres). Beyond it the lowest totals become 良好 (quota_moved); all tied with the last one
    inside the quota keep 优秀."""
    graded = [result for result in results if result.total is not None]
    quota = len(graded) * percent // 100
    excellent = sorted(
        (r for r in graded if r.grade == AppraisalGrade.EXCELLENT), key=lambda r: -r.total
    )
    if len(excellent) <= quota:
        return QuotaOutcome(quota=quota, kept=len(excellent), overrun=0)
    boundary = excellent[quota - 1].total if quota else None
    moved = set()
    for result in excellent:
        if boundary is None or result.total < boundary:
            result.grade = AppraisalGrade.GOOD
            result.quota_moved = True
            moved.add(result.cadre_id)
    kept = len(excellent) - len(moved)
    return QuotaOutcome(quota=quota, kept=kept, overrun=max(kept - quota, 0), moved=moved)


# --- The inputs, one aggregate query each -----------------------------------------------------


def expected_entry_q(*, period: str, assignment: str, end: datetime.datetime) -> Q:
    """A period due by `end` in which the assignment is active on the period's last day, as a
    condition over the paths to the period and to the assignment ("" for the queried model)."""
    return Q(**{f"{period}due_at__lte": end, f"{period}end__gte": F(f"{assignment}start_date")}) & (
        Q(**{f"{assignment}end_date__isnull": True})
        | Q(**{f"{assignment}end_date__gte": F(f"{period}end")})
    )


@dataclass
class CadreInputs:
    cadre_id: int
    unit_id: int | None = None
    work_group_id: int | None = None
    enterprise_ids: list = field(default_factory=list)
    expected: int = 0
    on_time: int = 0
    late: int = 0
    days: int = 0
    reviews: int = 0
    review_points: int = 0
    has_plan: bool = False
    plan_items: list = field(default_factory=list)  # [item id, title, due, progress]
    tickets: int = 0
    satisfied: int = 0
    basic: int = 0
    ratings: int = 0
    stars: int = 0
    # What was counted, item by item, for the result page (detail JSON; see _itemise docs).
    entries: list = field(default_factory=list)
    reviewed: list = field(default_factory=list)
    ticket_items: list = field(default_factory=list)
    rating_items: list = field(default_factory=list)


def _roster(programme: Programme, as_of: datetime.date) -> dict[int, CadreInputs]:
    """The cadres with an assignment in the programme begun by D; unit and work group as now."""
    cadres: dict[int, CadreInputs] = {}
    rows = (
        Assignment.objects.filter(programme=programme, start_date__lte=as_of)
        .order_by("start_date", "pk")
        .values_list("cadre_id", "cadre__unit_id", "work_group_id", "enterprise_id")
    )
    for cadre_id, unit_id, work_group_id, enterprise_id in rows:
        inputs = cadres.get(cadre_id)
        if inputs is None:
            inputs = cadres[cadre_id] = CadreInputs(cadre_id, unit_id, work_group_id)
        inputs.enterprise_ids.append(enterprise_id)
    return cadres


def _reports(programme, as_of, end, cadres) -> None:
    assignments = Assignment.objects.filter(programme=programme, start_date__lte=as_of)
    entries = assignments.filter(
        expected_entry_q(period="programme__periods__", assignment="", end=end)
    )
    expected = entries.values("cadre_id").annotate(n=Count("programme__periods")).order_by()
    for row in expected:
        cadres[row["cadre_id"]].expected = row["n"]
    handed_in_reports = (
        ProgressReport.objects.filter(assignment__in=assignments)
        .filter(expected_entry_q(period="period__", assignment="assignment__", end=end))
        .filter(handed_in_q(by=end))
    )
    handed_in = (
        handed_in_reports.values("assignment__cadre_id")
        .annotate(
            on_time=Count("pk", filter=Q(is_late=False)),
            late=Count("pk", filter=Q(is_late=True)),
            days=Sum(Coalesce("days_on_site", Value(0))),
        )
        .order_by()
    )
    for row in handed_in:
        inputs = cadres[row["assignment__cadre_id"]]
        inputs.on_time, inputs.late, inputs.days = row["on_time"], row["late"], row["days"] or 0
    points = Case(
        *(When(rating=rating, then=Value(value)) for rating, value in RATING_POINTS.items()),
        output_field=IntegerField(),
    )
    reviewed_reports = ProgressReport.objects.filter(
        assignment__in=assignments,
        state=ReportState.REVIEWED,
        rating__in=list(RATING_POINTS),
        reviewed_at__lte=end,
    )
    reviewed = (
        reviewed_reports.values("assignment__cadre_id")
        .annotate(n=Count("pk"), points=Sum(points))
        .order_by()
    )
    for row in reviewed:
        inputs = cadres[row["assignment__cadre_id"]]
        inputs.reviews, inputs.review_points = row["n"], row["points"]
    _itemise_reports(entries, handed_in_reports, reviewed_reports, cadres)


def _shown(moment: datetime.datetime | None) -> str | None:
    """A moment as the users read it (Asia/Shanghai, to the minute), for the stored detail."""
    return None if moment is None else f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def _itemise_reports(entries, handed_in, reviewed, cadres) -> None:
    """The entries and reviews behind R, A and O, listed for each cadre's page: three queries
    over the same conditions as the counts (every expected entry, the reports handed in for
    them, the reports reviewed), distributed to the cadres here.

    An entry: its period (number, start, part: the label follows the reader's language), the
    enterprise, the report (None: missing), the verdict (on_time, late, missing) by its first
    submission, that moment, the days on site and the office's rating if reviewed by D."""
    ratings = {}
    rows = reviewed.values_list(
        "assignment__cadre_id",
        "pk",
        "period__number",
        "period__start",
        "period__part",
        "assignment__enterprise__name",
        "rating",
        "reviewed_at",
    ).order_by("period__number", "assignment__enterprise__sort_key", "pk")
    for cadre_id, report_id, number, start, part, enterprise, rating, reviewed_at in rows:
        ratings[report_id] = rating
        cadres[cadre_id].reviewed.append(
            {
                "report": report_id,
                "period": number,
                "start": str(start),
                "part": part,
                "enterprise": enterprise,
                "rating": rating,
                "points": RATING_POINTS[rating],
                "reviewed_at": _shown(reviewed_at),
            }
        )
    reports = {
        (assignment_id, period_id): (report_id, first, late, days)
        for assignment_id, period_id, report_id, first, late, days in handed_in.values_list(
            "assignment_id", "period_id", "pk", "first_submitted_at", "is_late", "days_on_site"
        )
    }
    rows = entries.values_list(
        "cadre_id",
        "pk",
        "enterprise__name",
        "programme__periods__pk",
        "programme__periods__number",
        "programme__periods__start",
        "programme__periods__part",
    ).order_by("programme__periods__number", "enterprise__sort_key", "pk")
    for cadre_id, assignment_id, enterprise, period_id, number, start, part in rows:
        report_id, first, late, days = reports.get((assignment_id, period_id), (None,) * 4)
        verdict = "missing" if report_id is None else ("late" if late else "on_time")
        cadres[cadre_id].entries.append(
            {
                "period": number,
                "start": str(start),
                "part": part,
                "enterprise": enterprise,
                "report": report_id,
                "verdict": verdict,
                "submitted_at": _shown(first),
                "days_on_site": days,
                "rating": ratings.get(report_id, ""),
            }
        )


def _plans(programme, as_of, end, cadres) -> None:
    approved = WorkPlanVersion.objects.filter(
        plan__programme=programme, state=PlanState.APPROVED, decided_at__lte=end
    )
    latest = approved.filter(
        ~Exists(approved.filter(plan_id=OuterRef("plan_id"), number__gt=OuterRef("number")))
    ).values_list("plan__enterprise_id", "items")
    latest_progress = (
        ReportItemProgress.objects.filter(item_id=OuterRef("pk"))
        .filter(handed_in_q("report__", by=end))
        .annotate(value=reported_progress_expression())
        .order_by("-report__period__start", "-report__first_submitted_at", "-pk")
        .values("value")[:1]
    )
    progress = dict(
        WorkPlanItem.objects.filter(plan__programme=programme)
        .annotate(at_end=Subquery(latest_progress))
        .values_list("pk", "at_end")
    )
    items_by_enterprise: dict[int, list] = {}
    for enterprise_id, items in latest:
        due = [
            [item["id"], item.get("title", ""), item["due_date"]]
            for item in items
            if datetime.date.fromisoformat(str(item["due_date"])[:10]) <= as_of
        ]
        items_by_enterprise[enterprise_id] = [
            [item_id, title, due_date, min(progress.get(item_id) or 0, 100)]
            for item_id, title, due_date in due
        ]
    for inputs in cadres.values():
        for enterprise_id in inputs.enterprise_ids:
            if enterprise_id in items_by_enterprise:
                inputs.has_plan = True
                inputs.plan_items.extend(items_by_enterprise[enterprise_id])


def _tickets(programme, as_of, end, cadres) -> None:
    closed = Q(state=TicketState.CLOSED, closed_at__lte=end)
    path = "enterprise__assignments__"
    counted = Ticket.objects.annotate(raised_on=TruncDate("created_at", tzinfo=SHANGHAI)).filter(
        Q(**{f"{path}programme": programme, f"{path}start_date__lte": F("raised_on")})
        & (Q(**{f"{path}end_date__isnull": True}) | Q(**{f"{path}end_date__gte": F("raised_on")}))
        & Q(created_at__lte=end)
        & (closed | colour_q(Colour.RED, end))
    )
    rows = (
        counted.values(f"{path}cadre_id")
        .annotate(
            n=Count("pk"),
            satisfied=Count("pk", filter=closed & Q(satisfaction=Satisfaction.SATISFIED)),
            basic=Count("pk", filter=closed & Q(satisfaction=Satisfaction.BASIC)),
        )
        .order_by()
    )
    for row in rows:
        inputs = cadres.get(row[f"{path}cadre_id"])
        if inputs is not None:
            inputs.tickets, inputs.satisfied, inputs.basic = (
                row["n"],
                row["satisfied"],
                row["basic"],
            )
    _itemise_tickets(counted, closed, path, cadres)


def _itemise_tickets(counted, closed: Q, path: str, cadres) -> None:
    """The tickets behind S, listed for each cadre's page in one query over the same condition
    as the counts: number, title, state and satisfaction now, why it counts (closed by D, or
    red at D) and its weight (1 满意, 0.7 基本满意 when closed by D, else 0)."""
    weights = {Satisfaction.SATISFIED: "1", Satisfaction.BASIC: "0.7"}
    rows = (
        counted.annotate(closed_by_end=ExpressionWrapper(closed, output_field=BooleanField()))
        .values_list(
            f"{path}cadre_id",
            "pk",
            "number",
            "title",
            "state",
            "satisfaction",
            "closed_by_end",
            "closed_at",
            "deadline",
        )
        .order_by("created_at", "pk")
    )
    for (
        cadre_id,
        pk,
        number,
        title,
        state,
        satisfaction,
        closed_by_end,
        closed_at,
        deadline,
    ) in rows:
        inputs = cadres.get(cadre_id)
        if inputs is None:
            continue
        inputs.ticket_items.append(
            {
                "id": pk,
                "number": number,
                "title": title,
                "state": state,
                "satisfaction": satisfaction,
                "reason": "closed" if closed_by_end else "red",
                "weight": weights.get(satisfaction, "0") if closed_by_end else "0",
                "closed_at": _shown(closed_at),
                "deadline": _shown(deadline),
            }
        )


def _ratings(programme, end, cadres) -> None:
    counted = CadreRating.objects.filter(programme=programme, created_at__lte=end)
    newer = counted.filter(
        contact_id=OuterRef("contact_id"), cadre_id=OuterRef("cadre_id"), pk__gt=OuterRef("pk")
    )
    latest = counted.filter(~Exists(newer))
    rows = latest.values("cadre_id").annotate(n=Count("pk"), stars=Sum("stars")).order_by()
    for row in rows:
        inputs = cadres.get(row["cadre_id"])
        if inputs is not None:
            inputs.ratings, inputs.stars = row["n"], row["stars"]
    # The ratings behind E, for each cadre's page: one more query over the same rows.
    listed = latest.values_list(
        "cadre_id", "contact__profile__name", "contact__username", "stars", "created_at"
    ).order_by("created_at", "pk")
    for cadre_id, name, username, stars, created_at in listed:
        inputs = cadres.get(cadre_id)
        if inputs is not None:
            inputs.rating_items.append(
                {"contact": name or username, "stars": stars, "at": _shown(created_at)}
            )


def components_for(inputs: CadreInputs) -> dict:
    """The six components as exact fractions (None: left out), from the counts."""
    expected = inputs.expected
    reports = attendance = None
    if expected:
        reports = 100 * (inputs.on_time + Fraction(inputs.late, 2)) / expected
        attendance = 100 * min(
            Fraction(1), Fraction(inputs.days, DAYS_ON_SITE_PER_ENTRY * expected)
        )
    if not inputs.has_plan:
        plan = Fraction(0)
    elif inputs.plan_items:
        plan = Fraction(sum(item[3] for item in inputs.plan_items), len(inputs.plan_items))
    else:
        plan = None
    problems = None
    if inputs.tickets:
        problems = 100 * (inputs.satisfied + BASIC_SHARE * inputs.basic) / inputs.tickets
    enterprise = 20 * Fraction(inputs.stars, inputs.ratings) if inputs.ratings else None
    office = Fraction(inputs.review_points, inputs.reviews) if inputs.reviews else None
    return {
        "reports": reports,
        "attendance": attendance,
        "plan": plan,
        "problems": problems,
        "enterprise_rating": enterprise,
        "office_rating": office,
    }


# --- Departments ------------------------------------------------------------------------------


def _departments(run: AppraisalRun, end, snapshot) -> list[DepartmentResult]:
    # The rule is supervision.selectors.performance's, shared with the department's home page.
    tickets = department_tickets(Ticket.objects.filter(programme=run.programme), end=end)
    answered = Q(answered_at__isnull=False, answered_at__lte=end)
    rows = (
        tickets.values("responsible_unit_id")
        .annotate(**department_counts(end=end))
        .order_by("responsible_unit_id")
    )
    spans = list(
        tickets.filter(answered).values_list("responsible_unit_id", "assigned_at", "answered_at")
    )
    days: dict[int, list[int]] = defaultdict(list)
    if spans:
        years = [local_date(moment).year for _unit, *moments in spans for moment in moments]
        calendar = WorkCalendar.load(min(years), max(years))
        for unit_id, assigned_at, answered_at in spans:
            days[unit_id].append(
                calendar.working_days_between(local_date(assigned_at), local_date(answered_at))
            )
    results = []
    for row in rows:
        unit_days = days.get(row["responsible_unit_id"], [])
        on_time_rate = on_time_share(row)
        satisfaction = satisfaction_share(row)
        results.append(
            DepartmentResult(
                run=run,
                unit_id=row["responsible_unit_id"],
                tickets_assigned=row["assigned"],
                answered_on_time=row["on_time"],
                on_time_rate=_rate(on_time_rate),
                rated=row["rated"],
                satisfied=row["satisfied"],
                basic=row["basic"],
                satisfaction=_rate(satisfaction),
                mean_working_days=round_half_up(
                    Fraction(sum(unit_days), len(unit_days)) if unit_days else None
                ),
            )
        )
    sample = snapshot["department_min_sample"]
    keys = [
        (r.on_time_rate, r.satisfaction if r.satisfaction is not None else Decimal(-1))
        if r.tickets_assigned >= sample
        else None
        for r in results
    ]
    for result, rank in zip(results, ranks_by(keys), strict=True):
        result.rank = rank
    return results


def _rate(value: Fraction | None) -> Decimal | None:
    """A share as a Decimal of 4 places, half up (0.8333 for 5/6)."""
    if value is None:
        return None
    return (Decimal(math.floor(value * 10000 + Fraction(1, 2))) / 10000).quantize(Decimal("0.0001"))


# --- Groups (units, work groups) --------------------------------------------------------------

GRADE_COUNTS = {
    "excellent": AppraisalGrade.EXCELLENT,
    "good": AppraisalGrade.GOOD,
    "passed": AppraisalGrade.PASS,
    "failed": AppraisalGrade.FAIL,
}


def _groups(run: AppraisalRun, key: str, model, sample: int) -> list:
    """Roll the stored cadre results up by `key` (unit_id or work_group_id) in one query."""
    rows = (
        CadreResult.objects.filter(run=run, total__isnull=False, **{f"{key}__isnull": False})
        .values(key)
        .annotate(
            n=Count("pk"),
            total_sum=Sum("total"),
            **{name: Count("pk", filter=Q(grade=grade)) for name, grade in GRADE_COUNTS.items()},
        )
        .order_by(key)
    )
    results = [
        model(
            run=run,
            **{key: row[key]},
            cadre_count=row["n"],
            mean_total=round_half_up(Fraction(row["total_sum"]) / row["n"]),
            **{name: row[name] for name in GRADE_COUNTS},
        )
        for row in rows
    ]
    ranks = ranks_by([r.mean_total if r.cadre_count >= sample else None for r in results])
    for result, rank in zip(results, ranks, strict=True):
        result.rank = rank
    return results


# --- Runs -------------------------------------------------------------------------------------


@transaction.atomic
def _start(*, programme: Programme, as_of: datetime.date, by: User | None, reason: str):
    """Insert the run as running, refusing while another run of the programme is running.

    The programme row is locked, so two starts at once take turns here; the second then finds
    the first one running (committed before the computation starts) and is refused. The partial
    unique constraint on running runs refuses a second insert whatever happens.
    """
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    now = timezone.now()
    running = AppraisalRun.objects.filter(programme=programme, state=AppraisalState.RUNNING)
    running.filter(created_at__lt=now - STALE_RUN).delete()
    if running.exists():
        raise AppraisalBusyError(_("该批次的考核正在计算中，请稍后再试。"))
    published = AppraisalRun.objects.filter(
        programme=programme, state=AppraisalState.PUBLISHED
    ).exists()
    reason = (reason or "").strip()
    if published and not reason:
        raise ValidationError({"reason": _("已有发布的考核结果，重新考核须说明原因。")})
    number = (
        AppraisalRun.objects.filter(programme=programme).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    try:
        with transaction.atomic():
            return AppraisalRun.objects.create(
                programme=programme,
                number=number,
                as_of=as_of,
                settings_snapshot=appraisal_settings(programme),
                state=AppraisalState.RUNNING,
                reason=reason,
                created_by=by,
            )
    except IntegrityError as exc:
        raise AppraisalBusyError(_("该批次的考核正在计算中，请稍后再试。")) from exc


def _compute(run: AppraisalRun) -> None:
    """Compute and store every result of a running run (the numbered rule in the docstring)."""
    programme, as_of, snapshot = run.programme, run.as_of, run.settings_snapshot
    end = end_of_day(as_of)
    cadres = _roster(programme, as_of)
    _reports(programme, as_of, end, cadres)
    _plans(programme, as_of, end, cadres)
    _tickets(programme, as_of, end, cadres)
    _ratings(programme, end, cadres)
    results = []
    for cadre_id in sorted(cadres):
        inputs = cadres[cadre_id]
        components = components_for(inputs)
        total = round_half_up(weighted_total(components, snapshot["weights"]))
        results.append(
            CadreResult(
                run=run,
                cadre_id=cadre_id,
                unit_id=inputs.unit_id,
                work_group_id=inputs.work_group_id,
                **{name: round_half_up(value) for name, value in components.items()},
                expected_entries=inputs.expected,
                reports_on_time=inputs.on_time,
                reports_late=inputs.late,
                reports_missing=max(inputs.expected - inputs.on_time - inputs.late, 0),
                days_on_site=inputs.days,
                has_approved_plan=inputs.has_plan,
                plan_items=len(inputs.plan_items),
                tickets_counted=inputs.tickets,
                tickets_satisfied=inputs.satisfied,
                tickets_basic=inputs.basic,
                ratings_counted=inputs.ratings,
                reviews_counted=inputs.reviews,
                detail={
                    "plan_items": [
                        {"id": item_id, "title": title, "due_date": str(due), "progress": value}
                        for item_id, title, due, value in inputs.plan_items
                    ],
                    "entries": inputs.entries,
                    "tickets": inputs.ticket_items,
                    "ratings": inputs.rating_items,
                    "reviewed_reports": inputs.reviewed,
                    "enterprises": inputs.enterprise_ids,
                    "review_points": inputs.review_points,
                    "stars": inputs.stars,
                },
                total=total,
                grade=grade_for(total, snapshot["bands"]),
            )
        )
    quota = apply_quota(results, snapshot["excellent_quota_percent"])
    for result, rank in zip(results, ranks_by([r.total for r in results]), strict=True):
        result.rank = rank
    CadreResult.objects.bulk_create(results, batch_size=BATCH)
    sample = snapshot["unit_min_sample"]
    UnitResult.objects.bulk_create(_groups(run, "unit_id", UnitResult, sample), batch_size=BATCH)
    WorkGroupResult.objects.bulk_create(
        _groups(run, "work_group_id", WorkGroupResult, sample), batch_size=BATCH
    )
    DepartmentResult.objects.bulk_create(_departments(run, end, snapshot), batch_size=BATCH)
    run.cadre_count = sum(1 for r in results if r.total is not None)
    run.excellent_quota = quota.quota
    run.excellent_count = quota.kept
    run.quota_overrun = quota.overrun


def appraisal_run_create(
    *,
    programme: Programme,
    as_of: datetime.date | None = None,
    by: User | None,
    reason: str = "",
) -> AppraisalRun:
    """Compute a new version of the programme's appraisal as of `as_of` (default: its end) and
    keep it as a draft. Refused (AppraisalBusyError) while another run of it is running.

    `by=None` is the system (the scheduled job). Called outside a transaction, the running row
    is committed before the computation, so a concurrent start sees it; the computation then
    runs in a transaction of its own, and if it fails the running row is removed again.
    """
    if by is not None:
        permissions.may_run_appraisal(by).check()
    as_of = as_of or programme.end_date
    run = _start(programme=programme, as_of=as_of, by=by, reason=reason)
    try:
        with transaction.atomic():
            _compute(run)
            run.state = AppraisalState.DRAFT
            run.finished_at = timezone.now()
            run.save()
            audit.record(
                by,
                AuditAction.RAN,
                run,
                {
                    "state": [AppraisalState.RUNNING, run.state],
                    "as_of": [None, run.as_of],
                    "cadre_count": [None, run.cadre_count],
                },
                note=run.reason,
            )
    except BaseException:
        AppraisalRun.objects.filter(pk=run.pk, state=AppraisalState.RUNNING).delete()
        raise
    return run


@transaction.atomic
def appraisal_publish(*, run: AppraisalRun, by: User | None) -> AppraisalRun:
    """Publish a draft run. Its results are never written again; a rerun is a new version."""
    if by is not None:
        permissions.may_run_appraisal(by).check()
    current = AppraisalRun.objects.select_for_update().get(pk=run.pk)
    if current.state != AppraisalState.DRAFT:
        raise AppraisalStateError(
            _("考核当前状态为“%(state)s”，不能发布。")
            % {"state": AppraisalState(current.state).label}
        )
    from_state = current.state
    current.state = AppraisalState.PUBLISHED
    current.published_at = timezone.now()
    current.published_by = by
    current.save(update_fields=["state", "published_at", "published_by"])
    audit.record(by, AuditAction.PUBLISHED, current, {"state": [from_state, current.state]})
    return current


# --- The enterprise rates its cadre -----------------------------------------------------------


@transaction.atomic
def cadre_rate(
    *, by: User, cadre: Profile, programme: Programme, stars: int, comment: str = ""
) -> CadreRating:
    """An enterprise contact gives the cadre stationed with them 1-5 stars. Rating again adds a
    row; the appraisal counts each contact's latest by its as-of date."""
    permissions.may_rate_cadre(by, cadre_id=cadre.pk, programme_id=programme.pk).check()
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ValidationError({"stars": _("请选择1至5星。")})
    rating = CadreRating.objects.create(
        contact=by, cadre=cadre, programme=programme, stars=stars, comment=(comment or "").strip()
    )
    audit.record(by, AuditAction.RATED, rating, {"stars": [None, stars]}, note=rating.comment)
    return rating


# --- Review requests (申请复核) ----------------------------------------------------------------


def review_deadline(run: AppraisalRun) -> datetime.datetime | None:
    """The last moment a cadre may ask for a review of a result of `run`: the end of the N-th
    working day after the day it was published (N: the run's settings, default 5). None: not
    published."""
    if run.published_at is None:
        return None
    days = run.settings_snapshot.get("review_working_days")
    if days is None:
        days = AppraisalSettings._meta.get_field("review_working_days").default
    published = local_date(run.published_at)
    calendar = WorkCalendar.around(published)
    return end_of_day(calendar.add_working_days(published, int(days)))


@transaction.atomic
def review_request_create(*, result: CadreResult, by: User, reason: str) -> ResultReviewRequest:
    """The cadre asks for a review of their published result, within the window; once per
    result. The office over the programme is told."""
    permissions.may_request_review(by, result).check()
    run = AppraisalRun.objects.select_for_update().get(pk=result.run_id)
    if run.state != AppraisalState.PUBLISHED:
        raise AppraisalStateError(_("考核结果尚未发布，不能申请复核。"))
    deadline = review_deadline(run)
    if timezone.now() > deadline:
        raise AppraisalStateError(
            _("申请复核的期限（%(date)s）已过。") % {"date": f"{local_date(deadline):%Y-%m-%d}"}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写申请复核的理由。")})
    if ResultReviewRequest.objects.filter(result=result).exists():
        raise AppraisalStateError(_("您已对该考核结果申请过复核，不能重复申请。"))
    try:
        with transaction.atomic():
            review = ResultReviewRequest.objects.create(
                result=result, cadre_id=result.cadre_id, reason=reason
            )
    except IntegrityError as exc:
        raise AppraisalStateError(_("您已对该考核结果申请过复核，不能重复申请。")) from exc
    audit.record(by, AuditAction.REVIEW_REQUESTED, review, note=reason)
    notices.appraisal_review_requested(review)
    return review


@transaction.atomic
def review_request_answer(
    *, review: ResultReviewRequest, by: User, answer: str, rerun: bool = False
) -> ResultReviewRequest:
    """The office answers a review request. With `rerun` (the answer changes the result) the
    appraisal is computed again as a new draft version, as of the same date, whose reason is
    the review; the office publishes it as any other version. The cadre is told."""
    permissions.may_run_appraisal(by).check()
    current = (
        ResultReviewRequest.objects.select_for_update()
        .select_related("result__run__programme", "cadre")
        .get(pk=review.pk)
    )
    if current.state != ReviewState.OPEN:
        raise AppraisalStateError(_("该复核申请已经答复。"))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写复核意见。")})
    if rerun:
        run = current.result.run
        reason = _("%(name)s 申请复核：%(answer)s") % {"name": current.cadre.name, "answer": answer}
        current.new_run = appraisal_run_create(
            programme=run.programme, as_of=run.as_of, by=by, reason=reason
        )
    current.state = ReviewState.ANSWERED
    current.answer = answer
    current.answered_by = by
    current.answered_at = timezone.now()
    current.save()
    audit.record(
        by,
        AuditAction.ANSWERED,
        current,
        {"state": [ReviewState.OPEN, current.state]},
        note=answer,
    )
    notices.appraisal_review_answered(current)
    return current
