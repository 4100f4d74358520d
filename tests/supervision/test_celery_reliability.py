"""Notifications with a real Celery worker, a real Redis and a real SMTP server (issue 5).

Every test starts `celery worker --pool=solo` as a subprocess on a queue of its own, against a
redis-server this module starts on a free port (database 15, flushed before and after each
test) and the pytest test database; e-mail goes over SMTP to an aiosmtpd server on loopback,
which counts what it accepts. This process publishes to the same Redis and queue for real.

They prove, with processes and sockets rather than mocks, that a notification is sent exactly
once when a job runs twice, when a worker is killed in the middle of sending, when Redis is down
while a cadre submits a report and when PostgreSQL drops the worker's connections, and that a
rolled-back transaction sends nothing.

Needs REDIS_URL (the signal that Redis is part of this run), the redis-server binary and
PostgreSQL; skipped without them, except under CI=true, where that is a failure.
"""

import datetime
import os
import shutil
import time
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from core.dates import SHANGHAI
from notifications.choices import DeliveryState
from notifications.delivery import LEASE, notify
from notifications.jobs import run_job
from notifications.models import JobRun, Notification
from notifications.tasks import run_job_task, send_notification_task
from stationing.choices import ReportState, StationingNotice
from stationing.models import Assignment, ProgressReport, ReportPeriod
from stationing.services import programme_sync_periods, report_get_or_create_draft
from supervision.choices import SupervisionNotice

from .celery_helpers import (
    RedisServer,
    Worker,
    database_url,
    redeliver_unacked,
    redis_answers,
    require,
    smtp_server,
    use_broker,
    wait_idle,
    wait_until,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REDIS_DB = 15
DAY = datetime.timedelta(days=1)
# Generous enough for a loaded CI machine; a passing run takes a fraction of these.
SOON = 20
# Celery retries a lost broker after 2 s, then longer each time; the worker must come back alone.
RECONNECT = 40


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory):
    """A redis-server for this module only, so stopping it never disturbs other test runs."""
    redis_url = os.environ.get("REDIS_URL", "")
    require(bool(redis_url), "REDIS_URL is not set: the real-worker tests need Redis")
    require(redis_answers(redis_url), f"Redis at REDIS_URL={redis_url} does not answer")
    require(bool(shutil.which("redis-server")), "redis-server is not installed")
    require(
        connection.vendor == "postgresql",
        "the worker shares the test database, which needs PostgreSQL (set DATABASE_URL)",
    )
    server = RedisServer(tmp_path_factory.mktemp("redis") / "redis.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(private_redis):
    """Database 15 of the private Redis and a queue for this test alone, used by this process
    too; whatever a test leaves behind is flushed and can never reach another test."""
    queue = f"reliability-{uuid.uuid4().hex[:10]}"
    url = private_redis.url(REDIS_DB)
    private_redis.client(REDIS_DB).flushdb()
    with use_broker(app, url=url, queue=queue):
        yield SimpleNamespace(url=url, queue=queue, client=private_redis.client(REDIS_DB))
    if not redis_answers(url):  # a test that stopped Redis failed before restarting it
        private_redis.start()
    private_redis.client(REDIS_DB).flushdb()


@pytest.fixture
def smtp():
    with smtp_server() as (sink, port):
        sink.port = port
        yield sink


@pytest.fixture
def workers(transactional_db, broker, smtp, tmp_path):
    """workers.start() -> a ready Worker; all are stopped before the test database is flushed."""
    application_name = f"celery-{broker.queue}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(connection.settings_dict, application_name),
        "REDIS_URL": broker.url,
        "CELERY_TASK_DEFAULT_QUEUE": broker.queue,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": "false",
        "CELERY_SKIP_CHECKS": "1",  # `manage.py check` runs in the test command already
        "PYTHONUNBUFFERED": "1",
    }
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(env, tmp_path / f"worker-{len(started) + 1}.log", broker.queue)
        started.append(worker)
        return worker.start()

    yield SimpleNamespace(start=start, started=started, application_name=application_name)
    smtp.release()  # a held SMTP transaction would keep a warm shutdown waiting
    for worker in started:
        worker.stop()


# --- Helpers ----------------------------------------------------------------------------------


def with_email(*users) -> list[str]:
    for user in users:
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])
    return sorted(user.email for user in users)


def states(**filters) -> list[str]:
    return list(
        Notification.objects.filter(**filters).order_by("pk").values_list("email_state", flat=True)
    )


