"""Reads for report periods and half-monthly reports, and the one answer to "what does this
assignment owe for this period, and has it handed it in".

1. An assignment owes a report for every period that overlaps its stationing
   (`assignment_covers`, `covering_assignments`).
2. A report counts as handed in once it was submitted: states submitted, reviewed and returned
   (`report_is_handed_in`). A returned report was handed in (on time or late, as first
   submitted); the cadre owes a corrected resubmission, which the "returned" notice and the
   reports page ask for, but it is not missing. Only no report, or a draft, is missing.
The submission matrix, the truancy list, the reminders, the digests and the calendar feed all
ask these functions.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.choices import Role
from core.roles import Actor, actor_for

from ..choices import PeriodStatus, ProgrammeStatus, ReportState
from ..models import Assignment, Programme, ProgressReport, ReportPeriod
from .organisation import NOTHING, assignment_list, programme_list

HANDED_IN_STATES = (ReportState.SUBMITTED, ReportState.REVIEWED, ReportState.RETURNED)


def report_is_handed_in(state: str | None) -> bool:
    """Whether a report in `state` (None: no report) counts as handed in for its period."""
    return state in HANDED_IN_STATES


def handed_in_q(prefix: str = "", by: datetime.datetime | None = None) -> Q:
    """report_is_handed_in as a condition on ProgressReport (`prefix` is the path to it, such as
    "reports__"). With `by`: handed in no later than that moment. A report leaves the draft state
    only by its first submission and never returns to it, so its first submission decides."""
    q = Q(**{f"{prefix}state__in": HANDED_IN_STATES})
    if by is not None:
        q &= Q(**{f"{prefix}first_submitted_at__lte": by})
    return q


def covering_assignments(assignments: QuerySet[Assignment], period: ReportPeriod) -> QuerySet:
    """`assignments` that owe a report for `period` (the SQL form of assignment_covers)."""
    return assignments.filter(programme_id=period.programme_id, start_date__lte=period.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    )


def assignments_owing_report(
    *, period: ReportPeriod, assignments: QuerySet[Assignment]
) -> QuerySet[Assignment]:
    """Of `assignments`, those that owe a report for `period` and have not handed one in."""
    handed_in = ProgressReport.objects.filter(handed_in_q(), period=period)
    return covering_assignments(assignments, period).exclude(
        pk__in=handed_in.values("assignment_id")
    )


def missing_report_count(*, user: User, now: datetime.datetime, since: datetime.datetime) -> int:
    """Reports missing for periods of active programmes that fell due between `since` and
    `now`, among the assignments whose reports the user may read."""
    periods = ReportPeriod.objects.filter(
        programme__status=ProgrammeStatus.ACTIVE, due_at__lt=now, due_at__gte=since
    )
    visible = report_assignment_list(user=user)
    return sum(
        assignments_owing_report(period=period, assignments=visible).count() for period in periods
    )


def period_list(*, user: User) -> QuerySet[ReportPeriod]:
    return ReportPeriod.objects.filter(programme__in=programme_list(user=user).values("pk"))


def _report_assignment_q(actor: Actor) -> Q:
    q = NOTHING
    if actor.sees_programmes_of_unit and actor.unit_path:
        q |= Q(programme__organiser__path__startswith=actor.unit_path)
    if actor.has(Role.CADRE) and actor.profile_id:
        # Team-mates' reports: same programme *and* same enterprise as one of the cadre's own
        # stationings (pairs, not two separate __in lists, which would cross programmes).
        q |= Q(cadre_id=actor.profile_id)
        own = Assignment.objects.filter(cadre_id=actor.profile_id)
        for programme_id, enterprise_id in own.values_list("programme_id", "enterprise_id"):
            q |= Q(programme_id=programme_id, enterprise_id=enterprise_id)
    return q


def report_assignment_list(*, user: User) -> QuerySet[Assignment]:
    """Assignments whose reports the user may read.

    Reports are the government's own working papers: office, leaders and the cadres of the same
    enterprise read them; enterprise contacts and departments do not.
    """
    qs = assignment_list(user=user)
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    return qs.filter(_report_assignment_q(actor))


def report_list(*, user: User) -> QuerySet[ProgressReport]:
    qs = ProgressReport.objects.select_related(
        "period",
        "assignment__cadre__unit",
        "assignment__enterprise",
        "assignment__programme",
        "assignment__work_group",
        "reviewed_by__profile",
        "updated_by__profile",
    )
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    q = _report_assignment_q(actor)
    if actor.sees_whole_tree:
        # The same reports as below, checked against the few assignments outside the
        # territory instead of a province's 10,000 inside (enterprises.in_scope_q explains).
        return qs.exclude(assignment__in=Assignment.objects.exclude(q).values("pk"))
    return qs.filter(assignment__in=Assignment.objects.filter(q).values("pk"))


def period_status(*, report, period: ReportPeriod, now) -> str:
    """What one assignment's report for one period looks like to the cadre and the office."""
    if not report_is_handed_in(report.state if report is not None else None):
        if now > period.due_at:
            return PeriodStatus.MISSING
        if report is not None:
            return PeriodStatus.DRAFT
        return PeriodStatus.NOT_STARTED if period.start <= now.date() else PeriodStatus.UPCOMING
    if report.state == ReportState.RETURNED:
        return PeriodStatus.RETURNED
    if report.state == ReportState.REVIEWED:
        return PeriodStatus.REVIEWED
    return PeriodStatus.LATE if report.is_late else PeriodStatus.ON_TIME


