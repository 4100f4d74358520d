"""/healthz (issue 15): no login, no data; 503 with the database unreachable (a real refused
connection, not a mock) or a job more than a day late, 200 again once they are fine."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from core.dates import SHANGHAI
from notifications.jobs import JOBS
from notifications.models import JobRun
from tests.supervision.celery_helpers import free_port

DIGEST = "supervision-office-digest"


def sh(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_healthz_answers_without_login_and_tells_no_data(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["broker"] in ("ok", "none")
    assert set(body["job_runs"]) == set(JOBS)
    assert set(body) == {"status", "database", "broker", "jobs", "job_runs"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db(transaction=True)
def test_healthz_is_red_while_postgresql_is_unreachable_and_green_after(client):
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())  # nothing listens there
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "fail"
        assert response.json()["database"] == "fail"
        assert "job_runs" not in response.json()
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_is_red_when_a_daily_job_is_more_than_a_day_late(client, db):
    call_command("sync_schedules", stdout=io.StringIO())
    for name in JOBS:
        JobRun.objects.create(
            name=name, last_started_at=sh(2026, 11, 2, 8, 30), last_finished_at=sh(2026, 11, 2, 9)
        )

    def health(moment):
        with time_machine.travel(moment, tick=False):
            return client.get("/healthz")

    # Tuesday 8:30 is owed (the digest's next slot), but not yet by more than a day.
    response = health(sh(2026, 11, 3, 12))
    assert response.status_code == 503  # the every-minute scan has not run for a day
    JobRun.objects.exclude(name=DIGEST).update(last_started_at=sh(2026, 11, 3, 12))
    response = health(sh(2026, 11, 3, 12))
    assert response.status_code == 200, response.json()
    digest = response.json()["job_runs"][DIGEST]
    assert digest == {"last_run_seconds_ago": 27 * 3600, "late": False}
    # Wednesday 8:31: Tuesday's 8:30 digest is more than a day late.
    JobRun.objects.exclude(name=DIGEST).update(last_started_at=sh(2026, 11, 4, 8, 31))
    response = health(sh(2026, 11, 4, 8, 31))
    assert response.status_code == 503
    assert response.json()["jobs"] == "fail" and response.json()["job_runs"][DIGEST]["late"]
    # It runs (the scan's catch-up): green.
    JobRun.objects.filter(name=DIGEST).update(last_started_at=sh(2026, 11, 4, 8, 31))
    assert health(sh(2026, 11, 4, 8, 32)).status_code == 200
