"""Scheduled jobs: the registry, the runner, and the engine's own delivery scan.

Each app registers its jobs in its own `jobs.py` (loaded by its AppConfig.ready()). A job takes
`now`, is safe to run twice (notifications are unique per kind, object, period and recipient),
and returns a short summary. Beat runs them through `run_job_task` from the entries that
`manage.py sync_schedules` writes; `manage.py run_due_jobs` runs the due ones without a broker.

Runs are recorded by the job itself (JobRun), never by whoever sent it, so a run beat "sent"
while Redis was down does not count. `run_scheduled`:

1. finds the job's latest slot (its beat entry's crontab, as edited in /admin/, or the code's
   default when no entry exists yet) at or before now;
2. claims the run with a conditional UPDATE of JobRun.last_started_at: only if no run started at
   or after that slot, or one did but never finished and is older than JOB_LEASE (its worker
   died); zero rows updated means the slot is covered and nothing runs;
3. runs the job and records when it finished.

The every-minute delivery scan also queues every job that has run before and owes a slot more
than CATCH_UP_GRACE old (Redis down across it, beat stopped, the machine off over a weekend): one
run covers however
many slots were missed, and the claim keeps beat's own late send from running it twice.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone, translation
from django_celery_beat.models import CrontabSchedule, PeriodicTask

# Module imports: tasks and delivery import each other and this module.
from . import delivery, slots, tasks
from .models import JobRun

SCAN = "notifications-delivery-scan"
# A run that started this long ago and never finished was lost (worker killed, host down).
JOB_LEASE = datetime.timedelta(minutes=30)
# The scan leaves a slot this long to beat's own send before catching it up.
CATCH_UP_GRACE = datetime.timedelta(minutes=2)


@dataclass(frozen=True)
class Job:
    name: str  # "<app>-<what>", also the beat entry's name
    function: Callable
    crontab: dict  # django-celery-beat CrontabSchedule fields, Asia/Shanghai
    description: str


JOBS: dict[str, Job] = {}


def register_job(job: Job) -> Job:
    JOBS[job.name] = job
    return job


def _execute(job: Job, now) -> str:
    with translation.override("zh-hans"):
        result = job.function(now)
    JobRun.objects.filter(name=job.name).update(last_finished_at=timezone.now(), last_result=result)
    return result


def run_job(name: str, now=None) -> str:
    """Run one job now, whatever its schedule, recording when it ran. Unknown names raise
    KeyError."""
    job = JOBS[name]
    now = now or timezone.now()
    JobRun.objects.update_or_create(name=name, defaults={"last_started_at": now})
    return _execute(job, now)


def default_schedule(job: Job):
    fields = {
        "minute": "*",
        "hour": "*",
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        **job.crontab,
    }
    return CrontabSchedule(timezone="Asia/Shanghai", **fields).schedule


def schedules() -> dict[str, object | None]:
    """Each job's Celery crontab: its beat entry's (None when the entry is disabled or not a
    crontab), or the code's default when there is no entry. One query."""
    entries = {
        task.name: task
        for task in PeriodicTask.objects.filter(name__in=list(JOBS)).select_related("crontab")
    }
    result = {}
    for name, job in JOBS.items():
        entry = entries.get(name)
        if entry is None:
            result[name] = default_schedule(job)
        elif entry.enabled and entry.crontab is not None:
            result[name] = entry.crontab.schedule
        else:
            result[name] = None
    return result


def _not_covered(slot, now) -> Q:
    """JobRun rows on which no run covers `slot`: none started since, or the one that did has
    not finished and is older than JOB_LEASE."""
    unfinished = Q(last_finished_at__isnull=True) | Q(last_finished_at__lt=F("last_started_at"))
    return (
        Q(last_started_at__isnull=True)
        | Q(last_started_at__lt=slot)
        | (unfinished & Q(last_started_at__lt=now - JOB_LEASE))
    )


def run_scheduled(name: str, now=None, schedule=...) -> str | None:
    """Run a job once for its latest slot; None when that slot is already covered (or the
    entry is disabled). What beat's messages, run_due_jobs and the scan's catch-up call."""
    job = JOBS[name]
    now = now or timezone.now()
    if schedule is ...:
        schedule = schedules()[name]
    slot = slots.previous_slot(schedule, now) if schedule is not None else None
    if slot is None:
        return None
    JobRun.objects.get_or_create(name=name)
    if not JobRun.objects.filter(_not_covered(slot, now), name=name).update(last_started_at=now):
        return None
    return _execute(job, now)


def overdue_jobs(now) -> list[str]:
    """Jobs that have run before and owe a slot that came since their last run."""
    owed = []
    runs = {run.name: run for run in JobRun.objects.filter(name__in=list(JOBS))}
    for name, schedule in schedules().items():
        run = runs.get(name)
        if name == SCAN or schedule is None or run is None or run.last_started_at is None:
            continue  # never ran: beat runs it at its first slot; nothing to catch up
        slot = slots.previous_slot(schedule, now)
        if slot is None or slot > now - CATCH_UP_GRACE:
            continue
        finished = run.last_finished_at is not None and run.last_finished_at >= run.last_started_at
        if run.last_started_at < slot or (not finished and run.last_started_at < now - JOB_LEASE):
            owed.append(name)
    return owed


def delivery_scan(now) -> str:
    """Re-enqueue e-mails and webhooks whose broker message was lost or whose retry is due, and
    jobs that missed a slot."""
    emails, hooks = delivery.due_deliveries(now)
    for pk in emails:
        delivery.enqueue(tasks.send_notification_task, pk)
    for pk in hooks:
        delivery.enqueue(tasks.send_webhook_task, pk)
    owed = overdue_jobs(now)
    for name in owed:
        delivery.enqueue(tasks.run_job_task, name)
    summary = f"{len(emails)} e-mails, {len(hooks)} webhooks enqueued"
    return f"{summary}; caught up: {', '.join(owed)}" if owed else summary


register_job(
    Job(
        SCAN,
        delivery_scan,
        {"minute": "*"},
        "每分钟：补发因消息丢失或等待重试的邮件和机器人推送，补跑错过时间的定时任务",
    )
)
