"""Reads for the notification pages: the user's own inbox and settings, and the office's view
of deliveries to people and units in its territory."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from core.roles import actor_for

from .choices import DeliveryState
from .models import CalendarFeed, Notification, NotificationPreference, WebhookDelivery

NOTHING = Q(pk__in=[])


def notification_list(*, user: User) -> QuerySet:
    """The user's own inbox, newest first. Nobody reads another person's notifications."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_notification_count(*, user: User) -> int:
    """One COUNT query (the header badge on every page)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return notification_list(user=user).filter(read_at__isnull=True).count()


def received_notification_kinds(*, user: User) -> set[str]:
    """Kinds the user has received or has a preference for (always listed on the settings)."""
    kinds = set(notification_list(user=user).order_by().values_list("kind", flat=True).distinct())
    kinds |= set(NotificationPreference.objects.filter(user=user).values_list("kind", flat=True))
    return kinds


def notification_preference_map(*, user: User) -> dict[str, bool]:
    """kind -> e-mail on/off as saved; a kind without a row means on."""
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))


def email_delivery_list(*, user: User) -> QuerySet:
    """Notifications (for their e-mail state) to people in the office's territory: their unit,
    or their enterprise's region, lies under the office's unit. Superusers see all."""
    actor = actor_for(user)
    if actor.is_superuser:
        scope = Q()
    elif actor.is_office and actor.unit_path:
        scope = Q(recipient__profile__unit__path__startswith=actor.unit_path) | Q(
            recipient__profile__enterprise__region__path__startswith=actor.unit_path
        )
    else:
        scope = NOTHING
    return (
        Notification.objects.filter(scope)
        .select_related("recipient__profile__unit", "recipient__profile__enterprise")
        .order_by("-created_at", "-pk")
    )


def webhook_delivery_list(*, user: User) -> QuerySet:
    """Chat-robot pushes of units under the office's unit (superusers: all)."""
    actor = actor_for(user)
    if actor.is_superuser:
        scope = Q()
    elif actor.is_office and actor.unit_path:
        scope = Q(unit__path__startswith=actor.unit_path)
    else:
        scope = NOTHING
    return (
        WebhookDelivery.objects.filter(scope).select_related("unit").order_by("-created_at", "-pk")
    )


def failed_email_list(*, user: User) -> QuerySet:
    """E-mails given up after the last try (the office's failures page)."""
    return email_delivery_list(user=user).filter(email_state=DeliveryState.FAILED)


def failed_webhook_list(*, user: User) -> QuerySet:
    """Robot pushes given up after the last try (the office's failures page)."""
    return webhook_delivery_list(user=user).filter(state=DeliveryState.FAILED)


def calendar_feed_owner(*, token: str):
    """The active user whose calendar feed has this secret token, or None."""
    if not token or len(token) > 64:
        return None
    feed = (
        CalendarFeed.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    return feed.user if feed else None
