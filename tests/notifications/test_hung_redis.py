"""A Redis that hangs (SIGSTOP: the port accepts, nothing answers) never holds a web request
longer than REDIS_TIMEOUT (issue 15). Real processes on loopback: a redis-server this module
starts, a Celery worker, an aiosmtpd sink and the pytest PostgreSQL database, with the fixtures
of the real-worker tests (tests/supervision/test_celery_reliability.py)."""

import os
import signal
import time

import pytest
from django.urls import reverse

from notifications.choices import DeliveryState
from notifications.models import Notification
from notifications.tasks import run_job_task
from stationing.choices import ReportState, StationingNotice
from stationing.models import ProgressReport, ReportPeriod
from stationing.services import programme_sync_periods, report_get_or_create_draft
from tests.supervision.celery_helpers import redis_answers, wait_idle
from tests.supervision.test_celery_reliability import SOON, states, wait_sent, with_email

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

# What a request may take beyond REDIS_TIMEOUT on a loaded two-core CI machine.
MARGIN = 2.0


def test_hung_redis_does_not_hold_a_report_submit(
    world, workers, broker, smtp, private_redis, client_for, settings
):
    """Redis is paused while a cadre submits a report and the office returns it through the
    pages: each response comes within REDIS_TIMEOUT (the return's e-mail could not be queued;
    its row waits as pending), the next notification does not try the broker again at all, and
    after Redis resumes the scan sends the e-mail exactly once."""
    with_email(world.cadre_a)
    programme_sync_periods(programme=world.programme)
    period = ReportPeriod.objects.get(programme=world.programme, number=1)
    report = report_get_or_create_draft(assignment=world.assignment_a, period=period, by=None)
    bound = settings.REDIS_TIMEOUT + MARGIN
    # The cache lives on the same Redis, as in a deployment with one REDIS_URL.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": broker.url,
            "OPTIONS": {
                "socket_timeout": settings.REDIS_TIMEOUT,
                "socket_connect_timeout": settings.REDIS_TIMEOUT,
            },
        }
    }
    pid = private_redis.process.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        cadre = client_for(world.cadre_a)
        started = time.monotonic()
        response = cadre.post(
            reverse("report-edit", args=[report.pk]),
            {
                "version": report.version,
                "work_done": "走访车间",
                "days_on_site": 6,
                "action": "submit",
            },
        )
        submit_took = time.monotonic() - started
        assert response.status_code == 302, response.content.decode()[:2000]
        assert submit_took < bound

        office = client_for(world.office)
        started = time.monotonic()
        response = office.post(
            reverse("report-return", args=[report.pk]), {"reason": "工作情况过于简单"}
        )
        return_took = time.monotonic() - started
        assert response.status_code == 302, response.content.decode()[:2000]
        assert return_took < bound
        assert ProgressReport.objects.get(pk=report.pk).state == ReportState.RETURNED
        assert states(kind=StationingNotice.REPORT_RETURNED) == [DeliveryState.PENDING]

        # The broker is known to be away: a page with another notification waits for nothing.
        started = time.monotonic()
        assert office.get(reverse("home")).status_code == 200
        assert time.monotonic() - started < MARGIN
    finally:
        os.kill(pid, signal.SIGCONT)
    assert redis_answers(broker.url)

    workers.start()
    run_job_task.delay("notifications-delivery-scan")
    wait_sent(1, workers=workers, kind=StationingNotice.REPORT_RETURNED)
    run_job_task.delay("notifications-delivery-scan")
    wait_idle(broker.client, broker.queue, timeout=SOON)
    assert smtp.recipients() == [world.cadre_a.email]
    assert Notification.objects.get(kind=StationingNotice.REPORT_RETURNED).email_attempts == 1
    print(f"submit {submit_took:.2f} s, return {return_took:.2f} s")  # noqa: T201 - shown with -s
