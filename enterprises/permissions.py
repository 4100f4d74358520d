"""Write permissions for enterprise data. Reads go through enterprises.selectors."""

from django.contrib.auth.models import User

from core.choices import Role
from core.permissions import is_office
from core.roles import actor_for

from .models import Enterprise


def is_stationed_at(user: User, enterprise_id: int) -> bool:
    """A cadre with an assignment at this enterprise (in any programme).

    Assignments belong to stationing, which sits above this app; the query goes through the
    relation stationing declares on Enterprise instead of importing its models.
    """
    actor = actor_for(user)
    if not (actor.has(Role.CADRE) and actor.profile_id):
        return False
    return Enterprise.objects.filter(
        pk=enterprise_id, assignments__cadre_id=actor.profile_id
    ).exists()


def can_edit_enterprise(user: User) -> bool:
    return is_office(user)


def can_record_enterprise_data(user: User, enterprise_id: int) -> bool:
    """Surveys and monthly figures: the office, or a cadre stationed at that enterprise."""
    return is_office(user) or is_stationed_at(user, enterprise_id)
