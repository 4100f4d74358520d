"""Scheduled jobs: the registry, the runner, and the engine's own delivery scan.

Each app registers its jobs in its own `jobs.py` (loaded by its AppConfig.ready()). A job takes
`now`, is safe to run twice (notifications are unique per kind, object, period and recipient),
and returns a short summary. Beat runs them through `run_job_task` from the entries that
`manage.py sync_schedules` writes; `manage.py run_due_jobs` runs the due ones without a broker.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone, translation

# Module imports: tasks and delivery import each other and this module.
from . import delivery, tasks
from .models import JobRun


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


def run_job(name: str, now=None) -> str:
    """Run one job now, recording when it ran. Unknown names raise KeyError."""
    job = JOBS[name]
    now = now or timezone.now()
    JobRun.objects.update_or_create(name=name, defaults={"last_started_at": now})
    with translation.override("zh-hans"):
        result = job.function(now)
    JobRun.objects.filter(name=name).update(last_finished_at=timezone.now(), last_result=result)
    return result


def delivery_scan(now) -> str:
    """Re-enqueue e-mails and webhooks whose broker message was lost or whose retry is due."""
    emails, hooks = delivery.due_deliveries(now)
    for pk in emails:
        delivery.enqueue(tasks.send_notification_task, pk)
    for pk in hooks:
        delivery.enqueue(tasks.send_webhook_task, pk)
    return f"{len(emails)} e-mails, {len(hooks)} webhooks enqueued"


register_job(
    Job(
        "notifications-delivery-scan",
        delivery_scan,
        {"minute": "*"},
        "每分钟：补发因消息丢失或等待重试的邮件和机器人推送",
    )
)
