"""This period's missing reports by dispatching unit (催报), for the office's console.

1. "This period" of a programme is the period that fell due most recently (due moment passed):
   before that moment a report is not yet missing, only not yet handed in.
2. Missing: an assignment owes a report for that period and has not handed one in, by the rule of
   reports.py (`assignments_owing_report`: `covering_assignments` minus `handed_in_q`).
3. Counted per programme and the cadre's dispatching unit, among the assignments whose reports
   the user may read (`report_assignment_list`).
Two queries whatever the number of programmes, units and assignments.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from ..choices import ProgrammeStatus
from ..models import ProgressReport, ReportPeriod
from .organisation import programme_list
from .reports import assignments_owing_report, handed_in_q, report_assignment_list


@dataclass(frozen=True)
class UnitMissing:
    period: ReportPeriod
    unit_id: int | None
    unit_name: str
    missing: int


def latest_due_periods(*, user: User, now: datetime.datetime) -> QuerySet[ReportPeriod]:
    """Per active programme the user sees, the period whose due moment passed most recently."""
    latest = ReportPeriod.objects.filter(programme=OuterRef("programme"), due_at__lte=now).order_by(
        "-due_at", "-pk"
    )
    return (
        ReportPeriod.objects.filter(
            programme__in=programme_list(user=user)
            .filter(status=ProgrammeStatus.ACTIVE)
            .values("pk"),
            pk=Subquery(latest.values("pk")[:1]),
        )
        .select_related("programme")
        .order_by("programme__sort_key", "programme_id")
    )


def missing_reports_by_unit(*, user: User, now: datetime.datetime) -> list[UnitMissing]:
    """This period's missing reports per programme and dispatching unit, most missing first."""
    periods = {period.programme_id: period for period in latest_due_periods(user=user, now=now)}
    if not periods:
        return []
    # covering_assignments for each programme's own period, as one condition.
    covers = Q(pk__in=[])
    for period in periods.values():
        covers |= Q(programme_id=period.programme_id, start_date__lte=period.end) & (
            Q(end_date__isnull=True) | Q(end_date__gte=period.start)
        )
    handed_in = ProgressReport.objects.filter(
        handed_in_q(), assignment_id=OuterRef("pk"), period__in=list(periods.values())
    )
    rows = (
        report_assignment_list(user=user)
        .filter(covers)
        .exclude(Exists(handed_in))
        .order_by()
        .values("programme_id", "cadre__unit_id", "cadre__unit__name", "cadre__unit__tree_key")
        .annotate(missing=Count("pk"))
    )
    result = [
        UnitMissing(
            period=periods[row["programme_id"]],
            unit_id=row["cadre__unit_id"],
            unit_name=row["cadre__unit__name"] or "",
            missing=row["missing"],
        )
        for row in rows
    ]
    order = {programme_id: index for index, programme_id in enumerate(periods)}
    tree = {row["cadre__unit_id"]: row["cadre__unit__tree_key"] or "" for row in rows}
    result.sort(key=lambda r: (order[r.period.programme_id], -r.missing, tree[r.unit_id]))
    return result


def owing_assignments_of_unit(*, user: User, period: ReportPeriod, unit_id: int | None):
    """The assignments of one dispatching unit still owing `period`'s report (whom a reminder
    from the console tells), with what the notice needs."""
    return (
        assignments_owing_report(period=period, assignments=report_assignment_list(user=user))
        .filter(cadre__unit_id=unit_id)
        .select_related("cadre__user", "enterprise")
        .order_by("pk")
    )
