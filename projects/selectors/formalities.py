"""Reads of approval formalities (审批手续代办): templates, a project's chain as a flow, and the
formalities stuck past their time limit. Scoped through the projects the user may see.

A formality is stuck (超期) when it is 办理中 and its deadline (the last working day of its time
limit) is before today; it is due soon (临期) from FORMALITY_WARNING_DAYS before the deadline.
"""

import datetime

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..choices import FormalityState
from ..models import FormalityTemplate, KeyProject, ProjectFormality
from .projects import project_list

FORMALITY_WARNING_DAYS = 3

# The flow's colour of a formality, for the page (CSS class suffixes) and tests.
DONE, SKIPPED, WAITING, RUNNING, DUE_SOON, STUCK = (
    "done",
    "skipped",
    "waiting",
    "running",
    "due-soon",
    "stuck",
)


def formality_template_list(*, user: User) -> QuerySet[FormalityTemplate]:
    """Every signed-in user may read the templates (the flow charts of seed 004)."""
    return FormalityTemplate.objects.prefetch_related("steps__default_unit").order_by("kind")


def stuck_q(today: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}state": FormalityState.IN_PROGRESS, f"{prefix}deadline__lt": today})


def project_formality_list(*, user: User) -> QuerySet[ProjectFormality]:
    return ProjectFormality.objects.filter(
        project__in=project_list(user=user).values("pk")
    ).select_related("project", "responsible_unit", "agent__profile")


def stuck_formality_list(
    *, user: User, today: datetime.date | None = None
) -> QuerySet[ProjectFormality]:
    today = today or timezone.localdate()
    return project_formality_list(user=user).filter(stuck_q(today)).order_by("deadline", "pk")


def formality_status(formality: ProjectFormality, today: datetime.date) -> str:
    if formality.state == FormalityState.DONE:
        return DONE
    if formality.state == FormalityState.NOT_NEEDED:
        return SKIPPED
    if formality.state == FormalityState.NOT_STARTED:
        return WAITING
    if formality.deadline is not None and formality.deadline < today:
        return STUCK
    if formality.deadline is not None and formality.deadline <= today + datetime.timedelta(
        days=FORMALITY_WARNING_DAYS
    ):
        return DUE_SOON
    return RUNNING


def formality_flow(
    *, user: User, project: KeyProject, today: datetime.date | None = None
) -> list[dict]:
    """The project's chain in order, each formality with its status and its ticket (if one was
    raised from it). Two queries: the formalities with units and agents, and their tickets are
    fetched by supervision's reverse one-to-one, selected with them."""
    today = today or timezone.localdate()
    formalities = (
        project_formality_list(user=user)
        .filter(project=project)
        .select_related("ticket")
        .order_by("position", "pk")
    )
    rows = []
    for formality in formalities:
        ticket = getattr(formality, "ticket", None)
        rows.append(
            {
                "formality": formality,
                "status": formality_status(formality, today),
                "ticket": ticket,
                "overdue_days": (today - formality.deadline).days
                if formality.deadline is not None and formality.deadline < today
                else 0,
            }
        )
    return rows
