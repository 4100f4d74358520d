"""Reads of units and people, scoped to the user: the one place for "who is who" look-ups.

Reading units is open to every signed-in user (`unit_list`), but a programme organiser, an
enterprise's region, a cadre's unit or a new unit's parent must lie in the writer's own
territory (their unit and the units below it); otherwise the new record would fall outside what
they can see. Pages and the API take their choices from the same functions here.

People look-ups used to address notifications (users of a role, a unit's handlers, an
enterprise's contacts, the office staff over a unit) live here too, so every app asks one place.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .choices import Role, UnitKind
from .models import AuditEvent, Profile, Unit
from .permissions import may_read_audit
from .roles import actor_for, role_members

NOTHING = Q(pk__in=[])


def path_ids(path: str) -> list[int]:
    """The unit ids of a path ("/1/4/9/" -> [1, 4, 9]): the unit and every unit above it."""
    return [int(part) for part in path.strip("/").split("/") if part]


def unit_list(*, user: User) -> QuerySet[Unit]:
    """The list of government units is not confidential; any signed-in user may read it."""
    qs = Unit.objects.select_related("parent")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs


def territory_units(user) -> QuerySet[Unit]:
    """Units the user may attach new data to: their own unit and every unit below it."""
    qs = unit_list(user=user)
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    if not actor.unit_path:
        return qs.none()
    return qs.filter(path__startswith=actor.unit_path)


def territory_regions(user) -> QuerySet[Unit]:
    """Governments (党委政府) in the user's territory: a programme's organiser, an enterprise's
    region. The page forms and the API serializers both take their choices here."""
    return territory_units(user).filter(kind=UnitKind.GOVERNMENT)


def in_territory(user, unit: Unit) -> bool:
    return territory_units(user).filter(pk=unit.pk).exists()


def leader_list(*, user: User, current: User | None = None) -> QuerySet[User]:
    """Leaders the user may pick to lead a work group or take charge of a ticket (包案).

    Those of the user's territory and of the units above it (a city leader leads a county's
    work group: 市领导带队), plus `current`, the leader already chosen, so an edit form keeps
    showing them. Pages and API both ask here.
    """
    actor = actor_for(user)
    # The role as a semi-join, not a join: no DISTINCT over every user's columns, and
    # PostgreSQL starts from the few leaders (role_members explains).
    model = get_user_model()
    q = Q(pk__in=role_members(Role.LEADER))
    if not actor.is_superuser:
        if actor.unit_path:
            q &= Q(profile__unit__path__startswith=actor.unit_path) | Q(
                profile__unit_id__in=path_ids(actor.unit_path)
            )
        else:
            q = NOTHING
    if current is not None:
        q |= Q(pk=current.pk)
    return model.objects.filter(q).select_related("profile").order_by("profile__sort_key", "pk")


def profile_for(*, user: User) -> Profile | None:
    return Profile.objects.select_related("unit", "enterprise").filter(user=user).first()


# --- Recipients of notifications ----------------------------------------------------------------


def users_with_role(role: str) -> QuerySet[User]:
    return (
        get_user_model()
        .objects.filter(groups__name=role, is_active=True)
        .select_related("profile__unit")
    )


def unit_handlers(unit_id: int | None) -> QuerySet[User]:
    """The department handlers of one unit: who hears about its tickets and its cadres."""
    if unit_id is None:
        return get_user_model().objects.none()
    return users_with_role(Role.DEPARTMENT).filter(profile__unit_id=unit_id)


def enterprise_contacts(enterprise_id: int) -> QuerySet[User]:
    return users_with_role(Role.ENTERPRISE).filter(profile__enterprise_id=enterprise_id)


def office_over(unit_path: str) -> QuerySet[User]:
    """Office staff whose territory covers the unit at `unit_path` (its unit or one above)."""
    return users_with_role(Role.OFFICE).filter(profile__unit_id__in=path_ids(unit_path))


# --- API tokens -------------------------------------------------------------------------------


def api_token_expires_at(token: Token) -> datetime.datetime:
    """When an API token stops working: API_TOKEN_TTL_DAYS after it was issued."""
    return token.created + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)


def api_token_is_expired(token: Token) -> bool:
    return timezone.now() >= api_token_expires_at(token)


def api_token_for(*, user: User) -> Token | None:
    """The user's own API token (DRF keeps one per user), expired or not."""
    return Token.objects.filter(user=user).first()


# --- The audit trail ----------------------------------------------------------------------------


def audit_event_list(*, user: User) -> QuerySet[AuditEvent]:
    """The audit trail, newest first: the whole of it for the office, nothing for anyone else.

    The actor's profile and the content type come along (the page shows the name and the
    object type's label, and labels the changes by the object's model), so the page's query
    count does not grow with its rows.
    """
    qs = AuditEvent.objects.select_related("actor__profile", "content_type").order_by("-at", "-pk")
    if not may_read_audit(user):
        return qs.none()
    return qs


def audit_events_for(*, user: User, obj) -> QuerySet[AuditEvent]:
    """One object's events (the 操作记录 panel of a plan, report or ticket)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return audit_event_list(user=user).filter(content_type=content_type, object_id=str(obj.pk))