class SubmissionLateness(NamedTuple):
    """How a submission of a report at a given moment is recorded."""

    is_late: bool
    # Decided by an earlier (the first) submission: the moment of this one does not matter.
    settled: bool


def report_submission_lateness(
    *, report: ProgressReport, at: datetime.datetime
) -> SubmissionLateness:
    """Whether handing `report` in at `at` records it as late: the one rule, used by
    report_submit to record it and by the report form to warn about it.

    A report is late when its first submission came after its period's due moment. A returned
    report that is resubmitted keeps the verdict of its first submission: on time stays on time
    even when resubmitted after the due moment, late stays late. (Each version also records
    whether it arrived after the due moment, as a fact; that does not make the report late.)
    """
    if report.first_submitted_at is not None:
        return SubmissionLateness(is_late=report.is_late, settled=True)
    return SubmissionLateness(is_late=at > report.period.due_at, settled=False)


def assignment_covers(assignment: Assignment, period: ReportPeriod) -> bool:
    """A cadre owes a report only for periods overlapping their stationing."""
    if assignment.start_date > period.end:
        return False
    return assignment.end_date is None or assignment.end_date >= period.start


class MatrixReport(NamedTuple):
    """The part of a report a matrix cell needs."""

    pk: int
    assignment_id: int
    period_id: int
    state: str
    is_late: bool
    rating: str


@dataclass
class MatrixRow:
    assignment: Assignment
    cells: list  # (period, report or None, status or None when not owed)
    missed: int = 0
    missed_in_a_row: int = 0
    longest_run: int = 0


@dataclass
class Matrix:
    periods: list
    groups: list  # (unit, [MatrixRow])

    @property
    def rows(self) -> list[MatrixRow]:
        return [row for _unit, rows in self.groups for row in rows]

    @property
    def missed(self) -> int:
        """Reports missed in all rows: the total the page shows above the matrix."""
        return sum(row.missed for row in self.rows)


# The matrix's rows: by dispatching unit (the unit tree's order), then cadre, then enterprise.
MATRIX_ORDER = ("cadre__unit__tree_key", "cadre__sort_key", "enterprise__sort_key", "pk")


def submission_matrix(
    *, user: User, programme: Programme, assignments: QuerySet | None = None, now=None
) -> Matrix:
    """Rows: assignments grouped by dispatching unit; columns: periods started so far.

    Three queries whatever the number of rows: assignments, periods, reports. `assignments` is an
    already-filtered queryset from assignment_list (the page applies AssignmentFilterSet to it).
    """
    now = timezone.localtime(now or timezone.now())
    if assignments is None:
        assignments = assignment_list(user=user)
    assignments = list(assignments.filter(programme=programme).order_by(*MATRIX_ORDER))
    periods = list(programme.periods.filter(start__lte=now.date()).order_by("number"))
    # Only what a cell shows, as plain tuples: a city's matrix holds tens of thousands of reports.
    reports = {
        (report.assignment_id, report.period_id): report
        for report in map(
            MatrixReport._make,
            report_list(user=user)
            .filter(assignment__in=[a.pk for a in assignments], period__in=[p.pk for p in periods])
            .order_by()
            .values_list(*MatrixReport._fields),
        )
    }
    groups: dict = {}
    for assignment in assignments:
        row = MatrixRow(assignment=assignment, cells=[])
        run = 0
        for period in periods:
            if not assignment_covers(assignment, period):
                row.cells.append((period, None, None))
                continue
            report = reports.get((assignment.pk, period.pk))
            status = period_status(report=report, period=period, now=now)
            row.cells.append((period, report, status))
            if status == PeriodStatus.MISSING:
                row.missed += 1
                run += 1
                row.longest_run = max(row.longest_run, run)
            elif status not in (PeriodStatus.DRAFT, PeriodStatus.NOT_STARTED):
                run = 0
        row.missed_in_a_row = run
        groups.setdefault(assignment.cadre.unit, []).append(row)
    return Matrix(periods=periods, groups=list(groups.items()))


def truancy_list(*, matrix: Matrix) -> list[MatrixRow]:
    """Who has missed reports: most missed first, then the longest current run."""
    rows = [row for row in matrix.rows if row.missed]
    return sorted(
        rows, key=lambda row: (-row.missed, -row.missed_in_a_row, row.assignment.cadre.sort_key)
    )


def report_review_queue(*, user: User) -> QuerySet[ProgressReport]:
    return report_list(user=user).filter(state=ReportState.SUBMITTED).order_by("submitted_at")
