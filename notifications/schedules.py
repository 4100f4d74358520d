"""Create the django-celery-beat entries for the registered jobs (jobs.JOBS).

Run at deploy by `manage.py sync_schedules` (and by `run_due_jobs`); entries are named after the
job (`<app>-<what>`) and run `notifications.run_job` with the job's name, in Asia/Shanghai.

An entry that exists is the office's to edit in /admin/ (its time, enabled, description): the
sync only adds missing entries and puts back the task and arguments that make an entry run its
job. A new default time in the code reaches an existing entry only by deleting the entry in
/admin/ and syncing again. Entries of ours whose job no longer exists are deleted, so a renamed
job does not run twice.
"""

import json

from django_celery_beat.models import CrontabSchedule, PeriodicTask

from .jobs import JOBS

RUN_JOB_TASK = "notifications.run_job"
# Task names our entries have used; entries with these and an unknown job name are removed.
OUR_TASKS = (RUN_JOB_TASK, "supervision.run_job")


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
        args = json.dumps([job.name])
        entry, created = PeriodicTask.objects.get_or_create(
            name=job.name,
            defaults={
                "task": RUN_JOB_TASK,
                "crontab": schedule,
                "args": args,
                "description": job.description,
                "enabled": True,
            },
        )
        if not created and (entry.task, entry.args) != (RUN_JOB_TASK, args):
            entry.task, entry.args = RUN_JOB_TASK, args
            entry.save(update_fields=["task", "args"])
        names.append(job.name)
    PeriodicTask.objects.filter(task__in=OUR_TASKS).exclude(name__in=names).delete()
    return names
