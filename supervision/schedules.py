"""Create or update the django-celery-beat entries for supervision.jobs.JOBS.

Called by a data migration and by `manage.py sync_schedules`; entries are named after the job
(`<app>-<what>`) and run `supervision.run_job` with the job's name, in Asia/Shanghai.
"""

import json

from django_celery_beat.models import CrontabSchedule, PeriodicTask

from .jobs import JOBS


def sync_schedules() -> list[str]:
    names = []
    for job in JOBS.values():
        fields = {
            "minute": "*",
            "hour": "*",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
            **job.crontab,
        }
        schedule, _created = CrontabSchedule.objects.get_or_create(
            timezone="Asia/Shanghai", **fields
        )
        PeriodicTask.objects.update_or_create(
            name=job.name,
            defaults={
                "task": "supervision.run_job",
                "crontab": schedule,
                "args": json.dumps([job.name]),
                "description": job.description,
                "enabled": True,
            },
        )
        names.append(job.name)
    return names
