"""Until when a skipped e-mail is still sent once an address is added (issue 15).

Each notification kind says how long its notices stay relevant (notifications.kinds): a report
reminder until the period's due moment, an overdue-report notice until the end of the next
period, a digest on its day, a ticket step for a week. notify() stores the moment on the row
(`relevant_until`) and resend_skipped sends only rows still relevant.

Eager tasks here (the e-mail is sent when the captured on-commit hooks run); the last test runs
the same story with a real Celery worker, Redis and SMTP server.
"""

import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone

from core.dates import SHANGHAI, end_of_day
from core.services import profile_update
from notifications.choices import DeliveryState
from notifications.delivery import notify
from notifications.kinds import DEFAULT_RELEVANCE, relevant_until
from notifications.models import Notification
from notifications.services import resend_skipped
from stationing.choices import StationingNotice
from stationing.jobs import report_reminders
from stationing.models import Assignment, ReportPeriod
from supervision.choices import SupervisionNotice
from tests.supervision.celery_helpers import wait_idle
from tests.supervision.test_celery_reliability import SOON, states, wait_sent

ADDRESS = "zhang@example.gov.cn"
DAY = datetime.timedelta(days=1)


def sh(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def add_address(world, email=ADDRESS, **fields):
    """The office enters cadre_a's address on the cadre form's service."""
    profile = world.cadre_a.profile
    profile.refresh_from_db()
    return profile_update(profile=profile, by=world.office, expected_version=None, email=email)


def cadre_a_rows(kind):
    return Notification.objects.filter(recipient__username="cadre_a", kind=kind)


# --- The rules ---------------------------------------------------------------------------------


def test_each_kind_says_until_when_it_is_relevant(caplog):
    written = sh(2026, 3, 16, 23, 30)
    deadline = sh(2026, 3, 18, 23, 59, 59)
    # An event: a fixed time after it was written.
    assert relevant_until(StationingNotice.REPORT_RETURNED, written) == written + DEFAULT_RELEVANCE
    # A digest: the end of its day in Shanghai, even when written half an hour before midnight
    # (in UTC, still the afternoon of the same day) or just after it.
    assert relevant_until(SupervisionNotice.OFFICE_DIGEST, written) == sh(2026, 3, 16, 23, 59, 59)
    after_midnight = sh(2026, 3, 17, 0, 10)
    assert after_midnight.astimezone(datetime.UTC).day == 16
    assert relevant_until(SupervisionNotice.LEADER_DIGEST, after_midnight) == sh(
        2026, 3, 17, 23, 59, 59
    )
    # A reminder: the deadline its caller gives; without one, the default, and a warning.
    assert relevant_until(StationingNotice.REPORT_DUE_SOON, written, deadline) == deadline
    with caplog.at_level(logging.WARNING, logger="notifications.kinds"):
        assert relevant_until(StationingNotice.REPORT_DUE_SOON, written) == (
            written + DEFAULT_RELEVANCE
        )
    assert "without relevant_until" in caplog.text
    # A kind nobody registered (an old row's): the default.
    assert relevant_until("gone-kind", written) == written + DEFAULT_RELEVANCE


def test_report_reminders_store_the_deadline_and_the_next_period_end(world, periods, at):
    first, second = periods[1], periods[2]  # 1-15 March (due 18 March), 16-31 March
    assert first.due_at == end_of_day(datetime.date(2026, 3, 18))

    at(sh(2026, 3, 16, 8), report_reminders, sh(2026, 3, 16, 8))
    at(sh(2026, 3, 19, 8), report_reminders, sh(2026, 3, 19, 8))

    [soon] = cadre_a_rows(StationingNotice.REPORT_DUE_SOON)
    [overdue] = cadre_a_rows(StationingNotice.REPORT_OVERDUE)
    assert soon.relevant_until == first.due_at
    assert overdue.relevant_until == end_of_day(second.end) == sh(2026, 3, 31, 23, 59, 59)
    assert {soon.email_state, overdue.email_state} == {DeliveryState.SKIPPED}


def test_overdue_notice_of_the_last_period_lasts_a_period_more(world, periods, at):
    last = max(periods.values(), key=lambda period: period.start)
    ReportPeriod.objects.exclude(pk=last.pk).delete()
    day_after = timezone.localtime(last.due_at).date() + DAY
    moment = datetime.datetime.combine(day_after, datetime.time(8), tzinfo=SHANGHAI)

    at(moment, report_reminders, moment)

    [overdue] = cadre_a_rows(StationingNotice.REPORT_OVERDUE)
    length = last.end - last.start + DAY
    assert overdue.relevant_until == end_of_day(last.end + length)


# --- Resending by relevance ------------------------------------------------------------------


def test_an_expired_reminder_is_not_sent_late_and_a_relevant_notice_is_sent_once(
    world, periods, at
):
    """The reminder before 18 March and the overdue notice of the 19th were skipped (no
    address). The address comes on the 20th: the reminder's deadline has passed, so only the
    overdue notice (relevant until 31 March) goes out, once."""
    at(sh(2026, 3, 16, 8), report_reminders, sh(2026, 3, 16, 8))
    at(sh(2026, 3, 19, 8), report_reminders, sh(2026, 3, 19, 8))

    at(sh(2026, 3, 20, 9), add_address, world)

    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([ADDRESS], "【驻企服务平台】张干部的2026年3月上半月半月报逾期未报")
    ]
    [soon] = cadre_a_rows(StationingNotice.REPORT_DUE_SOON)
    [overdue] = cadre_a_rows(StationingNotice.REPORT_OVERDUE)
    assert soon.email_state == DeliveryState.SKIPPED and soon.email_sent_at is None
    assert overdue.email_state == DeliveryState.SENT and overdue.email_attempts == 1

    # Another save of the form, another resend: nothing more.
    at(sh(2026, 3, 20, 10), add_address, world)
    assert at(sh(2026, 3, 20, 10), resend_skipped, world.cadre_a) == 0
    assert len(mail.outbox) == 1


