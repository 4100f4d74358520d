"""Two simultaneous submits of one report: one submission, one version, no 500 — on PostgreSQL
(real transactions, two threads) and on SQLite (the same in a subprocess on a file database:
two page submits failed with "database is locked" and a page and an API submit raced to a
409 until the settings made SQLite transactions IMMEDIATE)."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from stationing.choices import ReportState

from .double_submit import MOMENT, scenario, submit_twice

ROOT = Path(__file__).resolve().parents[2]
RUN = "import django; django.setup(); from tests.stationing.double_submit import main; main()"


def assert_one_submission(outcome: dict) -> None:
    # The page redirects (or shows the form again), the API answers 200: never an error.
    assert all(status in (200, 302) for status in outcome["statuses"]), outcome
    assert len(outcome["statuses"]) == 2, outcome
    assert outcome["state"] == ReportState.SUBMITTED
    assert outcome["submission_count"] == 1 and outcome["versions"] == 1
    assert outcome["reports"] == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["page", "api"])
def test_double_submit_on_postgresql(second):
    with time_machine.travel(MOMENT, tick=True):
        cadre, report = scenario()
        assert_one_submission(submit_twice(cadre, report, second))


def test_double_submit_on_sqlite(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_URL", "PYTEST_CURRENT_TEST")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'double_submit.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        DB_CONN_MAX_AGE="0",
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", RUN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome.pop("vendor") == "sqlite"
    assert set(outcome) == {"page", "api"}
    for pair in outcome.values():
        assert_one_submission(pair)


@pytest.mark.django_db(transaction=True)
def test_an_api_submit_between_the_forms_save_and_its_submit_waits(monkeypatch):
    """The interleaving that made CI red once: the form saves the draft (a new version), and the
    API's submit, carrying the version from before, arrives before the form's submit. The form
    holds the row lock from its save to its submit, so the API waits and finds it submitted."""
    from django.test import Client

    from stationing.services import reports as report_services

    saved = threading.Event()
    submit = report_services.report_submit

    def submit_after_a_pause(**kwargs):
        saved.set()
        time.sleep(1)  # time for the API's request to reach the report's row
        return submit(**kwargs)

    monkeypatch.setattr(report_services, "report_submit", submit_after_a_pause)
    with time_machine.travel(MOMENT, tick=True):
        cadre, report = scenario()
        statuses = {}

        def post(name, url, data, wait_for=None):
            client = Client(raise_request_exception=False)
            client.force_login(cadre)
            try:
                if wait_for is not None:
                    assert wait_for.wait(timeout=30)
                statuses[name] = client.post(url, data).status_code
            finally:
                connection.close()

        form = {
            "version": report.version,
            "work_done": report.work_done,
            "days_on_site": report.days_on_site,
            "action": "submit",
        }
        threads = [
            threading.Thread(
                target=post, args=("page", reverse("report-edit", args=[report.pk]), form)
            ),
            threading.Thread(
                target=post,
                args=("api", f"/api/v1/reports/{report.pk}/submit/", {"version": report.version}),
                kwargs={"wait_for": saved},
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        report.refresh_from_db()
    assert statuses == {"page": 302, "api": 200}
    assert report.state == ReportState.SUBMITTED and report.submission_count == 1
    assert report.versions.count() == 1
