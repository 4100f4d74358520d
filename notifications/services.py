"""Writes behind the notification pages: read marks, e-mail preferences, the calendar feed's
secret, and the office's retry of a failed delivery.

The delivery machinery itself (writing rows, claiming, sending, backoff) is in delivery.py;
a retry here, or a resend once an address is added, only puts a row back to pending and hands it
to the same senders.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import user_email_set

from .choices import DeliveryState
from .delivery import enqueue_email, enqueue_webhook
from .models import (
    CalendarFeed,
    Notification,
    NotificationPreference,
    WebhookDelivery,
    new_feed_token,
)

# --- Inbox ------------------------------------------------------------------------------------


def notification_mark_read(*, user: User, notification: Notification) -> bool:
    """Mark one of the user's notifications read. Returns False if it already was."""
    if notification.recipient_id != user.pk:
        raise ValidationError(_("只能处理自己的通知。"))
    return bool(
        Notification.objects.filter(
            pk=notification.pk, recipient=user, read_at__isnull=True
        ).update(read_at=timezone.now())
    )


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Preferences ------------------------------------------------------------------------------


@transaction.atomic
def notification_preferences_save(
    *, user: User, kinds, email_kinds, email: str | None = None
) -> None:
    """Save e-mail on/off for each of `kinds` (on for those in `email_kinds`) and, when given,
    the user's e-mail address. The inbox always receives every kind; this only concerns e-mail.
    """
    email_kinds = set(email_kinds)
    if email is not None:
        # Checks the address (core.validators; refused on `email`) and, when it is the first,
        # sends core.signals.user_email_added after commit, which re-queues the skipped e-mails
        # (resend_skipped, connected in apps.py).
        user_email_set(user=user, email=email)
    for kind in kinds:
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": kind in email_kinds}
        )


# --- Resending what was skipped for want of an address -----------------------------------------


def resend_skipped(user: User, now=None) -> int:
    """Queue the e-mails skipped because `user` had no address, now that they have one.

    1. Only rows still relevant (`relevant_until` after now: the kind's rule, notifications.kinds
       — a reminder until its deadline, a digest on its day, an event for some days), still
       unread in the inbox (a read one has been seen), of kinds the user has not switched e-mail
       off for (those were skipped on purpose).
    2. Each row goes skipped -> pending with a conditional update: a second call, or two saves at
       once, find it no longer skipped and queue nothing, so it is sent once. The sender then
       claims it as any other pending row, and the delivery scan picks it up if the broker is away.
    Returns how many were queued. Called after commit by the services that add an address.
    """
    now = now or timezone.now()
    user = User.objects.get(pk=user.pk)  # the address as committed
    if not user.email or not user.is_active:
        return 0
    switched_off = NotificationPreference.objects.filter(user=user, email=False).values("kind")
    rows = (
        Notification.objects.filter(
            recipient=user,
            email_state=DeliveryState.SKIPPED,
            read_at__isnull=True,
            relevant_until__gt=now,
        )
        .exclude(kind__in=switched_off)
        .values_list("pk", flat=True)
    )
    queued = 0
    for pk in rows:
        updated = Notification.objects.filter(pk=pk, email_state=DeliveryState.SKIPPED).update(
            email_state=DeliveryState.PENDING,
            email_attempts=0,
            email_claimed_at=None,
            email_next_attempt_at=None,
            email_error="",
        )
        if updated:
            queued += 1
            transaction.on_commit(lambda pk=pk: enqueue_email(pk))
    return queued


def _on_email_added(sender, *, user, **kwargs) -> None:
    resend_skipped(user)


# --- Calendar feed ----------------------------------------------------------------------------


def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The user's feed (created with a fresh secret the first time it is needed)."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret: the old subscription URL stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token", "created_at"])
    return feed


# --- Failed deliveries (office) ---------------------------------------------------------------


def notification_email_retry(*, notification: Notification) -> bool:
    """A failed e-mail goes back to pending with its attempts reset, and is sent after commit.

    Conditional on the row still being failed, so two clicks (or two clerks) retry it once.
    """
    updated = Notification.objects.filter(
        pk=notification.pk, email_state=DeliveryState.FAILED
    ).update(
        email_state=DeliveryState.PENDING,
        email_attempts=0,
        email_claimed_at=None,
        email_next_attempt_at=None,
    )
    if updated:
        transaction.on_commit(lambda: enqueue_email(notification.pk))
    return bool(updated)


@transaction.atomic
def webhook_delivery_retry(*, delivery: WebhookDelivery) -> bool:
    """A failed robot push goes back to pending with its attempts reset, sent after commit."""
    updated = WebhookDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.FAILED).update(
        state=DeliveryState.PENDING, attempts=0, claimed_at=None, next_attempt_at=None
    )
    if updated:
        transaction.on_commit(lambda: enqueue_webhook(delivery.pk))
    return bool(updated)
