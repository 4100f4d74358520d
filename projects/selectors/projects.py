"""Reads for key projects, scoped to the user. Every page and API view gets its queryset here.

A user may hold several roles; what they see is the union of what each allows:

- superuser: everything
- office and leader: the projects of programmes organised by their unit or a unit below it
- the responsible leader (包项领导) and the team (工作专班): their own projects
- department: projects it leads or helps (牵头/配合单位), and projects whose tickets it handles
  (the `tickets` relation supervision declares on KeyProject)
"""

from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.choices import Role
from core.roles import actor_for

from ..choices import STAGE_ORDER, Colour
from ..models import KeyProject, ProjectMilestone, ProjectProblem, ProjectProgress
from ..permissions import milestone_colour_q, project_colour_expression

NOTHING = Q(pk__in=[])
MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)


def _own_q(user: User) -> Q:
    """Projects the user is in charge of or works on."""
    actor = actor_for(user)
    q = Q(leader_id=user.pk)
    if actor.profile_id:
        q |= Q(memberships__profile_id=actor.profile_id)
    return q


def project_list(*, user: User) -> QuerySet[KeyProject]:
    qs = KeyProject.objects.select_related(
        "programme", "leader__profile", "lead_unit", "region", "enterprise"
    )
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = _own_q(user)
    if actor.sees_programmes_of_unit and actor.unit_path:
        q |= Q(programme__organiser__path__startswith=actor.unit_path)
    if actor.has(Role.DEPARTMENT) and actor.unit_id:
        unit = actor.unit_id
        q |= Q(lead_unit_id=unit) | Q(co_units=unit)
        q |= Q(tickets__responsible_unit_id=unit) | Q(tickets__co_units=unit)
    return qs.filter(pk__in=KeyProject.objects.filter(q).values("pk"))


def my_project_list(*, user: User) -> QuerySet[KeyProject]:
    """我的项目: the projects the user leads (包项) or works on (专班)."""
    if not getattr(user, "is_authenticated", False):
        return KeyProject.objects.none()
    own = KeyProject.objects.filter(_own_q(user)).values("pk")
    return project_list(user=user).filter(pk__in=own)


def own_project_ids(*, user: User):
    """Ids of the projects the user leads or works on, as a subquery (supervision shows their
    tickets to the team)."""
    return KeyProject.objects.filter(_own_q(user)).values("pk")


def with_figures(queryset: QuerySet[KeyProject], today=None) -> QuerySet[KeyProject]:
    """Annotate what lists show: colour, investment completed (to date and in the plan year),
    late and yellow milestones, open problems (not yet a ticket). A fixed number of subqueries,
    whatever the number of rows."""
    today = today or timezone.localdate()
    progress = ProjectProgress.objects.filter(project=OuterRef("pk")).order_by().values("project")
    to_date = progress.annotate(total=Sum("investment_month")).values("total")
    in_year = (
        progress.filter(month__year=OuterRef("plan_year"))
        .annotate(total=Sum("investment_month"))
        .values("total")
    )
    milestones = ProjectMilestone.objects.filter(project=OuterRef("pk")).order_by()
    late = (
        milestones.filter(milestone_colour_q(Colour.RED, today))
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    soon = (
        milestones.filter(milestone_colour_q(Colour.YELLOW, today))
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    problems = (
        ProjectProblem.objects.filter(progress__project=OuterRef("pk"), ticket__isnull=True)
        .order_by()
        .values("progress__project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        colour=project_colour_expression(today),
        investment_to_date=Coalesce(Subquery(to_date, output_field=MONEY), ZERO),
        investment_this_year=Coalesce(Subquery(in_year, output_field=MONEY), ZERO),
        late_milestones=Coalesce(Subquery(late), Value(0)),
        yellow_milestones=Coalesce(Subquery(soon), Value(0)),
        open_problems=Coalesce(Subquery(problems), Value(0)),
    )


def stage_rank() -> Case:
    """A project's stage as its place in the chain, to sort by."""
    return Case(
        *[When(stage=stage, then=Value(i)) for i, stage in enumerate(STAGE_ORDER)],
        output_field=IntegerField(),
    )


def has_progress_for(month) -> Exists:
    return Exists(ProjectProgress.objects.filter(project=OuterRef("pk"), month=month))
