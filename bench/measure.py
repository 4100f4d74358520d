"""Timing pages, API endpoints and jobs through the real stack, and the dashboard's SQL floor.

Pages and the API go through Django's test client: the whole middleware stack, templates and
the database, without a network hop. Each is requested a few times to warm up, then `repeat`
times; the median, p95 and the number of SQL statements of one request are kept. Timing uses
time.perf_counter around the request; statements are counted with a connection execute
wrapper (no query log kept, so DEBUG stays off).
"""

import re
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection


class StatementCounter:
    def __init__(self):
        self.count = 0
        self.statements: list[tuple[str, object]] | None = None

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.statements is not None:
            self.statements.append((sql, params))
        return execute(sql, params, many, context)


@contextmanager
def counting(record: bool = False):
    counter = StatementCounter()
    if record:
        counter.statements = []
    with connection.execute_wrapper(counter):
        yield counter


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Timing:
    name: str
    samples_ms: list[float] = field(default_factory=list)
    queries: int = 0
    status: int = 0
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "p50_ms": round(statistics.median(self.samples_ms), 1),
            "p95_ms": round(percentile(self.samples_ms, 0.95), 1),
            "queries": self.queries,
            "status": self.status,
            "requests": len(self.samples_ms),
            **({"note": self.note} if self.note else {}),
        }


def time_request(
    client,
    name: str,
    request: Callable[[int], tuple[str, str, dict | None]],
    *,
    repeat: int,
    warmup: int,
) -> Timing:
    """`request(i)` gives (method, url, data) of the i-th request; warm-up requests come first
    (indexes 0..warmup-1), so a POST that changes state gets fresh objects each time."""
    timing = Timing(name)
    for index in range(warmup + repeat):
        method, url, data = request(index)
        with counting() as counter:
            started = time.perf_counter()
            if method == "POST":
                response = client.post(url, data or {})
            else:
                response = client.get(url, data or {})
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 400:
            raise RuntimeError(f"{name}: {method} {url} answered {response.status_code}")
        if index >= warmup:
            timing.samples_ms.append(elapsed)
            timing.queries = max(timing.queries, counter.count)
            timing.status = response.status_code
    return timing


def time_job(name: str, function: Callable[[], object]) -> dict:
    with counting() as counter:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "queries": counter.count, "result": str(result)[:200]}


def sql_floor(statements: list[tuple[str, object]], *, repeat: int) -> Timing:
    """Run the recorded statements again, straight on the connection (no ORM, no template):
    the least time the page's data can take on this database."""
    timing = Timing("dashboard SQL floor")
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for index in range(repeat + 3):
            started = time.perf_counter()
            for sql, params in statements:
                raw.execute(sql, params)
                if raw.description is not None:
                    raw.fetchall()
            elapsed = (time.perf_counter() - started) * 1000
            if index >= 3:
                timing.samples_ms.append(elapsed)
    timing.queries = len(statements)
    return timing


SESSION_STATEMENTS = re.compile(r'"django_session"|"auth_user"|"auth_group"|"stationing_profile"')
