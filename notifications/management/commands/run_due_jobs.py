"""Run every scheduled job that is due, once, without beat or a broker (e.g. under `make run`).

"Due" is decided by the same django-celery-beat entries beat uses; with --all every job runs.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.jobs import JOBS, run_job
from notifications.schedules import sync_schedules


class Command(BaseCommand):
    help = "Run each scheduled job that is due now (or every job with --all), once."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Run every job, due or not.")

    def handle(self, *args, all=False, **options):
        sync_schedules()
        now = timezone.now()
        for task in PeriodicTask.objects.filter(name__in=list(JOBS), enabled=True):
            due = True
            if not all and task.last_run_at is not None:
                due, _next = task.schedule.is_due(task.last_run_at)
            if not due:
                self.stdout.write(f"{task.name}: not due")
                continue
            result = run_job(task.name, now=now)
            PeriodicTask.objects.filter(pk=task.pk).update(last_run_at=now)
            self.stdout.write(f"{task.name}: {result}")
