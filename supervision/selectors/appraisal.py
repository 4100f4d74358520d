"""Reads of appraisal runs and their results, scoped to the user, and the comparison of two
versions.

- office, leaders: every run (drafts too) of the programmes organised by their unit or below;
- dispatching unit staff (a department handler bound to the unit): the published results of the
  cadres of their unit and the units below it, and those units' roll-ups;
- cadre: their own published results;
- anyone else: nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from core.choices import Role
from core.roles import Actor, actor_for

from ..choices import AppraisalState
from ..models import (
    AppraisalRun,
    CadreRating,
    CadreResult,
    DepartmentResult,
    ResultReviewRequest,
    UnitResult,
    WorkGroupResult,
)

NOTHING = Q(pk__in=[])
PUBLISHED = Q(run__state=AppraisalState.PUBLISHED)


def _runs_q(actor: Actor, prefix: str = "") -> Q:
    """Runs the actor reads whole (office and leaders), as a condition on `prefix` + run."""
    if actor.sees_programmes_of_unit and actor.unit_path:
        return Q(**{f"{prefix}programme__organiser__path__startswith": actor.unit_path})
    return NOTHING


def appraisal_run_list(*, user: User) -> QuerySet[AppraisalRun]:
    qs = AppraisalRun.objects.select_related("programme", "created_by__profile")
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    q = _runs_q(actor)
    own = CadreResult.objects.filter(_cadre_result_q(actor, whole_runs=False))
    q |= Q(state=AppraisalState.PUBLISHED, pk__in=own.values("run_id"))
    return qs.filter(q)


def _cadre_result_q(actor: Actor, *, whole_runs: bool = True) -> Q:
    q = _runs_q(actor, "run__") if whole_runs else NOTHING
    if actor.has(Role.CADRE) and actor.profile_id:
        q |= PUBLISHED & Q(cadre_id=actor.profile_id)
    if actor.has(Role.DEPARTMENT) and actor.unit_path:
        q |= PUBLISHED & Q(unit__path__startswith=actor.unit_path)
    return q


def cadre_result_list(*, user: User, run: AppraisalRun | None = None) -> QuerySet[CadreResult]:
    qs = CadreResult.objects.select_related("run__programme", "cadre", "unit", "work_group")
    if run is not None:
        qs = qs.filter(run=run)
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    return qs.filter(_cadre_result_q(actor))


def own_published_results(*, user: User) -> QuerySet[CadreResult]:
    """The signed-in cadre's own published results, newest first (the appraisal index and the
    cadre's home list them)."""
    actor = actor_for(user)
    if not (actor.has(Role.CADRE) and actor.profile_id):
        return CadreResult.objects.none()
    return (
        cadre_result_list(user=user)
        .filter(cadre_id=actor.profile_id, run__state=AppraisalState.PUBLISHED)
        .order_by("-run__published_at", "-pk")
    )


def _group_q(actor: Actor, unit_path: str) -> Q:
    q = _runs_q(actor, "run__")
    if actor.has(Role.DEPARTMENT) and actor.unit_path:
        q |= PUBLISHED & Q(**{f"{unit_path}__startswith": actor.unit_path})
    return q


def unit_result_list(*, user: User, run: AppraisalRun) -> QuerySet[UnitResult]:
    qs = UnitResult.objects.filter(run=run).select_related("unit")
    actor = actor_for(user)
    return qs if actor.is_superuser else qs.filter(_group_q(actor, "unit__path"))


def work_group_result_list(*, user: User, run: AppraisalRun) -> QuerySet[WorkGroupResult]:
    qs = WorkGroupResult.objects.filter(run=run).select_related("work_group__leader__profile")
    actor = actor_for(user)
    return qs if actor.is_superuser else qs.filter(_runs_q(actor, "run__"))


def department_result_list(*, user: User, run: AppraisalRun) -> QuerySet[DepartmentResult]:
    """Office and leaders read every department's row; a department its own, once published."""
    qs = DepartmentResult.objects.filter(run=run).select_related("unit")
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    q = _runs_q(actor, "run__")
    if actor.has(Role.DEPARTMENT) and actor.unit_id:
        q |= PUBLISHED & Q(unit_id=actor.unit_id)
    return qs.filter(q)


def review_request_list(*, user: User) -> QuerySet[ResultReviewRequest]:
    """Review requests: the office and leaders those of their programmes, a cadre their own."""
    qs = ResultReviewRequest.objects.select_related(
        "result__run__programme", "result__unit", "cadre", "answered_by__profile", "new_run"
    )
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    q = _runs_q(actor, "result__run__")
    if actor.has(Role.CADRE) and actor.profile_id:
        q |= Q(cadre_id=actor.profile_id)
    return qs.filter(q)


def own_cadre_rating_list(*, user: User) -> QuerySet[CadreRating]:
    """The ratings an enterprise contact gave, newest first."""
    if not user.is_authenticated:
        return CadreRating.objects.none()
    return CadreRating.objects.filter(contact=user).order_by("-created_at", "-pk")


# --- Comparing two versions -------------------------------------------------------------------

COMPARED = (
    "reports",
    "attendance",
    "plan",
    "problems",
    "enterprise_rating",
    "office_rating",
    "total",
    "grade",
    "rank",
)


@dataclass
class CadreDiff:
    cadre_id: int
    name: str
    a: CadreResult | None
    b: CadreResult | None
    # field -> (value in a, value in b), only the fields that differ
    changes: dict

    @property
    def total_delta(self) -> Decimal | None:
        if self.a is None or self.b is None or self.a.total is None or self.b.total is None:
            return None
        return self.b.total - self.a.total


def appraisal_compare(*, user: User, run_a: AppraisalRun, run_b: AppraisalRun) -> list[CadreDiff]:
    """Per cadre the fields that differ between two runs (a cadre in only one run too), among
    the results the user may read; unchanged cadres are left out. Two queries."""
    a = {r.cadre_id: r for r in cadre_result_list(user=user, run=run_a)}
    b = {r.cadre_id: r for r in cadre_result_list(user=user, run=run_b)}
    diffs = []
    # Cadres in natural (pinyin) order, as every list of people (core.ordering).
    for cadre_id in sorted(
        a.keys() | b.keys(), key=lambda pk: ((a.get(pk) or b.get(pk)).cadre.sort_key, pk)
    ):
        old, new = a.get(cadre_id), b.get(cadre_id)
        changes = {
            name: (getattr(old, name, None), getattr(new, name, None))
            for name in COMPARED
            if getattr(old, name, None) != getattr(new, name, None)
        }
        if changes:
            name = (old or new).cadre.name
            diffs.append(CadreDiff(cadre_id=cadre_id, name=name, a=old, b=new, changes=changes))
    return diffs
