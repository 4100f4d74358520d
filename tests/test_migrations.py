"""A first deploy: an empty PostgreSQL database migrated from zero, in a fresh process.

The test database pytest-django builds is migrated too, but inside this process and with the
test runner's settings; this runs `manage.py` as a deploy does, against a database that has
never seen the portal, then checks that no model change lacks a migration and that
`sync_schedules` writes the beat entries (migrations no longer do).
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db.migrations.loader import MigrationLoader

from notifications.jobs import JOBS
from notifications.schedules import OUR_TASKS, RUN_JOB_TASK

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = urlsplit(DATABASE_URL).scheme in ("postgres", "postgresql", "pgsql")
CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes", "on")

# Under CI=true it runs (and fails without PostgreSQL) rather than being skipped.
pytestmark = pytest.mark.skipif(
    not ON_POSTGRESQL and not CI, reason="needs PostgreSQL: set DATABASE_URL"
)


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url, "DB_CONN_MAX_AGE": "0"}
    return subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_database():
    """A new database on the same server, under a unique name; dropped afterwards."""
    if not ON_POSTGRESQL:
        pytest.fail(f"CI=true but DATABASE_URL is not PostgreSQL: {DATABASE_URL!r}")
    import psycopg
    from psycopg import sql

    parts = urlsplit(DATABASE_URL)
    name = f"migrate_from_zero_{uuid.uuid4().hex[:12]}"
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlunsplit(parts._replace(scheme="postgresql", path=f"/{name}"))
    try:
        yield url
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def rows(url: str, query: str, *params) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(query, params).fetchall()


def test_an_empty_database_migrates_from_zero(empty_database):
    url = empty_database

    migrate = manage("migrate", "--no-input", database_url=url)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    applied = set(rows(url, "SELECT app, name FROM django_migrations"))
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    assert on_disk - applied == set()
    # The beat entries are not the migrations' business any more.
    beat = "SELECT count(*) FROM django_celery_beat_periodictask WHERE task = ANY(%s)"
    assert rows(url, beat, list(OUR_TASKS)) == [(0,)]

    check = manage("makemigrations", "--check", "--dry-run", database_url=url)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No changes detected" in check.stdout

    sync = manage("sync_schedules", database_url=url)
    assert sync.returncode == 0, sync.stdout + sync.stderr
    assert sorted(sync.stdout.split()) == sorted(JOBS)
    entries = rows(
        url,
        "SELECT p.name, p.task, p.args, p.enabled, c.timezone"
        " FROM django_celery_beat_periodictask p"
        " JOIN django_celery_beat_crontabschedule c ON c.id = p.crontab_id",
    )
    assert sorted(entries) == sorted(
        (name, RUN_JOB_TASK, json.dumps([name]), True, "Asia/Shanghai") for name in JOBS
    )
