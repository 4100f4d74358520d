"""The submission burst: many cadres submitting their reports to gunicorn at once.

gunicorn runs with the production settings (DEBUG off, behind a TLS proxy, as deploy/ sets it
up) and 2 workers on 127.0.0.1, against the benchmark's database. Each simulated cadre, on its
own thread, opens its report form (GET) and submits it (POST), like a phone would; sessions are
made beforehand with the test client's force_login, and the CSRF token is a cookie secret sent
back in the form, as Django accepts. Every HTTP call has a timeout.
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection

from .measure import percentile

ROOT = Path(__file__).resolve().parent.parent
HTTP_TIMEOUT = 60
VERSION = re.compile(r'name="version" value="(\d+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Gunicorn:
    def __init__(self, workers: int = 2):
        self.port = free_port()
        self.workers = workers
        self.log = tempfile.NamedTemporaryFile(
            prefix="bench-gunicorn-", suffix=".log", delete=False
        )  # noqa: SIM115

    def __enter__(self):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "CELERY_")) and key not in ("DATABASE_URL", "DEBUG")
        }
        env.update(
            DEBUG="false",
            SECRET_KEY=settings.SECRET_KEY,  # the sessions were signed with it
            ALLOWED_HOSTS="127.0.0.1",
            CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{self.port}",
            SITE_URL="https://127.0.0.1",
            BEHIND_TLS_PROXY="true",
            DATABASE_URL=database_url(),
            STATIC_ROOT=str(Path(tempfile.gettempdir()) / "bench-static"),
        )
        # Production settings serve static files from the collected manifest, as a release does.
        subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True, timeout=300, capture_output=True,
        )  # fmt: skip
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--timeout", "60"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = self.request("GET", "/healthz")
                if status < 500:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start; see {self.log.name}")

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)

    def request(self, method, path, *, body=None, headers=None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        try:
            conn.request(
                method,
                path,
                body=body,
                headers={
                    "X-Forwarded-Proto": "https",
                    "Host": f"127.0.0.1:{self.port}",
                    **(headers or {}),
                },
            )
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()


def run_burst(server: Gunicorn, submitters: list[dict]) -> dict:
    """`submitters`: dicts with session (cookie value), url (the edit page) and form (the POST
    fields without the version and CSRF token). All threads start together."""
    results: list[tuple[int, float, str]] = []
    lock = threading.Lock()
    start = threading.Barrier(len(submitters))

    def submit(entry):
        csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret
        cookies = f"sessionid={entry['session']}; csrftoken={csrf}"
        error, status, elapsed = "", 0, 0.0
        try:
            start.wait(timeout=HTTP_TIMEOUT)
            status, page = server.request("GET", entry["url"], headers={"Cookie": cookies})
            version = VERSION.search(page)
            if status != 200 or version is None:
                raise RuntimeError(f"form answered {status}")
            body = urlencode(
                {**entry["form"], "version": version.group(1), "csrfmiddlewaretoken": csrf},
                doseq=True,
            )
            began = time.perf_counter()
            status, _ = server.request(
                "POST",
                entry["url"],
                body=body,
                headers={
                    "Cookie": cookies,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://127.0.0.1:{server.port}",
                    "Referer": f"https://127.0.0.1:{server.port}{entry['url']}",
                },
            )
            elapsed = (time.perf_counter() - began) * 1000
        except Exception as exc:  # noqa: BLE001 - every failure is counted, not raised
            error = f"{type(exc).__name__}: {exc}"
        with lock:
            results.append((status, elapsed, error))

    threads = [threading.Thread(target=submit, args=(entry,)) for entry in submitters]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=HTTP_TIMEOUT * 3)
    wall = time.perf_counter() - began
    ok = [elapsed for status, elapsed, error in results if not error and status in (302, 303)]
    errors = [
        error or f"HTTP {status}"
        for status, _, error in results
        if error or status not in (302, 303)
    ]
    return {
        "cadres": len(submitters),
        "seconds": round(wall, 2),
        "answered_redirect": len(ok),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "p50_ms": round(percentile(ok, 0.5), 1) if ok else None,
        "p95_ms": round(percentile(ok, 0.95), 1) if ok else None,
    }
