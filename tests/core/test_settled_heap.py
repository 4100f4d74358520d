"""core.middleware.SettledHeapMiddleware: after a process's first request, what it loaded is
out of the garbage collector's sight (a full collection no longer walks it), once."""

import gc

from django.http import HttpResponse
from django.test import RequestFactory

from core.middleware import SettledHeapMiddleware


def test_the_first_request_freezes_the_loaded_heap_and_later_ones_leave_it():
    gc.unfreeze()
    calls = []
    middleware = SettledHeapMiddleware(lambda request: calls.append(1) or HttpResponse("ok"))
    request = RequestFactory().get("/")
    try:
        assert middleware(request).content == b"ok"
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the modules and data loaded so far
        leftover = [object() for _ in range(1000)]
        middleware(request)
        assert gc.get_freeze_count() == frozen and len(calls) == 2  # once per process
        del leftover
    finally:
        gc.unfreeze()
