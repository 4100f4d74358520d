"""Reads for programmes, work groups, cadres and assignments, scoped to the user.

Every page and API view gets its queryset here; nothing else decides who sees what. A user may
hold several roles: what they see is the union of what each role allows.

- superuser: everything
- office and leader: programmes organised by their unit or any unit below it, and all that
  belongs to those programmes
- cadre: the programmes they are stationed in and their own assignments
- enterprise contact: programmes and assignments that involve their enterprise
- department: the programmes run above their unit (tickets arrive with the tickets issue)
"""

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet

from core.choices import Role
from core.models import Profile, Unit
from core.roles import Actor, actor_for, role_members
from core.selectors import territory_units, unit_list

from ..models import Assignment, Programme, WorkGroup

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


def work_group_list(*, user: User) -> QuerySet[WorkGroup]:
    qs = WorkGroup.objects.select_related("programme", "leader__profile")
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    return qs.filter(programme__in=programme_list(user=user).values("pk"))


def programme_unit_list(*, user: User, programme: Programme) -> QuerySet[Unit]:
    """The dispatching units with cadres stationed in `programme` (the matrix's unit filter):
    an EXISTS per unit, not a DISTINCT over every stationing."""
    stationed = Assignment.objects.filter(programme=programme, cadre__unit_id=OuterRef("pk"))
    return unit_list(user=user).select_related(None).filter(Exists(stationed))


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
    # The role as a semi-join on the membership table: no join through every user's row.
    qs = Profile.objects.filter(user_id__in=role_members(Role.CADRE)).select_related("unit", "user")
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


def cadre_unit_list(*, user: User, current_id: int | None = None) -> QuerySet[Unit]:
    """Units the user may record as a cadre's dispatching unit (派出单位): the dispatching units
    of their territory (core.selectors.territory_units), plus `current_id`, the unit a cadre
    already has, so an edit keeps showing it. The page form, the API and the import all ask
    here."""
    allowed = Q(pk__in=territory_units(user).filter(is_dispatching=True).values("pk"))
    if current_id is not None:
        allowed |= Q(pk=current_id)
    return unit_list(user=user).filter(allowed)