def test_a_reminder_before_its_deadline_is_sent_once(world, periods, at):
    at(sh(2026, 3, 16, 8), report_reminders, sh(2026, 3, 16, 8))

    at(sh(2026, 3, 18, 23, 59), add_address, world)

    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert "半月报将于 2026-03-18 23:59 截止" in mail.outbox[0].subject
    assert at(sh(2026, 3, 19, 9), resend_skipped, world.cadre_a) == 0
    assert len(mail.outbox) == 1


def test_an_overdue_notice_is_not_sent_after_the_next_period(world, periods, at):
    at(sh(2026, 3, 19, 8), report_reminders, sh(2026, 3, 19, 8))

    at(sh(2026, 4, 1, 0, 0, 1), add_address, world)

    assert mail.outbox == []
    [overdue] = cadre_a_rows(StationingNotice.REPORT_OVERDUE)
    assert overdue.email_state == DeliveryState.SKIPPED


def digest(world):
    return notify(
        kind=SupervisionNotice.OFFICE_DIGEST,
        recipients=[world.cadre_a],
        object_key="digest:office",
        period_key="2026-03-16",
        subject="督查室每日摘要（2026-03-16）",
        body="待审阅半月报 1 份。",
    )


@pytest.mark.parametrize(
    ("added_at", "sent"),
    [(sh(2026, 3, 16, 23, 59), True), (sh(2026, 3, 17, 0, 1), False)],
    ids=["same-day", "next-day"],
)
def test_a_digest_is_sent_late_only_on_its_day(world, at, added_at, sent):
    at(sh(2026, 3, 16, 8, 30), digest, world)

    at(added_at, add_address, world)

    assert len(mail.outbox) == int(sent)


# --- With a real worker ----------------------------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_only_the_relevant_skipped_notice_once(world, workers, broker, smtp):
    """Processes and sockets: the reminder for a deadline that passed yesterday stays unsent;
    the overdue notice for that period (relevant until the next period ends) goes out once when
    the office adds the address, and not again on a second save or resend."""
    today = timezone.localtime().date()
    Assignment.objects.filter(programme=world.programme).update(start_date=today - 40 * DAY)
    ReportPeriod.objects.filter(programme=world.programme).delete()
    past = ReportPeriod.objects.create(
        programme=world.programme,
        number=1,
        start=today - 18 * DAY,
        end=today - 4 * DAY,
        due_at=end_of_day(today - DAY),
        part="first",
    )
    ReportPeriod.objects.create(
        programme=world.programme,
        number=2,
        start=today - 3 * DAY,
        end=today + 11 * DAY,
        due_at=end_of_day(today + 14 * DAY),
        part="second",
    )
    # Three days ago the job reminded of the period due yesterday; today it says the report is
    # overdue. cadre_a has no address yet: both skipped.
    report_reminders(datetime.datetime.combine(today - 3 * DAY, datetime.time(8), SHANGHAI))
    report_reminders(timezone.now())
    expired = cadre_a_rows(StationingNotice.REPORT_DUE_SOON).get(period_key=f"period:{past.pk}")
    relevant = cadre_a_rows(StationingNotice.REPORT_OVERDUE).get(period_key=f"period:{past.pk}")
    assert expired.relevant_until < timezone.now() < relevant.relevant_until
    assert states(recipient=world.cadre_a) == [DeliveryState.SKIPPED] * 2
    workers.start()

    add_address(world)  # commits; the resend queues after commit, the worker sends

    wait_sent(1, workers=workers, pk=relevant.pk)
    add_address(world, email=ADDRESS)
    assert resend_skipped(world.cadre_a) == 0
    wait_idle(broker.client, broker.queue, timeout=SOON)
    assert smtp.recipients() == [ADDRESS]
    assert "逾期未报" in str(smtp.messages[0]["Subject"])
    assert states(pk=expired.pk) == [DeliveryState.SKIPPED]
    assert states(pk=relevant.pk) == [DeliveryState.SENT]
