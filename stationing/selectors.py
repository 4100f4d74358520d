"""Reads for programmes, units, work groups, cadres and assignments, scoped to the user.

Every page and API view gets its queryset here; nothing else decides who sees what. A user may
hold several roles: what they see is the union of what each role allows.

- superuser: everything
- office and leader: programmes organised by their unit or any unit below it, and all that
  belongs to those programmes
- cadre: the programmes they are stationed in and their own assignments
- enterprise contact: programmes and assignments that involve their enterprise
- department: the programmes run above their unit (tickets arrive with the tickets issue)
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import PeriodStatus, PlanState, ReportState, Role
from .models import (
    Assignment,
    Profile,
    Programme,
    ProgressReport,
    ReportPeriod,
    Unit,
    WorkGroup,
    WorkPlan,
)
from .roles import Actor, actor_for

NOTHING = Q(pk__in=[])


def _programme_q(actor: Actor) -> Q:
    q = NOTHING
    if actor.sees_programmes_of_unit and actor.unit_path:
        q |= Q(organiser__path__startswith=actor.unit_path)
    if actor.has(Role.CADRE) and actor.profile_id:
        q |= Q(pk__in=Assignment.objects.filter(cadre_id=actor.profile_id).values("programme_id"))
    if actor.has(Role.ENTERPRISE) and actor.enterprise_id:
        q |= Q(
            pk__in=Assignment.objects.filter(enterprise_id=actor.enterprise_id).values(
                "programme_id"
            )
        )
    if actor.has(Role.DEPARTMENT) and actor.unit_path:
        ancestors = [int(part) for part in actor.unit_path.strip("/").split("/") if part]
        q |= Q(organiser_id__in=ancestors)
    return q


def programme_list(*, user: User) -> QuerySet[Programme]:
    actor = actor_for(user)
    qs = Programme.objects.select_related("organiser")
    if actor.is_superuser:
        return qs
    return qs.filter(_programme_q(actor))


def unit_list(*, user: User) -> QuerySet[Unit]:
    """The list of government units is not confidential; any signed-in user may read it."""
    qs = Unit.objects.select_related("parent")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs


def work_group_list(*, user: User) -> QuerySet[WorkGroup]:
    qs = WorkGroup.objects.select_related("programme", "leader__profile")
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    return qs.filter(programme__in=programme_list(user=user).values("pk"))


def assignment_list(*, user: User) -> QuerySet[Assignment]:
    qs = Assignment.objects.select_related(
        "programme", "cadre__unit", "enterprise__region", "work_group"
    )
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    q = NOTHING
    if actor.sees_programmes_of_unit and actor.unit_path:
        q |= Q(programme__organiser__path__startswith=actor.unit_path)
    if actor.has(Role.CADRE) and actor.profile_id:
        # Their own stationings and their team-mates' at the same enterprises.
        own = Assignment.objects.filter(cadre_id=actor.profile_id)
        q |= Q(cadre_id=actor.profile_id) | Q(
            programme_id__in=own.values("programme_id"),
            enterprise_id__in=own.values("enterprise_id"),
        )
    if actor.has(Role.ENTERPRISE) and actor.enterprise_id:
        q |= Q(enterprise_id=actor.enterprise_id)
    return qs.filter(q)


def cadre_list(*, user: User) -> QuerySet[Profile]:
    qs = Profile.objects.filter(user__groups__name=Role.CADRE).select_related("unit", "user")
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    q = NOTHING
    if actor.sees_programmes_of_unit and actor.unit_path:
        q |= Q(unit__path__startswith=actor.unit_path) | Q(
            pk__in=Assignment.objects.filter(
                programme__organiser__path__startswith=actor.unit_path
            ).values("cadre_id")
        )
    if actor.has(Role.CADRE) or actor.has(Role.ENTERPRISE):
        q |= Q(pk__in=assignment_list(user=user).values("cadre_id"))
    if actor.has(Role.CADRE) and actor.profile_id:
        q |= Q(pk=actor.profile_id)
    return qs.filter(q)


def leader_list(*, user: User, current: User | None = None) -> QuerySet[User]:
    """Users with the leader role in the user's unit subtree (plus `current`, the leader already
    chosen, so an edit form keeps showing them)."""
    actor = actor_for(user)
    q = Q(groups__name=Role.LEADER)
    if not actor.is_superuser:
        q &= Q(profile__unit__path__startswith=actor.unit_path) if actor.unit_path else NOTHING
    if current is not None:
        q |= Q(pk=current.pk)
    return User.objects.filter(q).select_related("profile").distinct().order_by("profile__name")


def profile_for(*, user: User) -> Profile | None:
    return Profile.objects.select_related("unit", "enterprise").filter(user=user).first()


# --- Work plans and half-monthly reports ------------------------------------------------------


def period_list(*, user: User) -> QuerySet[ReportPeriod]:
    return ReportPeriod.objects.filter(programme__in=programme_list(user=user).values("pk"))


def work_plan_list(*, user: User) -> QuerySet[WorkPlan]:
    """Plans of the enterprises the user may see within programmes they take part in.

    Enterprise contacts may read their own enterprise's plan: it is about them.
    """
    qs = WorkPlan.objects.select_related("programme", "enterprise__region", "updated_by__profile")
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    q = NOTHING
    if actor.sees_programmes_of_unit and actor.unit_path:
        q |= Q(programme__organiser__path__startswith=actor.unit_path)
    if actor.has(Role.CADRE) and actor.profile_id:
        own = Assignment.objects.filter(cadre_id=actor.profile_id)
        for programme_id, enterprise_id in own.values_list("programme_id", "enterprise_id"):
            q |= Q(programme_id=programme_id, enterprise_id=enterprise_id)
    if actor.has(Role.ENTERPRISE) and actor.enterprise_id:
        q |= Q(enterprise_id=actor.enterprise_id)
    return qs.filter(q)


def _report_assignment_q(actor: Actor) -> Q:
    q = NOTHING
    if actor.sees_programmes_of_unit and actor.unit_path:
        q |= Q(programme__organiser__path__startswith=actor.unit_path)
    if actor.has(Role.CADRE) and actor.profile_id:
        own = Assignment.objects.filter(cadre_id=actor.profile_id)
        q |= Q(cadre_id=actor.profile_id) | Q(
            programme_id__in=own.values("programme_id"),
            enterprise_id__in=own.values("enterprise_id"),
        )
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
    return qs.filter(
        assignment__in=Assignment.objects.filter(_report_assignment_q(actor)).values("pk")
    )


def period_status(*, report, period: ReportPeriod, now) -> str:
    """What one assignment's report for one period looks like to the cadre and the office."""
    if report is None or report.state == ReportState.DRAFT:
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
    assignments = list(
        assignments.filter(programme=programme).order_by(
            "cadre__unit__path", "cadre__unit__name", "cadre__name", "enterprise__name"
        )
    )
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
        rows, key=lambda row: (-row.missed, -row.missed_in_a_row, row.assignment.cadre.name)
    )


def plan_approval_queue(*, user: User) -> QuerySet[WorkPlan]:
    return work_plan_list(user=user).filter(state=PlanState.SUBMITTED).order_by("updated_at")


def report_review_queue(*, user: User) -> QuerySet[ProgressReport]:
    return report_list(user=user).filter(state=ReportState.SUBMITTED).order_by("submitted_at")