def wait_sent(count: int, *, timeout: float = SOON, workers=None, **filters) -> None:
    def detail():
        rows = Notification.objects.filter(**filters).values_list(
            "pk", "email_state", "email_attempts", "email_error"
        )
        text = f"rows: {list(rows)}"
        if workers and workers.started:
            text += "\n" + workers.started[-1].log_tail()
        return text

    wait_until(
        lambda: states(**filters) == [DeliveryState.SENT] * count,
        timeout=timeout,
        what=f"{count} notification(s) to be sent",
        detail=detail,
    )


def note(recipients, key: str, kind=SupervisionNotice.TICKET_ASSIGNED):
    return notify(
        kind=kind,
        recipients=recipients,
        object_key=key,
        subject="测试通知",
        body="这是一条测试通知。",
        link="/tickets/",
    )


def terminate_backends(application_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = %s AND pid <> pg_backend_pid()",
            [application_name],
        )
        return len(cursor.fetchall())


# --- Tests ------------------------------------------------------------------------------------


def test_reminder_job_run_twice_sends_once(world, workers, broker, smtp):
    """The reminder job runs three times (twice through the worker, once here); each cadre
    without a report gets one e-mail, not three."""
    expected = with_email(world.cadre_a, world.cadre_b)
    today = timezone.localtime().date()
    Assignment.objects.filter(programme=world.programme).update(start_date=today - 30 * DAY)
    # A period due the day after tomorrow at noon in Shanghai: "due soon" for both cadres.
    due_day = today + 2 * DAY
    ReportPeriod.objects.create(
        programme=world.programme,
        number=1,
        start=today - 16 * DAY,
        end=today - DAY,
        due_at=datetime.datetime.combine(due_day, datetime.time(12), tzinfo=SHANGHAI),
        part="first",
    )
    workers.start()

    run_job_task.delay("stationing-report-reminders")
    run_job_task.delay("stationing-report-reminders")
    wait_sent(2, workers=workers, kind=StationingNotice.REPORT_DUE_SOON)
    assert run_job("stationing-report-reminders") == "0 report notifications"
    wait_idle(broker.client, broker.queue, timeout=SOON)

    assert smtp.recipients() == expected
    assert all("半月报将于" in str(message["Subject"]) for message in smtp.messages)
    assert Notification.objects.filter(email_attempts=1).count() == 2
    assert JobRun.objects.get(name="stationing-report-reminders").last_finished_at is not None


def test_worker_killed_while_sending_delivers_each_message_once(world, workers, broker, smtp):
    """SIGKILL while the worker is inside an SMTP transaction: nothing is lost (the rows wait in
    PostgreSQL) and, after a new worker, the broker's redelivery and the scan, nothing is sent
    twice."""
    expected = with_email(world.office, world.cadre_a, world.cadre_b)
    smtp.hold()  # the first SMTP client is stalled before its RCPT TO is answered
    first = workers.start()
    created = note([world.office, world.cadre_a, world.cadre_b], "test:kill")
    assert len(created) == 3

    wait_until(smtp.held.is_set, timeout=SOON, what="the worker to open an SMTP transaction")
    claimed = Notification.objects.get(email_state=DeliveryState.SENDING)
    first.kill()
    smtp.release()
    assert smtp.count() == 0
    # acks_late: the killed worker's message is still unacknowledged in Redis, not lost.
    assert broker.client.zcard("unacked_index") == 1
    # What the Redis transport does once its visibility timeout has passed: redeliver it.
    assert redeliver_unacked(broker.url) == 1
    # A lost host whose worker never comes back: another worker name than the next one's (a
    # worker restarted under the same name takes its rows back at once, test_restart_recovery).
    Notification.objects.filter(pk=claimed.pk).update(email_claimed_by="lost@elsewhere:1")

    workers.start()
    # The two messages still queued are sent; the redelivered one finds its row claimed by the
    # dead worker (lease not yet expired) and leaves it alone.
    wait_sent(2, workers=workers, pk__in=[n.pk for n in created if n.pk != claimed.pk])
    wait_idle(broker.client, broker.queue, timeout=SOON)
    assert states(pk=claimed.pk) == [DeliveryState.SENDING]
    assert smtp.count() == 2

    # Five minutes later (LEASE, moved back here instead of waiting) the scan hands it over.
    Notification.objects.filter(pk=claimed.pk).update(
        email_claimed_at=F("email_claimed_at") - LEASE - datetime.timedelta(seconds=1)
    )
    run_job_task.delay("notifications-delivery-scan")
    wait_sent(3, workers=workers, object_key="test:kill")
    wait_idle(broker.client, broker.queue, timeout=SOON)
    assert smtp.recipients() == expected

    # Duplicated messages and another scan change nothing.
    for notification in created:
        send_notification_task.delay(notification.pk)
    run_job_task.delay("notifications-delivery-scan")
    wait_idle(broker.client, broker.queue, timeout=SOON)
    assert smtp.recipients() == expected
    attempts = dict(Notification.objects.values_list("pk", "email_attempts"))
    assert attempts.pop(claimed.pk) == 2
    assert set(attempts.values()) == {1}


