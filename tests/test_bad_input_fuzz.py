"""Fuzz tests (hypothesis): random query parameters on every list never give a 5xx, and random
rows in the Excel import never crash it and save nothing when any row is refused.

The lists are found, not listed: every page view built on core.views.FilteredListMixin (from the
URLconf) and every API list endpoint of the router, each with its own FilterSet's parameters
plus the shared ones (page, ordering, search). Values are what the issue's bad-input run typed:
NUL, overflowing and non-ASCII digits, emoji, full-width text, far dates, signs and exponents.
Examples are bounded (about 60 per test, no deadline) so the file runs in about a minute.
"""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.api_urls import router
from core.views import FilteredListMixin
from stationing.imports import run_import

from .factories import make_credit_code
from .stationing.test_import import ENTERPRISE_HEADER, counts

SHARED_PARAMS = ["page", "ordering", "q", "search", "programme", "period", "as_of", "year"]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- Values -------------------------------------------------------------------------------------

NASTY = [
    "\x00",
    "1\x00",
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "١٢٣",
    "²",
    "①",
    "１２３",
    "1e400",
    "NaN",
    "-1",
    "0",
    "😀",
    "<script>alert(1)</script>",
    "9999-12-31",
    "99999-01-01",
    "0001-01-01",
    "2026-02-30",
    "true",
    "-",
    "%",
    "' OR 1=1 --",
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.text(alphabet="0123456789١٢٣٤٥٦٧٨٩٠²³①１２-+.eE ", max_size=25),
)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def list_pages() -> list[tuple[str, list[str]]]:
    """(url, parameters) of every FilteredListMixin page that takes no path argument."""
    pages = []
    for route, pattern in _walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        if view is None or not issubclass(view, FilteredListMixin) or "<" in route:
            continue
        filters = list(view.filterset_class.base_filters) if view.filterset_class else []
        pages.append((reverse(pattern.name), filters + SHARED_PARAMS))
    return pages


def api_lists() -> list[tuple[str, list[str]]]:
    endpoints = []
    for _prefix, viewset, basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        filters = list(filterset.base_filters) if filterset else []
        filters += list(getattr(viewset, "filterset_fields", None) or [])
        endpoints.append((reverse(f"{basename}-list"), filters + SHARED_PARAMS + ["limit"]))
    return endpoints


PAGES = list_pages()
APIS = api_lists()


def queries(targets):
    return st.sampled_from(targets).flatmap(
        lambda target: st.tuples(
            st.just(target[0]),
            st.dictionaries(st.sampled_from(target[1]), values, min_size=1, max_size=3),
        )
    )


@pytest.fixture
def office_client(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.office)
    return client


def test_the_walk_finds_the_lists():
    urls = {url for url, _params in PAGES}
    assert {reverse("ticket-list"), reverse("enterprise-list"), reverse("report-list")} <= urls
    assert len(PAGES) >= 10 and len(APIS) >= 10


@FUZZ
@given(query=queries(PAGES))
def test_list_pages_never_answer_5xx(office_client, query):
    url, params = query
    response = office_client.get(url, params)
    assert response.status_code < 500, (url, params)


@FUZZ
@given(query=queries(APIS))
def test_api_lists_never_answer_5xx(office_client, query):
    url, params = query
    response = office_client.get(url, params, HTTP_ACCEPT="application/json")
    assert response.status_code < 500, (url, params)
    if response.status_code == 400:
        assert response.json(), "a 400 says what is wrong"


# --- The Excel import ---------------------------------------------------------------------------

# Text a workbook can hold (XML refuses control characters), formulas and codes included.
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40
) | st.sampled_from(["=1+1", "@SUM(A1)", "-", "合计", "城关镇", "制造业", "民营", "小型"])
cells = st.one_of(
    st.none(),
    cell_text,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 12, 31)),
    st.booleans(),
)


def enterprise_row(n: int) -> list:
    return [f"模糊测试企业{n}", make_credit_code(20000 + n), "制造业", "", "民营", "小型", "城关镇"]


good_row = st.integers(min_value=1, max_value=5000).map(enterprise_row)
bad_row = st.lists(cells, min_size=1, max_size=len(ENTERPRISE_HEADER))


def workbook_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "企业"
    sheet.append(ENTERPRISE_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def frozen():
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        yield


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(good=st.lists(good_row, max_size=3, unique_by=lambda row: row[1]), bad=bad_row)
def test_import_with_a_bad_row_never_crashes_and_saves_nothing(world, frozen, good, bad):
    before = counts()
    report = run_import(io.BytesIO(workbook_bytes([*good, bad])), user=world.office)
    if report.errors:
        assert not report.committed
        assert counts() == before
        assert all(error.message for error in report.errors)
    else:
        # The random row happened to be blank or valid: then everything was saved at once.
        assert report.committed
