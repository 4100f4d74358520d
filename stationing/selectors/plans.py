"""Reads for work plans, and the one answer to "when is this plan due".

A plan is due `plan_due_days` (7 by default) after the first cadre's stationing at the
enterprise in the programme starts, at 23:59:59 Asia/Shanghai of that day. `plan_due_date_from`
holds the formula; everything else (pages, API, reminders, the calendar feed) asks here.
"""

import datetime

from django.contrib.auth.models import User
from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core.choices import Role
from core.dates import end_of_day, local_date
from core.roles import actor_for

from ..choices import PlanState, ProgrammeStatus
from ..models import Assignment, Programme, WorkPlan
from .organisation import NOTHING, assignment_list


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


def plan_approval_queue(*, user: User) -> QuerySet[WorkPlan]:
    return work_plan_list(user=user).filter(state=PlanState.SUBMITTED).order_by("updated_at")


def plan_due_date_from(
    first_start: datetime.date | None, plan_due_days: int
) -> datetime.date | None:
    """The due day, given when the first cadre's stationing started (None: nobody yet)."""
    if first_start is None:
        return None
    return first_start + datetime.timedelta(days=plan_due_days)


def plan_due_date(*, programme: Programme, enterprise_id: int) -> datetime.date | None:
    """Due `plan_due_days` after the first cadre's stationing at the enterprise starts."""
    first_start = Assignment.objects.filter(
        programme=programme, enterprise_id=enterprise_id
    ).aggregate(first=Min("start_date"))["first"]
    return plan_due_date_from(first_start, programme.plan_due_days)


def with_first_start(plans: QuerySet[WorkPlan]) -> QuerySet[WorkPlan]:
    """Annotate `first_start` so a list computes every plan's due day without a query per row."""
    first_start = (
        Assignment.objects.filter(
            programme_id=OuterRef("programme_id"), enterprise_id=OuterRef("enterprise_id")
        )
        .order_by("start_date")
        .values("start_date")[:1]
    )
    return plans.annotate(first_start=Subquery(first_start))


def work_plan_due_date(plan: WorkPlan) -> datetime.date | None:
    """A plan's due day; uses `first_start` when the list annotated it (with_first_start)."""
    if hasattr(plan, "first_start"):
        return plan_due_date_from(plan.first_start, plan.programme.plan_due_days)
    return plan_due_date(programme=plan.programme, enterprise_id=plan.enterprise_id)


def plan_is_overdue(
    *, due_date: datetime.date | None, first_submitted_at, now: datetime.datetime | None = None
) -> bool:
    """First submitted after the due day ended, or not submitted and the due day is over."""
    if due_date is None:
        return False
    deadline = end_of_day(due_date)
    if first_submitted_at is not None:
        return first_submitted_at > deadline
    return (now or timezone.now()) > deadline


def plans_submitted() -> set[tuple[int, int]]:
    """(programme_id, enterprise_id) of every plan submitted at least once."""
    return set(
        WorkPlan.objects.exclude(first_submitted_at=None).values_list(
            "programme_id", "enterprise_id"
        )
    )


def overdue_plan_list(*, user: User, now: datetime.datetime | None = None) -> QuerySet:
    """The stationings the user can see whose enterprise's plan was never submitted and is past
    due: the first stationing at each enterprise of an active programme (plan_overdue_q, the
    rule the dashboard counts and the assignment list filters by), oldest first.

    Asked of the database: a province's queue page read all 10,000 stationings and plans into
    Python to find them (6 s)."""
    return assignment_list(user=user).filter(plan_overdue_q(now)).order_by("start_date", "pk")


def plan_overdue_q(now: datetime.datetime | None = None) -> Q:
    """The overdue-plan rule as a condition on Assignment (the queue's list, the dashboard's
    count and the assignment list's filter all ask it):
    the first stationing at its enterprise in an active programme (earliest start, then the
    lowest id: the one whose start starts the plan's clock) whose plan was never submitted and
    whose due day (plan_due_date_from) has passed (plan_is_overdue: the day after it began)."""
    today = local_date(now or timezone.now())
    first = (
        Assignment.objects.filter(
            programme_id=OuterRef("programme_id"), enterprise_id=OuterRef("enterprise_id")
        )
        .order_by("start_date", "pk")
        .values("pk")[:1]
    )
    submitted = WorkPlan.objects.filter(
        programme_id=OuterRef("programme_id"),
        enterprise_id=OuterRef("enterprise_id"),
        first_submitted_at__isnull=False,
    )
    # due = first start + plan_due_days; overdue once today > due, i.e. start < today - days.
    past_due = NOTHING
    for programme_id, days in Programme.objects.filter(status=ProgrammeStatus.ACTIVE).values_list(
        "pk", "plan_due_days"
    ):
        past_due |= Q(
            programme_id=programme_id, start_date__lt=today - datetime.timedelta(days=days)
        )
    return past_due & Q(pk=Subquery(first)) & ~Q(Exists(submitted))