def test_rolled_back_enqueue_sends_nothing(world, workers, broker, smtp):
    """A notification written in a transaction that rolls back leaves no row, no message in
    Redis and no e-mail; a committed one sent afterwards proves the worker was listening."""
    with_email(world.cadre_a, world.cadre_b)
    workers.start()

    with pytest.raises(RuntimeError), transaction.atomic():
        assert len(note([world.cadre_a], "test:rolled-back")) == 1
        raise RuntimeError("the request failed after notify()")
    assert not Notification.objects.exists()
    assert broker.client.llen(broker.queue) == 0

    note([world.cadre_b], "test:committed")
    wait_sent(1, workers=workers, object_key="test:committed")
    wait_idle(broker.client, broker.queue, timeout=SOON)
    assert smtp.recipients() == [world.cadre_b.email]
    assert not Notification.objects.filter(object_key="test:rolled-back").exists()


def test_redis_down_during_report_return(
    world, workers, broker, smtp, private_redis, client_for, settings
):
    """Redis is stopped while the office returns a cadre's report through the page: the page
    answers, the report and the cadre's notification row are saved; once Redis is back (empty:
    it keeps nothing on disk) the scan, run by the worker that reconnected on its own, sends the
    e-mail once. (A cadre's own submission notifies nobody; the return is told to the cadre.)"""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": broker.url,
        }
    }
    with_email(world.cadre_a)
    programme_sync_periods(programme=world.programme)
    period = ReportPeriod.objects.get(programme=world.programme, number=1)
    report = report_get_or_create_draft(assignment=world.assignment_a, period=period, by=None)
    workers.start()
    client = client_for(world.cadre_a)
    response = client.post(
        reverse("report-edit", args=[report.pk]),
        {"version": report.version, "work_done": "走访车间", "days_on_site": 6, "action": "submit"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client = client_for(world.office)

    private_redis.stop()
    try:
        assert not redis_answers(broker.url)
        started = time.monotonic()
        response = client.post(
            reverse("report-return", args=[report.pk]), {"reason": "工作情况过于简单"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        # Publishing gives up after Celery's few quick retries instead of hanging the request.
        assert time.monotonic() - started < 10
        assert ProgressReport.objects.get(pk=report.pk).state == ReportState.RETURNED
        assert states(kind=StationingNotice.REPORT_RETURNED) == [DeliveryState.PENDING]
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("report-detail", args=[report.pk])).status_code == 200
    finally:
        private_redis.start()

    run_job_task.delay("notifications-delivery-scan")
    wait_sent(1, timeout=RECONNECT, workers=workers, kind=StationingNotice.REPORT_RETURNED)
    wait_idle(broker.client, broker.queue, timeout=SOON)
    assert smtp.recipients() == [world.cadre_a.email]
    assert "半月报被退回" in str(smtp.messages[0]["Subject"])


def test_worker_recovers_when_postgresql_drops_its_connections(world, workers, broker, smtp):
    """PostgreSQL terminates the worker's connections (as a restart does), first while it idles,
    then while it is sending: the same worker process goes on, and the e-mail it was sending is
    recorded as sent rather than sent again by the scan."""
    expected = with_email(world.office, world.cadre_a, world.cadre_b)
    worker = workers.start()
    pid = worker.process.pid
    note([world.cadre_a], "test:pg:1")
    wait_sent(1, workers=workers, object_key="test:pg:1")
    wait_idle(broker.client, broker.queue, timeout=SOON)

    # 1. While idle. (Celery's Django fix-up closes the connection after each task, so there is
    # usually nothing to terminate; the point is that the next task does not care.)
    terminate_backends(workers.application_name)
    note([world.cadre_b], "test:pg:2")
    wait_sent(1, workers=workers, object_key="test:pg:2")

    # 2. In the middle of a task: the row is claimed, the SMTP transaction open.
    smtp.hold()
    note([world.office], "test:pg:3")
    wait_until(smtp.held.is_set, timeout=SOON, what="the worker to open an SMTP transaction")
    assert terminate_backends(workers.application_name) == 1
    smtp.release()
    wait_sent(1, workers=workers, object_key="test:pg:3")
    wait_idle(broker.client, broker.queue, timeout=SOON)

    assert worker.process.poll() is None and worker.process.pid == pid
    assert smtp.recipients() == expected
