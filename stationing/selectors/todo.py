"""What a stationed cadre has to do now, for the home page: per active stationing, this
half-month's report (its state and due moment) and the enterprise's work plan (its state and due
day).

Nothing here decides anything of its own; it asks the rules of reports.py and plans.py:
1. The periods are the programme's (periods.py made them); a stationing owes a report only for
   periods it covers (`assignment_covers`).
2. A period's state is `period_status` (as on the reports page and in the matrix); whether the
   report counts as handed in is `report_is_handed_in`.
3. Shown: the period holding today; an earlier period still open (its due moment not passed) and
   not handed in; an earlier one returned for correction. Earlier periods that fell due without a
   report are counted (`missed`), as the matrix counts them.
4. The plan is due `plan_due_date_from` the first stationing at the enterprise; late or overdue
   by `plan_is_overdue`.
Five queries whatever the number of stationings. What the user may do with each (填报 or 查看)
is the page's to ask stationing.permissions.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Min, Q
from django.utils import timezone

from core.dates import local_date
from core.roles import actor_for

from ..choices import PeriodStatus, ProgrammeStatus
from ..models import Assignment, ProgressReport, ReportPeriod, WorkPlan
from .organisation import assignment_list
from .plans import plan_due_date_from, plan_is_overdue, work_plan_list
from .reports import assignment_covers, period_status, report_is_handed_in, report_list


@dataclass
class PeriodTodo:
    period: ReportPeriod
    report: ProgressReport | None
    status: str  # a PeriodStatus value
    is_current: bool  # the period holding today
    # Calendar days to the due day (0: today, negative: overdue); None once handed in.
    days_left: int | None


@dataclass
class StationingTodo:
    assignment: Assignment
    periods: list[PeriodTodo] = field(default_factory=list)
    missed: int = 0
    plan: WorkPlan | None = None
    plan_due: datetime.date | None = None
    plan_overdue: bool = False
    plan_days_left: int | None = None  # until the due day while the plan is not yet submitted


def cadre_stationing_todo(
    *, user: User, now: datetime.datetime | None = None
) -> list[StationingTodo]:
    """The user's own stationings in active programmes that have not ended, oldest first."""
    actor = actor_for(user)
    if actor.profile_id is None:
        return []
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    assignments = list(
        assignment_list(user=user)
        .filter(cadre_id=actor.profile_id, programme__status=ProgrammeStatus.ACTIVE)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("start_date", "pk")
    )
    if not assignments:
        return []
    programme_ids = {a.programme_id for a in assignments}
    enterprise_ids = {a.enterprise_id for a in assignments}
    periods: dict[int, list[ReportPeriod]] = {}
    for period in ReportPeriod.objects.filter(
        programme_id__in=programme_ids, start__lte=today
    ).order_by("number"):
        periods.setdefault(period.programme_id, []).append(period)
    reports = {
        (report.assignment_id, report.period_id): report
        for report in report_list(user=user).filter(assignment__in=assignments)
    }
    plans = {
        (plan.programme_id, plan.enterprise_id): plan
        for plan in work_plan_list(user=user).filter(
            programme_id__in=programme_ids, enterprise_id__in=enterprise_ids
        )
    }
    # The first stationing at each enterprise starts the plan's clock (plans.plan_due_date).
    first_starts = {
        (row["programme_id"], row["enterprise_id"]): row["first"]
        for row in Assignment.objects.filter(
            programme_id__in=programme_ids, enterprise_id__in=enterprise_ids
        )
        .values("programme_id", "enterprise_id")
        .annotate(first=Min("start_date"))
    }
    todo = []
    for assignment in assignments:
        row = StationingTodo(assignment=assignment)
        for period in periods.get(assignment.programme_id, []):
            if not assignment_covers(assignment, period):
                continue
            report = reports.get((assignment.pk, period.pk))
            status = period_status(report=report, period=period, now=now)
            handed_in = report_is_handed_in(report.state if report is not None else None)
            is_current = period.start <= today <= period.end
            if status == PeriodStatus.MISSING:
                row.missed += 1
            still_open = not handed_in and now <= period.due_at
            if not (is_current or still_open or status == PeriodStatus.RETURNED):
                continue
            row.periods.append(
                PeriodTodo(
                    period=period,
                    report=report,
                    status=status,
                    is_current=is_current,
                    days_left=None if handed_in else (local_date(period.due_at) - today).days,
                )
            )
        key = (assignment.programme_id, assignment.enterprise_id)
        row.plan = plans.get(key)
        row.plan_due = plan_due_date_from(first_starts.get(key), assignment.programme.plan_due_days)
        first_submitted = row.plan.first_submitted_at if row.plan is not None else None
        row.plan_overdue = plan_is_overdue(
            due_date=row.plan_due, first_submitted_at=first_submitted, now=now
        )
        if first_submitted is None and row.plan_due is not None:
            row.plan_days_left = (row.plan_due - today).days
        todo.append(row)
    return todo
