"""A worker killed mid-send and restarted under the same name sends the e-mail it had in flight
at once, not after the 5-minute lease (issue 15): real processes on loopback (a redis-server,
`celery worker`, an aiosmtpd sink, the pytest PostgreSQL database), with the fixtures of
tests/supervision/test_celery_reliability.py."""

import subprocess
import sys
import time

import pytest

from notifications.choices import DeliveryState
from notifications.delivery import release_own_claims
from notifications.models import Notification
from notifications.tasks import run_job_task, send_notification_task
from tests.supervision.celery_helpers import redeliver_unacked, wait_idle, wait_until
from tests.supervision.test_celery_reliability import SOON, note, states, wait_sent, with_email

pytestmark = [pytest.mark.django_db(transaction=True)]

# The promise: a killed worker's e-mails go out within a minute of the restart.
RECOVERY = 60


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603 - fixed arguments
    process.wait(timeout=10)
    return process.pid


def sending(world, key: str, claimed_by: str) -> Notification:
    with_email(world.office)
    (row,) = note([world.office], key)
    Notification.objects.filter(pk=row.pk).update(
        email_state=DeliveryState.SENDING, email_claimed_by=claimed_by, email_attempts=1
    )
    return row


def test_release_takes_back_only_a_dead_process_of_the_same_name(world):
    import os

    dead = sending(world, "test:dead", f"w1@host:{dead_pid()}")
    alive = sending(world, "test:alive", f"w1@host:{os.getpid()}")
    other = sending(world, "test:other", f"w1@host2:{dead_pid()}")
    nobody = sending(world, "test:nobody", "")

    assert release_own_claims("w1@host") == ([dead.pk], [])
    assert release_own_claims("w1@host") == ([], [])  # nothing twice
    assert release_own_claims("") == ([], [])
    assert states(pk=dead.pk) == [DeliveryState.PENDING]
    for row in (alive, other, nobody):
        assert states(pk=row.pk) == [DeliveryState.SENDING]


@pytest.mark.celery_worker
def test_restarted_worker_sends_its_killed_predecessors_email_at_once(world, workers, broker, smtp):
    """SIGKILL inside the SMTP transaction, restart under the same name: the e-mail arrives
    within RECOVERY (in practice the worker's start-up time) and exactly once, although the
    lease has not expired and the broker has not redelivered the killed worker's message."""
    expected = with_email(world.office)
    smtp.hold()
    first = workers.start()
    (created,) = note([world.office], "test:restart")
    wait_until(smtp.held.is_set, timeout=SOON, what="the worker to open an SMTP transaction")
    row = Notification.objects.get(pk=created.pk)
    assert row.email_state == DeliveryState.SENDING
    assert row.email_claimed_by == f"{broker.queue}@{row.email_claimed_by.split('@', 1)[1]}"
    assert row.email_claimed_by.endswith(f":{first.process.pid}")
    first.kill()
    smtp.release()
    assert smtp.count() == 0

    restarted = time.monotonic()
    workers.start()  # the same name: "<queue>@<this host>"
    wait_sent(1, timeout=RECOVERY, workers=workers, pk=created.pk)
    recovery = time.monotonic() - restarted
    print(f"recovered in {recovery:.1f} s after the restart")  # noqa: T201 - the measurement
    assert recovery < RECOVERY
    assert "took back 1 e-mail(s)" in workers.started[-1].log()

    # The killed worker's message, redelivered once the visibility timeout passes, a duplicate
    # and the scan change nothing.
    assert redeliver_unacked(broker.url) == 1
    send_notification_task.delay(created.pk)
    run_job_task.delay("notifications-delivery-scan")
    wait_idle(broker.client, broker.queue, timeout=SOON)
    assert smtp.recipients() == expected
    assert Notification.objects.get(pk=created.pk).email_attempts == 2
