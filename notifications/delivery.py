"""Writing notifications and delivering them, exactly once per (kind, object, period, recipient).

1. `notify()` writes the inbox rows inside the caller's transaction (a unique constraint makes a
   repeat a no-op) and, after commit, asks Celery to send each e-mail. If the broker is down the
   request still succeeds: the rows wait, and the scan job enqueues them when Redis is back.
2. A sender claims a row with a conditional UPDATE (pending -> sending); zero rows updated means
   another worker has it. After sending it marks the row sent; on error it schedules a retry
   with exponential backoff, and after the last try marks it failed with the error.
3. A worker killed while sending leaves the row "sending"; once its lease has expired the scan
   gives it to another worker. The row names its claimer ("<worker name>:<pid>"), so a worker
   restarted under the same name takes its dead predecessor's rows back at once
   (`release_own_claims`, at worker_ready) instead of waiting out the lease.
"""

import contextlib
import dataclasses
import datetime
import json
import logging
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.db.models import F, Q
from django.utils import timezone, translation

from . import tasks  # a module import: tasks imports this module too
from .choices import DeliveryState
from .kinds import relevant_until as kind_relevant_until
from .models import Notification, NotificationPreference, WebhookDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LEASE = datetime.timedelta(minutes=5)
BACKOFF_BASE_SECONDS = 60
# Seconds before each new try to record a finished send when the database connection was lost:
# 15 s in all, enough for PostgreSQL to restart and far inside LEASE.
RECORD_RETRY_DELAYS = (0, 1, 2, 4, 8)


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed try."""
    return datetime.timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def absolute(link: str) -> str:
    return f"{settings.SITE_URL}{link}" if link.startswith("/") else link


# time.time() until which this process does not try the broker (after a failed publish); the
# wall clock, so a test travelling in time sees the backoff end.
_broker_away_until = 0.0


def enqueue(task, *args) -> bool:
    """Send a task to the broker; if the broker is unreachable, leave it to the scan job.

    Called after commit, often inside a web request: a publish waits at most about
    REDIS_TIMEOUT (settings: socket timeouts, no publish retry), and after a failure
    this process skips the broker for BROKER_BACKOFF_SECONDS, so the other notifications of the
    same request, and the next requests, do not wait again. Returns whether it was queued.
    """
    global _broker_away_until
    if time.time() < _broker_away_until:
        logger.info("broker recently unreachable: %s%r left to the scan job", task.name, args)
        return False
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - any broker failure: the row is safe in PostgreSQL
        _broker_away_until = time.time() + settings.BROKER_BACKOFF_SECONDS
        logger.warning(
            "could not enqueue %s%r; the scan job will retry", task.name, args, exc_info=True
        )
        return False
    return True


def broker_backoff_reset() -> None:
    """Try the broker again at the next enqueue (tests; a worker that is itself connected)."""
    global _broker_away_until
    _broker_away_until = 0.0


def enqueue_email(notification_id: int) -> None:
    enqueue(tasks.send_notification_task, notification_id)


def enqueue_webhook(delivery_id: int) -> None:
    enqueue(tasks.send_webhook_task, delivery_id)


@dataclasses.dataclass
class Notice:
    """One notice to some people about one object: what `notify` writes, and `notify_many`
    writes for many objects at once."""

    recipients: Iterable
    object_key: str
    subject: str
    body: str
    period_key: str = ""
    link: str = ""
    actor: object = None
    relevant_until: datetime.datetime | None = None


def notify(
    *,
    kind: str,
    recipients,
    object_key: str,
    period_key: str = "",
    subject: str,
    body: str,
    link: str = "",
    actor=None,
    relevant_until: datetime.datetime | None = None,
) -> list[Notification]:
    """Write one inbox row per recipient (skipping ones that exist) and send e-mail after commit.

    `actor` is whoever took the step being told about: nobody is notified of their own action.
    `relevant_until` is the notice's own deadline, for the kinds whose relevance is GIVEN (a
    reminder: its due moment); other kinds' rows get their kind's rule (notifications.kinds).
    Returns the rows created now; rows that already existed are not sent again.
    """
    notice = Notice(
        recipients=recipients,
        object_key=object_key,
        period_key=period_key,
        subject=subject,
        body=body,
        link=link,
        actor=actor,
        relevant_until=relevant_until,
    )
    return notify_many(kind=kind, notices=[notice])


def notify_many(*, kind: str, notices: Iterable[Notice]) -> list[Notification]:
    """`notify` for many objects of one kind in a few statements: those told already are left
    out in one read, the others' e-mail preferences read at once and their rows inserted
    together. A scan that runs again over the same tickets writes nothing; the unique
    constraint still decides a race (the rows are then written one by one)."""
    now = timezone.now()
    wanted: dict[tuple[str, str, int], tuple[Notice, object]] = {}
    for notice in notices:
        seen = {notice.actor.pk} if notice.actor is not None else set()
        for user in notice.recipients:
            if user is None or user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            # The first notice naming a person for an object is theirs, as with notify twice.
            wanted.setdefault((notice.object_key, notice.period_key, user.pk), (notice, user))
    if not wanted:
        return []
    keys = {object_key for object_key, _period, _user in wanted}
    users = {user_id for _object, _period, user_id in wanted}
    told = set(
        Notification.objects.filter(
            kind=kind, object_key__in=keys, recipient_id__in=users
        ).values_list("object_key", "period_key", "recipient_id")
    )
    fresh = [pair for key, pair in wanted.items() if key not in told]
    if not fresh:
        return []
    no_email = set(
        NotificationPreference.objects.filter(
            user_id__in={user.pk for _notice, user in fresh}, kind=kind, email=False
        ).values_list("user_id", flat=True)
    )
    rows = [
        Notification(
            kind=kind,
            object_key=notice.object_key,
            period_key=notice.period_key,
            recipient=user,
            subject=notice.subject[:200],
            body=notice.body,
            link=notice.link,
            relevant_until=kind_relevant_until(kind, now, notice.relevant_until),
            email_state=DeliveryState.PENDING
            if user.email and user.pk not in no_email
            else DeliveryState.SKIPPED,
        )
        for notice, user in fresh
    ]
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                continue  # told since the read above
            created.append(row)
    for row in created:
        if row.email_state == DeliveryState.PENDING:
            transaction.on_commit(lambda pk=row.pk: enqueue_email(pk))
    return created


def notify_unit_webhook(
    *, unit, kind: str, object_key: str, period_key: str = "", text: str, link: str = ""
) -> WebhookDelivery | None:
    """Queue a chat-robot message for a unit that has a webhook (text message, JSON POST)."""
    if unit is None or not unit.webhook_url:
        return None
    payload = {"msgtype": "text", "text": {"content": f"{text}\n{absolute(link)}".strip()}}
    sent = WebhookDelivery.objects.filter(
        kind=kind, object_key=object_key, period_key=period_key, unit=unit
    )
    if sent.exists():
        return None  # a scan running again: one read instead of a refused insert
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                kind=kind,
                object_key=object_key,
                period_key=period_key,
                unit=unit,
                url=unit.webhook_url,
                payload=payload,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: enqueue_webhook(delivery.pk))
    return delivery


def claimer(worker_name: str) -> str:
    """What a claim records: "<Celery worker name>:<pid of the sending process>", or "" outside
    a worker (eager tasks, run_due_jobs), which only the lease can release."""
    return f"{worker_name}:{os.getpid()}" if worker_name else ""


def _claim(model, pk: int, now, prefix: str = "", by: str = "") -> bool:
    """pending (and due) -> sending, or sending with an expired lease -> sending again."""
    state, claimed, attempts, next_at = (
        f"{prefix}state",
        f"{prefix}claimed_at",
        f"{prefix}attempts",
        f"{prefix}next_attempt_at",
    )
    due = Q(**{state: DeliveryState.PENDING}) & (
        Q(**{f"{next_at}__isnull": True}) | Q(**{f"{next_at}__lte": now})
    )
    stale = Q(**{state: DeliveryState.SENDING, f"{claimed}__lt": now - LEASE})
    return bool(
        model.objects.filter(Q(pk=pk) & (due | stale)).update(
            **{
                state: DeliveryState.SENDING,
                claimed: now,
                f"{prefix}claimed_by": by,
                attempts: F(attempts) + 1,
            }
        )
    )


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, under another user
        return True
    return True


def _release_own(model, worker_name: str, prefix: str = "") -> list[int]:
    state, claimed_by = f"{prefix}state", f"{prefix}claimed_by"
    rows = model.objects.filter(
        **{state: DeliveryState.SENDING, f"{claimed_by}__startswith": f"{worker_name}:"}
    ).values_list("pk", claimed_by)
    released = []
    for pk, by in rows:
        name, _, pid = by.rpartition(":")
        # Only a previous incarnation's: the same name, a process that no longer exists (a
        # process of this worker that is alive, or a reused pid, keeps its row until the lease).
        if name != worker_name or not pid.isdigit() or _process_alive(int(pid)):
            continue
        if model.objects.filter(pk=pk, **{state: DeliveryState.SENDING, claimed_by: by}).update(
            **{
                state: DeliveryState.PENDING,
                f"{prefix}claimed_at": None,
                claimed_by: "",
                f"{prefix}next_attempt_at": None,
            }
        ):
            released.append(pk)
    return released


def release_own_claims(worker_name: str) -> tuple[list[int], list[int]]:
    """At worker start: put back to pending the rows a dead process of a worker with this name
    left "sending", so they are sent now rather than after LEASE. Returns the e-mail and
    webhook ids released, for the caller to enqueue.

    Still at most one send per SMTP acceptance: a row is marked sent right after the server
    accepts it, so a row still "sending" was not accepted, or its process died in the instant
    between the acceptance and the update — the same window the lease has. Two live workers must
    not share a name (Celery warns about duplicate node names)."""
    if not worker_name:
        return [], []
    return (
        _release_own(Notification, worker_name, "email_"),
        _release_own(WebhookDelivery, worker_name),
    )


def _record_sent(model, pk: int, prefix: str = "", **values) -> None:
    """sending -> sent, after the message went out. That cannot be undone, so a lost database
    connection (PostgreSQL restarted meanwhile) must not leave the row "sending", where the scan
    would send it a second time once the lease expires: reconnect and try again for a while."""
    for delay in (*RECORD_RETRY_DELAYS, None):
        try:
            model.objects.filter(pk=pk, **{f"{prefix}state": DeliveryState.SENDING}).update(
                **{f"{prefix}state": DeliveryState.SENT, **values}
            )
            return
        except (OperationalError, InterfaceError):
            if delay is None or db_connection.in_atomic_block:
                raise
            logger.warning("recording %s %s as sent failed; retrying", model.__name__, pk)
            with contextlib.suppress(DatabaseError):
                db_connection.close()  # the next query opens a new connection
            time.sleep(delay)


def _failed(model, pk: int, error: str, now, prefix: str = "") -> None:
    row = model.objects.get(pk=pk)
    attempts = getattr(row, f"{prefix}attempts")
    if attempts >= MAX_ATTEMPTS:
        values = {f"{prefix}state": DeliveryState.FAILED}
    else:
        values = {
            f"{prefix}state": DeliveryState.PENDING,
            f"{prefix}next_attempt_at": now + backoff(attempts),
        }
    values[f"{prefix}error"] = error[:2000]
    values[f"{prefix}claimed_at"] = None
    values[f"{prefix}claimed_by"] = ""
    model.objects.filter(pk=pk, **{f"{prefix}state": DeliveryState.SENDING}).update(**values)


def send_email_notification(notification_id: int, now=None, worker: str = "") -> bool:
    """Send one notification's e-mail if nobody else has. Returns True if this call sent it.
    `worker`: the Celery worker name running this, recorded with the claim."""
    now = now or timezone.now()
    if not _claim(Notification, notification_id, now, prefix="email_", by=claimer(worker)):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                subject=f"【驻企服务平台】{notification.subject}",
                message=f"{notification.body}\n\n{absolute(notification.link)}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )
    except Exception as exc:  # noqa: BLE001 - any SMTP failure is retried or recorded
        logger.warning("e-mail for notification %s failed: %s", notification_id, exc)
        _failed(Notification, notification_id, repr(exc), timezone.now(), prefix="email_")
        return False
    _record_sent(
        Notification, notification_id, "email_", email_sent_at=timezone.now(), email_error=""
    )
    return True


def send_webhook_delivery(delivery_id: int, now=None, worker: str = "") -> bool:
    now = now or timezone.now()
    if not _claim(WebhookDelivery, delivery_id, now, by=claimer(worker)):
        return False
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    # A robot URL is http(s); URLField would also take ftp, which urllib would open too.
    if urlsplit(delivery.url).scheme not in ("http", "https"):
        _failed(WebhookDelivery, delivery_id, f"not an http(s) URL: {delivery.url}", now)
        return False
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        delivery.url,
        data=json.dumps(delivery.payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT) as response:  # noqa: S310 # nosec B310
            response.read(2048)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        _failed(WebhookDelivery, delivery_id, repr(exc), timezone.now())
        return False
    _record_sent(WebhookDelivery, delivery_id, sent_at=timezone.now(), error="")
    return True


def due_deliveries(now=None) -> tuple[list[int], list[int]]:
    """Ids the scan should (re)enqueue: pending and due, or sending with an expired lease."""
    now = now or timezone.now()
    emails = Notification.objects.filter(
        (
            Q(email_state=DeliveryState.PENDING)
            & (Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now))
        )
        | Q(email_state=DeliveryState.SENDING, email_claimed_at__lt=now - LEASE)
    ).values_list("pk", flat=True)
    hooks = WebhookDelivery.objects.filter(
        (
            Q(state=DeliveryState.PENDING)
            & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        )
        | Q(state=DeliveryState.SENDING, claimed_at__lt=now - LEASE)
    ).values_list("pk", flat=True)
    return list(emails[:500]), list(hooks[:500])
