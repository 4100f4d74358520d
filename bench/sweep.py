"""Every page once, as the office and a leader, at the benchmark's scale.

The timed pages (bench.measure) are the ones the issue names; a page nobody named can still grow
with the registry. At province scale this found the office's "my tickets" page at 13.9 s (4,074
statements), the project and stationing forms at 10-12 s (every cadre and enterprise sent as an
option), the programme page at 10 s (every stationing rendered), the plan queue at 6.8 s and the
programme list at 2.4 s. The sweep opens every page without a parameter and the pages of one
object of each kind (the programme, a stationing, a project, a ticket, an appraisal run), once
after a warm-up, and reports its time, statements and size; pages over SLOW_MS are listed.
"""

import re
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

SLOW_MS = 1000
SKIPPED = re.compile(r"^(admin/|static/|i18n/|api/schema|accounts/logout|logout)|export|/pdf/$")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def sweep_urls(objects: dict[str, int]) -> list[str]:
    """Pages without parameters, and those whose only parameter is one of `objects` (the
    route's first path segment -> an id: {"programmes": 1, …})."""
    urls = set()
    for route in _routes(get_resolver().url_patterns):
        if SKIPPED.search(route) or "(?P" in route:
            continue
        params = re.findall(r"<int:([a-z_]+)>", route)
        if not params:
            urls.add("/" + route)
        elif params == ["pk"] and route.split("/")[0] in objects:
            urls.add("/" + route.replace("<int:pk>", str(objects[route.split("/")[0]])))
    return sorted(url for url in urls if "<" not in url)


def sweep(client, urls: list[str]) -> dict[str, dict]:
    found = {}
    for url in urls:
        client.get(url)  # warm-up (templates, caches)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        found[url] = {
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "queries": len(queries),
            "kb": len(response.content) // 1024,
            "status": response.status_code,
        }
    return found
