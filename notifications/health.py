"""/healthz for a load balancer or a monitoring probe: no login, nothing about the data.

1. database: a `SELECT 1` on a connection opened within DB_CONNECT_TIMEOUT;
2. broker: a Redis PING within HEALTH_BROKER_TIMEOUT ("none" when tasks run in-process);
3. jobs: for each scheduled job, seconds since its last run finished and whether it is late:
   its first slot after the last run (or, never run, after its beat entry was written) passed
   more than HEALTH_JOB_LATE_SECONDS (a day) ago.

The answer is 503 when the database fails or a job is late, else 200. A broker that does not
answer shows as "fail" but keeps 200: requests still work and nothing is lost (the delivery scan
sends what waits once Redis is back), so a load balancer must not take the web hosts away.
"""

import contextlib
import datetime

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_celery_beat.models import PeriodicTask

from . import slots
from .jobs import JOBS, schedules
from .models import JobRun


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        with contextlib.suppress(DatabaseError):
            connection.close()  # the next request opens a new one
        return False


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return "none"
    timeout = settings.HEALTH_BROKER_TIMEOUT
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        return "ok" if client.ping() else "fail"
    except (redis.RedisError, OSError):
        return "fail"
    finally:
        client.close()


def check_jobs(now) -> dict[str, dict]:
    late_after = datetime.timedelta(seconds=settings.HEALTH_JOB_LATE_SECONDS)
    runs = {run.name: run for run in JobRun.objects.filter(name__in=list(JOBS))}
    written = dict(
        PeriodicTask.objects.filter(name__in=list(JOBS)).values_list("name", "date_changed")
    )
    result = {}
    for name, schedule in schedules().items():
        run = runs.get(name)
        finished = run.last_finished_at if run else None
        since = (run.last_started_at if run else None) or written.get(name)
        owed = slots.next_slot(schedule, since) if schedule is not None and since else None
        result[name] = {
            "last_run_seconds_ago": int((now - finished).total_seconds()) if finished else None,
            "late": bool(owed and owed < now - late_after),
        }
    return result


@never_cache
@require_GET
def healthz(request):
    now = timezone.now()
    database = check_database()
    body = {"database": "ok" if database else "fail", "broker": check_broker()}
    late = False
    if database:
        try:
            jobs = check_jobs(now)
        except DatabaseError:
            database, body["database"] = False, "fail"
        else:
            late = any(job["late"] for job in jobs.values())
            body["jobs"] = "fail" if late else "ok"
            body["job_runs"] = jobs
    healthy = database and not late
    body = {"status": "ok" if healthy else "fail", **body}
    return JsonResponse(body, status=200 if healthy else 503)
