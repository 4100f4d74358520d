"""Machinery for the reliability tests that drive a real Celery worker (no fixtures here).

- `RedisServer`: a private redis-server the tests start, stop and restart at will, so stopping
  it never disturbs other test runs sharing the machine's Redis.
- `SmtpSink`: an aiosmtpd server on loopback that records every accepted message and can hold
  a client in the middle of a transaction (after MAIL FROM, before RCPT TO is answered), which
  is where a worker is "in the middle of sending".
- `Worker`: `celery worker --pool=solo` as a subprocess with its own environment and log file.
- `use_broker`: points this process's Celery app at the test broker and queue, then restores it.
- `wait_until` / `queue_is_idle`: polling instead of sleeping.
"""

import asyncio
import contextlib
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from kombu import Connection, pools

from notifications.delivery import broker_backoff_reset

ROOT = Path(__file__).resolve().parents[2]


class Timeout(AssertionError):
    pass


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.05, detail=None):
    """Poll `predicate` until it returns something truthy; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            extra = f"\n{detail()}" if detail else ""
            raise Timeout(f"timed out after {timeout:.0f} s waiting for {what}{extra}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except (redis.RedisError, OSError, ValueError):
        return False


def require(condition: bool, reason: str) -> None:
    """Skip with the reason; under CI=true, fail instead (CI must run these tests)."""
    if condition:
        return
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes", "on"):
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


# --- Redis ------------------------------------------------------------------------------------


class RedisServer:
    """A throwaway redis-server on a free loopback port, without persistence."""

    def __init__(self, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                str(self.log_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: redis_answers(self.url()), timeout=10, what="redis-server to answer")

    def stop(self) -> None:
        """Shut the server down (SIGTERM: no save, as configured) and wait until it is gone."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def client(self, db: int) -> redis.Redis:
        return redis.Redis.from_url(self.url(db), socket_timeout=5)


def queue_is_idle(client: redis.Redis, queue: str) -> bool:
    """Nothing waiting in the queue (any priority list) and nothing delivered but unacked."""
    waiting = sum(
        client.llen(key)
        for key in client.scan_iter(match=f"{queue}*")
        if client.type(key) == b"list"
    )
    return waiting == 0 and client.zcard("unacked_index") == 0


def wait_idle(client: redis.Redis, queue: str, *, timeout: float) -> None:
    """Idle twice in a row, 0.3 s apart: a message moving from the list to the unacked set is
    in neither for an instant."""

    def idle_twice():
        if not queue_is_idle(client, queue):
            return False
        time.sleep(0.3)
        return queue_is_idle(client, queue)

    wait_until(idle_twice, timeout=timeout, what=f"queue {queue} to drain")


def redeliver_unacked(url: str) -> int:
    """Do now what the Redis transport does once the visibility timeout (1 h) has passed: put the
    messages that were delivered to a worker but never acknowledged back on their queue."""
    with Connection(url, transport_options={"visibility_timeout": 0}) as conn:
        client = conn.default_channel.client
        before = client.zcard("unacked_index")
        conn.default_channel.qos.restore_visible(num=1000)
        return before - client.zcard("unacked_index")


# --- SMTP -------------------------------------------------------------------------------------


class SmtpSink:
    """aiosmtpd handler: records accepted messages; `hold()` stalls the next RCPT TO."""

    def __init__(self):
        self._lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []
        self._holding = threading.Event()
        self.held = threading.Event()  # set once a client is being held

    def hold(self) -> None:
        self.held.clear()
        self._holding.set()

    def release(self) -> None:
        self._holding.clear()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self._holding.is_set():
            self.held.set()
            while self._holding.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self._lock:
            return sorted(str(m["To"]) for m in self.messages)

    def count(self) -> int:
        with self._lock:
            return len(self.messages)


@contextlib.contextmanager
def smtp_server():
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        sink.release()
        controller.stop()


# --- The worker -------------------------------------------------------------------------------


def database_url(settings_dict: dict, application_name: str) -> str:
    """A DATABASE_URL for the worker pointing at the database this test process uses (the test
    database), tagged so the test can find the worker's backends in pg_stat_activity."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    name = quote(settings_dict["NAME"], safe="")
    return f"postgres://{credentials}{host}:{port}/{name}?application_name={application_name}"


class Worker:
    """`celery -A config worker` on one queue, solo pool, logging to a file."""

    def __init__(self, env: dict, log_path: Path, queue: str):
        self.env = env
        self.log_path = log_path
        self.queue = queue
        self.process: subprocess.Popen | None = None
        self._log = None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "worker log (tail):\n" + "\n".join(self.log().splitlines()[-lines:])

    def start(self) -> "Worker":
        offset = len(self.log())
        self._log = open(self.log_path, "a")  # closed in stop() / kill()
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}@%h",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited early\n{self.log_tail()}")
            return " ready." in self.log()[offset:]

        wait_until(ready, timeout=30, what="the worker to be ready", detail=self.log_tail)
        return self

    def stop(self) -> None:
        """Warm shutdown (SIGTERM); SIGKILL if it does not finish in time."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._close()

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no clean-up — like a lost host."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=5)
        self._close()

    def _close(self) -> None:
        self.process = None
        if self._log:
            self._log.close()
            self._log = None


@contextlib.contextmanager
def use_broker(app, *, url: str, queue: str):
    """Make this process publish to `url`/`queue` for real (not eagerly); restore afterwards.

    The app caches its connection pool, queues and router; they are dropped so the next publish
    builds them from the new settings.
    """
    keys = ("broker_url", "task_always_eager", "task_default_queue", "broker_connection_timeout")
    saved = {key: app.conf[key] for key in keys}

    def reset():
        # kombu keeps pools in a global registry keyed by URL; a closed pool left there would be
        # handed out again to the next test using the same URL.
        pools.reset()
        app._pool = None
        app.__dict__.pop("amqp", None)
        # A failed publish makes this process skip the broker for a while (delivery.enqueue).
        broker_backoff_reset()

    app.conf.update(
        broker_url=url,
        task_always_eager=False,
        task_default_queue=queue,
        broker_connection_timeout=2,
    )
    reset()
    try:
        yield
    finally:
        reset()
        app.conf.update(saved)
