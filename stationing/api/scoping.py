"""What an office user may attach new programme data to, built on the selectors.

Reading units is open to every signed-in user (selectors.unit_list), but a programme organiser,
an enterprise's region, a cadre's unit or a new unit's parent must lie in the writer's own
territory (their unit and the units below it); otherwise the new record would fall outside what
they can see. Leaders who may lead a work group are those of the territory or the units above it.
"""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from stationing.choices import Role, UnitKind
from stationing.models import Unit
from stationing.roles import actor_for
from stationing.selectors import unit_list


def territory_units(user) -> QuerySet[Unit]:
    qs = unit_list(user=user)
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    if not actor.unit_path:
        return qs.none()
    return qs.filter(path__startswith=actor.unit_path)


def territory_regions(user) -> QuerySet[Unit]:
    return territory_units(user).filter(kind=UnitKind.GOVERNMENT)


def in_territory(user, unit: Unit) -> bool:
    return territory_units(user).filter(pk=unit.pk).exists()


def leader_users(user) -> QuerySet[User]:
    qs = User.objects.filter(groups__name=Role.LEADER)
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    if not actor.unit_path:
        return qs.none()
    ancestors = [int(part) for part in actor.unit_path.strip("/").split("/") if part]
    return qs.filter(
        Q(profile__unit__path__startswith=actor.unit_path) | Q(profile__unit_id__in=ancestors)
    )
