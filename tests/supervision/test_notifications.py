"""Delivering notifications: Chinese e-mail, per-kind opt-out, retries with backoff, exactly once.

Tasks run eagerly in tests: the e-mail task runs when the captured on-commit hooks run, and the
delivery scan (`notifications-delivery-scan`) sends what is pending and due, inline.
"""

import datetime
import email
import email.header
import email.policy
import json
import socket
import urllib.error

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction

from core.dates import SHANGHAI
from notifications.choices import DeliveryState
from notifications.delivery import (
    LEASE,
    MAX_ATTEMPTS,
    backoff,
    notify,
    notify_unit_webhook,
    send_email_notification,
)
from notifications.jobs import run_job
from notifications.models import Notification, NotificationPreference, WebhookDelivery
from stationing.choices import StationingNotice
from stationing.models import ReportPeriod
from stationing.services import programme_sync_periods
from supervision.choices import SupervisionNotice

T0 = datetime.datetime(2026, 11, 4, 9, tzinfo=SHANGHAI)
MINUTE = datetime.timedelta(minutes=1)
SCAN = "notifications-delivery-scan"


@pytest.fixture
def people(world):
    for user in [world.office, world.leader, world.cadre_a, world.cadre_b, world.department]:
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    return world


def subject_of(raw: bytes) -> str:
    """The Subject header of a raw message, RFC 2047-decoded as a mail client shows it.

    Django folds a long encoded subject so that it starts on a continuation line; the folding
    whitespace is not part of the subject (the modern `email.policy.default` parser keeps one
    leading space of it, mail clients do not), hence the decode_header route.
    """
    header = email.message_from_bytes(raw)["Subject"]
    return str(email.header.make_header(email.header.decode_header(header)))


def tell(user, **overrides):
    values = {
        "kind": SupervisionNotice.TICKET_ASSIGNED,
        "recipients": [user],
        "object_key": "ticket:1",
        "period_key": "assigned:1",
        "subject": "新交办诉求 2026-000001",
        "body": "新交办诉求 2026-000001：用电增容，请在办结期限内办理。",
        "link": "/tickets/1/",
    }
    values.update(overrides)
    return notify(**values)


# --- 5a. E-mail content in Chinese ------------------------------------------------------------


def test_reminder_email_is_in_chinese_with_a_link(people, at):
    world = people
    programme_sync_periods(programme=world.programme)
    at(
        datetime.datetime(2026, 11, 1, 8, tzinfo=SHANGHAI),
        run_job,
        "stationing-report-reminders",
    )
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"cadre_a@example.com", "cadre_b@example.com"}
    message = by_recipient["cadre_b@example.com"]
    assert message.subject == "【驻企服务平台】2026年10月下半月半月报将于 2026-11-03 23:59 截止"
    assert message.body == (
        "您驻乙纺织有限公司的2026年10月下半月半月报将于 2026-11-03 23:59 截止，请及时填报。"
        f"\n\n{settings.SITE_URL}/assignments/{world.assignment_b.pk}/reports/"
    )
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    # On the wire: RFC 2047-encoded UTF-8 headers and a UTF-8 body that decode to the same text.
    raw = message.message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert subject_of(raw) == message.subject
    assert parsed.get_content_charset() == "utf-8"
    assert "请及时填报" in parsed.get_content()
    # The inbox row says the same and is marked sent.
    row = Notification.objects.get(recipient=world.cadre_b)
    assert row.subject == "2026年10月下半月半月报将于 2026-11-03 23:59 截止"
    assert row.email_state == DeliveryState.SENT and row.email_attempts == 1


# --- 5b. Switching e-mail off for a kind ------------------------------------------------------


def test_email_switched_off_for_a_kind_still_reaches_the_inbox(people, at):
    world = people
    NotificationPreference.objects.create(
        user=world.cadre_b, kind=StationingNotice.REPORT_DUE_SOON, email=False
    )
    programme_sync_periods(programme=world.programme)
    job = "stationing-report-reminders"
    at(datetime.datetime(2026, 11, 1, 8, tzinfo=SHANGHAI), run_job, job)
    row = Notification.objects.get(recipient=world.cadre_b)
    assert row.kind == StationingNotice.REPORT_DUE_SOON
    assert row.email_state == DeliveryState.SKIPPED and row.read_at is None
    assert [m.to for m in mail.outbox] == [["cadre_a@example.com"]]  # cadre_a kept e-mail on
    # Only that kind is off: the reminder on the due day is e-mailed.
    at(datetime.datetime(2026, 11, 3, 8, tzinfo=SHANGHAI), run_job, job)
    assert ["cadre_b@example.com"] in [m.to for m in mail.outbox]
    # Skipped rows are not picked up by the scan later either.
    at(datetime.datetime(2026, 11, 3, 9, tzinfo=SHANGHAI), run_job, SCAN)
    assert len(mail.outbox) == 3


