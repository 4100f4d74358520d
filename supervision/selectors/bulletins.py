"""Reads of bulletins (通报), scoped to the user.

- published bulletins: every signed-in user (a bulletin is an open notice);
- drafts: the office over the programme's organiser (and superusers), who draft, edit and
  publish them (supervision.permissions.may_edit_bulletins).
"""

from django.contrib.auth.models import User
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.roles import actor_for
from stationing.models import ReportPeriod
from stationing.selectors import period_list

from ..choices import BulletinState
from ..models import Bulletin

NOTHING = Q(pk__in=[])
# Newest period first, then the newest row.
BULLETIN_ORDER = (F("period__due_at").desc(), "-pk")


def bulletin_list(*, user: User) -> QuerySet[Bulletin]:
    qs = Bulletin.objects.select_related(
        "programme__organiser", "period", "published_by__profile", "updated_by__profile"
    ).order_by(*BULLETIN_ORDER)
    actor = actor_for(user)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if actor.is_superuser:
        return qs
    q = Q(state=BulletinState.PUBLISHED)
    if actor.is_office and actor.unit_path:
        q |= Q(programme__organiser__path__startswith=actor.unit_path)
    return qs.filter(q)


def bulletin_period_list(*, user: User, now=None) -> QuerySet[ReportPeriod]:
    """Periods the user may draft a bulletin for: fallen due, of programmes organised by the
    office's unit or below; newest first."""
    actor = actor_for(user)
    if not actor.is_office:
        return ReportPeriod.objects.none()
    periods = period_list(user=user).filter(due_at__lt=now or timezone.now())
    if not actor.is_superuser:
        periods = periods.filter(programme__organiser__path__startswith=actor.unit_path or "-")
    return periods.select_related("programme").order_by("programme__sort_key", "-number")
