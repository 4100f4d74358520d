"""Scheduled work that catches up (issue 15): a job records its own runs, runs once for a slot it
missed, never twice for one slot, and schedule edits made in /admin/ survive `sync_schedules`."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from kombu.exceptions import OperationalError

from core.dates import SHANGHAI
from notifications.jobs import JOBS, SCAN, Job, default_schedule, run_job
from notifications.models import JobRun
from notifications.slots import next_slot, previous_slot
from notifications.tasks import run_job_task
from tests.supervision.celery_helpers import wait_idle, wait_until
from tests.supervision.test_celery_reliability import SOON

DAILY = "notifications-test-daily"


def sh(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_slots_of_weekly_and_quarter_hourly_schedules():
    monday = {"minute": "30", "hour": "8", "day_of_week": "1"}
    weekly = default_schedule(Job("w", print, monday, ""))
    # Wednesday 4 November 2026: the latest Monday 8:30 is the 2nd, the next the 9th.
    assert previous_slot(weekly, sh(2026, 11, 4, 12)) == sh(2026, 11, 2, 8, 30)
    assert previous_slot(weekly, sh(2026, 11, 2, 8, 30)) == sh(2026, 11, 2, 8, 30)
    assert next_slot(weekly, sh(2026, 11, 2, 8, 30)) == sh(2026, 11, 9, 8, 30)
    quarterly = default_schedule(Job("q", print, {"minute": "*/15"}, ""))
    assert previous_slot(quarterly, sh(2026, 11, 4, 0, 14, 59)) == sh(2026, 11, 4, 0, 0)
    assert previous_slot(quarterly, sh(2026, 11, 4, 0, 0)) == sh(2026, 11, 4, 0, 0)
    assert previous_slot(quarterly, sh(2026, 11, 3, 23, 59)) == sh(2026, 11, 3, 23, 45)
    assert next_slot(quarterly, sh(2026, 11, 3, 23, 50)) == sh(2026, 11, 4, 0, 0)


@pytest.fixture
def daily_job(db, monkeypatch):
    """A job at 8:30 every day that counts its runs (with the moment each run was given)."""
    runs = []

    def function(now):
        runs.append(now)
        return f"run {len(runs)}"

    monkeypatch.setitem(JOBS, DAILY, Job(DAILY, function, {"minute": "30", "hour": "8"}, "测试"))
    call_command("sync_schedules", stdout=io.StringIO())
    return runs


def at(moment, function, *args):
    with time_machine.travel(moment, tick=False):
        return function(*args)


def test_beat_stopped_over_two_slots_gives_one_catch_up_run(daily_job):
    """Beat runs the job on Monday, then stops until Wednesday 9:00: the scan's first run after
    that catches the job up once for both missed slots; more scans, beat's own late send and
    run_due_jobs run nothing more until Thursday's slot."""
    assert at(sh(2026, 11, 2, 8, 30), run_job_task, DAILY) == "run 1"
    assert at(sh(2026, 11, 2, 8, 31), run_job_task, DAILY) == "not due"
    # Tuesday and Wednesday 8:30 pass with no beat. Wednesday 9:00 the scan runs again.
    assert at(sh(2026, 11, 4, 9), run_job, SCAN).endswith(f"caught up: {DAILY}")
    assert daily_job[1:] == [sh(2026, 11, 4, 9)]
    assert DAILY not in at(sh(2026, 11, 4, 9, 1), run_job, SCAN)
    assert at(sh(2026, 11, 4, 9, 2), run_job_task, DAILY) == "not due"
    out = io.StringIO()
    with time_machine.travel(sh(2026, 11, 4, 9, 3), tick=False):
        call_command("run_due_jobs", stdout=out)
    assert f"{DAILY}: not due" in out.getvalue().splitlines()
    assert len(daily_job) == 2
    # Thursday: its slot, once.
    assert at(sh(2026, 11, 5, 8, 30), run_job_task, DAILY) == "run 3"
    assert DAILY not in at(sh(2026, 11, 5, 8, 33), run_job, SCAN)
    assert len(daily_job) == 3
    run = JobRun.objects.get(name=DAILY)
    assert run.last_started_at == sh(2026, 11, 5, 8, 30) and run.last_result == "run 3"