def test_a_user_without_an_address_gets_the_inbox_row_only(world, at):
    (row,) = at(T0, tell, world.cadre_a)
    row.refresh_from_db()
    assert row.email_state == DeliveryState.SKIPPED and mail.outbox == []


# --- 5c. Failed sends retry with backoff ------------------------------------------------------


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "邮件服务器拒绝连接")


class FlakyBackend(LocmemBackend):
    """Refuses the first `failures` sends, then delivers to mail.outbox."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise TimeoutError("timed out")
        return super().send_messages(messages)


def test_backoff_doubles_from_one_minute():
    assert [backoff(n) for n in range(1, 5)] == [
        datetime.timedelta(minutes=m) for m in (1, 2, 4, 8)
    ]


def test_failed_email_is_retried_with_backoff_then_marked_failed(people, settings, at):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    (row,) = at(T0, tell, people.department)
    moment = T0
    for attempt in range(1, MAX_ATTEMPTS):
        row.refresh_from_db()
        assert (row.email_state, row.email_attempts) == (DeliveryState.PENDING, attempt)
        assert row.email_next_attempt_at == moment + backoff(attempt)
        assert row.email_next_attempt_at - moment == 2 ** (attempt - 1) * MINUTE
        assert "邮件服务器拒绝连接" in row.email_error
        # The scan leaves it alone until the retry is due ...
        at(row.email_next_attempt_at - datetime.timedelta(seconds=1), run_job, SCAN)
        row.refresh_from_db()
        assert row.email_attempts == attempt
        # ... and tries again then.
        moment = row.email_next_attempt_at
        at(moment, run_job, SCAN)
    row.refresh_from_db()
    assert row.email_state == DeliveryState.FAILED
    assert row.email_attempts == MAX_ATTEMPTS
    assert "ConnectionRefusedError" in row.email_error
    assert row.email_claimed_at is None
    # A failed row stays failed: later scans do not try it again.
    at(moment + datetime.timedelta(days=1), run_job, SCAN)
    row.refresh_from_db()
    assert row.email_attempts == MAX_ATTEMPTS and mail.outbox == []
    # The inbox row is there regardless.
    assert Notification.objects.filter(recipient=people.department).count() == 1


def test_a_send_that_fails_once_is_delivered_on_retry(people, settings, at):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures = 1
    (row,) = at(T0, tell, people.department)
    row.refresh_from_db()
    assert row.email_state == DeliveryState.PENDING and "timed out" in row.email_error
    at(T0 + MINUTE, run_job, SCAN)
    row.refresh_from_db()
    assert row.email_state == DeliveryState.SENT and row.email_error == ""
    assert row.email_attempts == 2
    assert [m.to for m in mail.outbox] == [["department@example.com"]]


def test_failed_webhook_is_retried_with_backoff_then_marked_failed(people, monkeypatch, at):
    world = people
    world.finance_bureau.webhook_url = "https://robot.example.com/send?key=x"
    world.finance_bureau.save()

    def urlopen(request, timeout=None):
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr("notifications.delivery.urllib.request.urlopen", urlopen)
    delivery = at(
        T0,
        notify_unit_webhook,
        unit=world.finance_bureau,
        kind=SupervisionNotice.TICKET_RED,
        object_key="ticket:1",
        period_key="deadline:x",
        text="红牌督办",
        link="/tickets/1/",
    )
    assert json.loads(json.dumps(delivery.payload))["text"]["content"].startswith("红牌督办\n")
    for attempt in range(1, MAX_ATTEMPTS):
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, attempt)
        at(delivery.next_attempt_at, run_job, SCAN)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == MAX_ATTEMPTS
    assert "connection refused" in delivery.error


def test_a_webhook_url_that_is_not_http_is_never_opened(people, monkeypatch, at):
    # URLField also takes ftp://, which urllib would open (bandit B310).
    world = people
    world.finance_bureau.webhook_url = "ftp://robot.example.com/send"
    world.finance_bureau.save()
    opened = []
    monkeypatch.setattr(
        "notifications.delivery.urllib.request.urlopen", lambda *a, **k: opened.append(a)
    )
    delivery = at(
        T0,
        notify_unit_webhook,
        unit=world.finance_bureau,
        kind=SupervisionNotice.TICKET_RED,
        object_key="ticket:1",
        period_key="deadline:x",
        text="红牌督办",
        link="/tickets/1/",
    )
    delivery.refresh_from_db()
    assert opened == []
    assert delivery.state != DeliveryState.SENT and "not an http(s) URL" in delivery.error


# --- Exactly once ----------------------------------------------------------------------------


def test_a_duplicated_send_task_sends_once(people, at, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        (row,) = tell(people.department)  # the hook that would enqueue it is dropped
    assert send_email_notification(row.pk) is True
    assert send_email_notification(row.pk) is False
    at(T0 + datetime.timedelta(hours=1), run_job, SCAN)
    assert len(mail.outbox) == 1


def test_a_lost_broker_message_is_sent_by_the_next_scan(people, monkeypatch, at):
    from notifications.tasks import send_notification_task

    def broker_down(*args):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(send_notification_task, "delay", broker_down)
    (row,) = at(T0, tell, people.department)
    row.refresh_from_db()
    assert row.email_state == DeliveryState.PENDING and mail.outbox == []
    monkeypatch.undo()
    at(T0 + MINUTE, run_job, SCAN)
    at(T0 + 2 * MINUTE, run_job, SCAN)
    assert [m.to for m in mail.outbox] == [["department@example.com"]]


def test_a_sender_killed_mid_send_is_taken_over_after_its_lease(people, at):
    (row,) = at(T0, tell, people.department)
    mail.outbox.clear()
    # As if a worker claimed it and died before marking it sent.
    Notification.objects.filter(pk=row.pk).update(
        email_state=DeliveryState.SENDING, email_claimed_at=T0
    )
    at(T0 + LEASE - MINUTE, run_job, SCAN)
    assert mail.outbox == []
    at(T0 + LEASE + MINUTE, run_job, SCAN)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.email_state == DeliveryState.SENT


def test_a_rolled_back_transaction_sends_nothing(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            tell(people.department)
            raise RuntimeError("the step failed")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_the_same_notification_twice_is_written_once(people, at):
    assert len(at(T0, tell, people.department)) == 1
    assert at(T0, tell, people.department) == []
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


# --- 6. A real SMTP server on loopback --------------------------------------------------------


class Mailbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, mailbox
    finally:
        controller.stop()


def test_chinese_email_through_a_real_smtp_server(people, settings, smtp_server, at):
    controller, mailbox = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    world = people
    programme_sync_periods(programme=world.programme)
    period = ReportPeriod.objects.get(programme=world.programme, start=datetime.date(2026, 10, 16))
    at(datetime.datetime(2026, 11, 4, 8, tzinfo=SHANGHAI), run_job, "stationing-report-reminders")

    received = {envelope.rcpt_tos[0]: envelope for envelope in mailbox.envelopes}
    assert set(received) == {
        "cadre_a@example.com",
        "cadre_b@example.com",
        "department@example.com",
    }
    envelope = received["cadre_b@example.com"]
    assert envelope.mail_from == "noreply@localhost"
    raw = envelope.original_content
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert header_block.isascii()  # non-ASCII headers travel RFC 2047-encoded
    assert b"=?utf-8?" in header_block.lower()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert subject_of(raw) == "【驻企服务平台】李干部的2026年10月下半月半月报逾期未报"
    assert message["From"].addresses[0].display_name == "驻企服务平台"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert "李干部（驻乙纺织有限公司）的2026年10月下半月半月报已于 2026-11-03 23:59 截止" in body
    assert f"/assignments/{world.assignment_b.pk}/reports/" in body
    assert period.label == "2026年10月下半月"
    assert set(Notification.objects.values_list("email_state", flat=True)) == {DeliveryState.SENT}
    assert mail.outbox == []  # it really went over SMTP
    assert not WebhookDelivery.objects.exists()
