"""Run every scheduled job that is due, once, without beat or a broker (e.g. under `make run`).

"Due" is what beat's runs use too (jobs.run_scheduled): the job's beat entry's crontab, and the
JobRun records the jobs write when they run; a job whose latest slot no run covers is due. With
--all every enabled job runs.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.jobs import run_job, run_scheduled, schedules
from notifications.schedules import sync_schedules


class Command(BaseCommand):
    help = "Run each scheduled job that is due now (or every job with --all), once."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Run every job, due or not.")

    def handle(self, *args, all=False, **options):
        sync_schedules()
        now = timezone.now()
        for name, schedule in schedules().items():
            if schedule is None:
                self.stdout.write(f"{name}: disabled")
                continue
            result = run_job(name, now=now) if all else run_scheduled(name, now, schedule)
            self.stdout.write(f"{name}: {'not due' if result is None else result}")
