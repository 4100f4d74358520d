"""Who may do what. Reads are scoped by selectors; these predicates guard writes."""

from django.contrib.auth.models import User

from .choices import Role
from .models import Assignment
from .roles import actor_for


def can_manage_programme_data(user: User) -> bool:
    """Office staff set up programmes, units, work groups, cadres, assignments and imports."""
    return actor_for(user).is_office


def is_stationed_at(user: User, enterprise_id: int) -> bool:
    actor = actor_for(user)
    if not (actor.has(Role.CADRE) and actor.profile_id):
        return False
    return Assignment.objects.filter(
        cadre_id=actor.profile_id, enterprise_id=enterprise_id
    ).exists()
