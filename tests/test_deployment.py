"""The README's deployment, done for real (issue 15): a copy of the checkout, `deploy/release.sh`
(the README's release steps: a fresh virtualenv, `pip install` of the portal with its
dependencies, `check --deploy`, migrate, sync_schedules, collectstatic, compilemessages,
`createsuperuser --noinput`) with DEBUG off against a throwaway PostgreSQL database, then
gunicorn with 2 workers on a free loopback port, which must answer 200 on /healthz and on the
sign-in page (sent as behind the TLS proxy, `X-Forwarded-Proto: https`).

Needs PostgreSQL (DATABASE_URL); skipped without it, except under CI=true, where that is a
failure. About a minute here with a warm pip cache (63 s measured; not broken down by step);
everything it starts is stopped and dropped.
"""

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.urls import reverse

from tests.supervision.celery_helpers import free_port, require, wait_until

pytestmark = pytest.mark.deployment

ROOT = Path(__file__).resolve().parents[1]
# Not part of a deployment: the developer's environment, local data, caches and artefacts.
SKIP = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", "*.pyc", "db.sqlite3", "var", "test-artifacts", "media",
    ".pytest_cache", ".ruff_cache", "*.egg-info", "build", "node_modules",
)  # fmt: skip
RELEASE_TIMEOUT = 300  # pip from its cache takes ~15 s; a cold cache on CI more
START_TIMEOUT = 30


def admin_connection(settings_dict: dict) -> psycopg.Connection:
    return psycopg.connect(
        host=settings_dict.get("HOST") or "127.0.0.1",
        port=settings_dict.get("PORT") or "5432",
        user=settings_dict.get("USER") or "postgres",
        password=settings_dict.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


@pytest.fixture
def throwaway_database():
    database = settings.DATABASES["default"]
    require(
        database["ENGINE"].endswith("postgresql"),
        "the deployment test needs PostgreSQL (set DATABASE_URL)",
    )
    name = f"deploy_{uuid.uuid4().hex[:10]}"
    with admin_connection(database) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or "5432"
    yield f"postgres://{user}{password}@{host}:{port}/{name}"
    with admin_connection(database) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def get(url: str, **headers) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback http
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except (urllib.error.URLError, OSError):
        return 0, ""


def test_readme_release_then_gunicorn_answers(tmp_path, throwaway_database):
    app = tmp_path / "app"
    shutil.copytree(ROOT, app, ignore=SKIP)
    env = {
        key: value
        for key, value in os.environ.items()
        # the test run's own settings must not leak into the deployment
        if not key.startswith(("DJANGO_", "PYTEST", "VIRTUAL_ENV", "CELERY_"))
        and key not in ("DATABASE_URL", "DEBUG", "CI")
    }
    env.update(
        PYTHON=sys.executable,
        DEBUG="false",
        SECRET_KEY="deployment-test-" + uuid.uuid4().hex + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
        SITE_URL="https://127.0.0.1",
        BEHIND_TLS_PROXY="true",
        DATABASE_URL=throwaway_database,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SUPERUSER_USERNAME="admin",
        DJANGO_SUPERUSER_PASSWORD="deploy-" + uuid.uuid4().hex,
        DJANGO_SUPERUSER_EMAIL="admin@example.test",
    )
    release = subprocess.run(  # noqa: S603 - the project's own script
        [shutil.which("bash") or "/bin/bash", "deploy/release.sh"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=RELEASE_TIMEOUT,
        check=False,
    )
    assert release.returncode == 0, release.stdout[-3000:] + release.stderr[-3000:]
    assert (app / ".venv" / "bin" / "gunicorn").exists()
    assert any((tmp_path / "static").iterdir())

    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        gunicorn = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                str(app / ".venv" / "bin" / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
            cwd=app,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    proxied = {"X-Forwarded-Proto": "https"}
    try:

        def answering():
            if gunicorn.poll() is not None:
                raise AssertionError(f"gunicorn exited\n{log_path.read_text()[-3000:]}")
            return get(f"{base}/healthz")[0] != 0

        wait_until(answering, timeout=START_TIMEOUT, what="gunicorn to answer", interval=0.2)
        status, body = get(f"{base}/healthz")
        assert status == 200, body
        assert '"database"' in body
        # DEBUG off redirects plain http to https; behind the proxy the request was https.
        status, body = get(f"{base}{reverse(settings.LOGIN_URL)}", **proxied)
        assert status == 200, body[-2000:]
        assert 'name="password"' in body
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, 9)
            gunicorn.wait(timeout=5)