def test_a_run_that_never_finished_is_run_again_after_its_lease(daily_job):
    """A run whose worker died (started, never finished) covers its slot for JOB_LEASE, then
    the scan runs the job again."""
    at(sh(2026, 11, 2, 8, 30), run_job_task, DAILY)
    JobRun.objects.filter(name=DAILY).update(
        last_started_at=sh(2026, 11, 3, 8, 30), last_finished_at=sh(2026, 11, 2, 8, 30)
    )
    assert DAILY not in at(sh(2026, 11, 3, 8, 50), run_job, SCAN)
    assert at(sh(2026, 11, 3, 9, 1), run_job, SCAN).endswith(f"caught up: {DAILY}")
    assert len(daily_job) == 2


def test_a_disabled_entry_runs_neither_from_beat_nor_from_the_catch_up(daily_job):
    at(sh(2026, 11, 2, 8, 30), run_job_task, DAILY)
    PeriodicTask.objects.filter(name=DAILY).update(enabled=False)
    assert at(sh(2026, 11, 3, 8, 30), run_job_task, DAILY) == "not due"
    assert DAILY not in at(sh(2026, 11, 3, 9), run_job, SCAN)
    assert len(daily_job) == 1


def test_schedule_edits_in_admin_survive_sync_and_rule_the_runs(daily_job, admin_client):
    """The office moves the job to 9:45 and rewrites its description in /admin/: the sync keeps
    both (it only puts back the task and arguments), and the job's slots follow the edit."""
    entry = PeriodicTask.objects.get(name=DAILY)
    later = CrontabSchedule.objects.create(minute="45", hour="9", timezone="Asia/Shanghai")
    response = admin_client.post(
        f"/admin/django_celery_beat/periodictask/{entry.pk}/change/",
        {
            "name": DAILY,
            "regtask": "notifications.run_job",
            "task": "notifications.run_job",
            "enabled": "on",
            "description": "改到九点四十五",
            "crontab": later.pk,
            "args": json.dumps([DAILY]),
            "kwargs": "{}",
            "headers": "{}",
            "priority": "",
            "expire_seconds": "",
            "queue": "",
            "exchange": "",
            "routing_key": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    PeriodicTask.objects.filter(pk=entry.pk).update(args="[]")  # someone broke the arguments
    call_command("sync_schedules", stdout=io.StringIO())
    entry.refresh_from_db()
    assert (entry.crontab.hour, entry.crontab.minute) == ("9", "45")
    assert entry.description == "改到九点四十五"
    assert json.loads(entry.args) == [DAILY] and entry.task == "notifications.run_job"

    at(sh(2026, 11, 2, 9, 45), run_job_task, DAILY)
    assert at(sh(2026, 11, 3, 8, 31), run_job_task, DAILY) == "not due"
    assert at(sh(2026, 11, 3, 9, 45), run_job_task, DAILY) == "run 2"


# --- With Redis, a worker and a real publish ------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_redis_down_across_a_slot_runs_the_job_once_after_it_returns(
    world, workers, broker, private_redis
):
    """The report reminders are moved (as in /admin/) to three minutes ago and last ran the day
    before. Redis is down at the slot: beat's publish fails and nothing is recorded. Once Redis
    is back, the next scan (sent by beat a minute later) runs the job through the worker once;
    more scans and beat's late send leave it alone."""
    name = "stationing-report-reminders"
    call_command("sync_schedules", stdout=io.StringIO())
    slot = timezone.localtime(timezone.now(), SHANGHAI).replace(second=0, microsecond=0)
    slot -= datetime.timedelta(minutes=3)
    crontab = CrontabSchedule.objects.create(
        minute=str(slot.minute), hour=str(slot.hour), timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.filter(name=name).update(crontab=crontab)
    yesterday = slot - datetime.timedelta(days=1)
    JobRun.objects.create(name=name, last_started_at=yesterday, last_finished_at=yesterday)

    private_redis.stop()
    try:
        with pytest.raises(OperationalError):
            run_job_task.delay(name)  # what beat does at the slot
    finally:
        private_redis.start()
    assert JobRun.objects.get(name=name).last_started_at == yesterday

    worker = workers.start()
    run_job_task.delay(SCAN)
    run = wait_until(
        lambda: JobRun.objects.filter(
            # Finished after it started: the row keeps yesterday's finish while it runs.
            name=name,
            last_started_at__gt=slot,
            last_finished_at__gte=F("last_started_at"),
        ).first(),
        timeout=SOON,
        what="the caught-up run",
        detail=worker.log_tail,
    )
    assert run.last_result.endswith("report notifications")
    run_job_task.delay(SCAN)
    run_job_task.delay(name)
    wait_idle(broker.client, broker.queue, timeout=SOON)
    assert JobRun.objects.get(name=name).last_started_at == run.last_started_at
    # The job ran once in the worker (the second scan, in the same minute, is "not due" too).
    assert worker.log().count("report notifications'") == 1
