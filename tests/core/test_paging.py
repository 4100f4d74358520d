"""Pages read keys first (core.paging.NarrowPaginator), and a list ordered in parts reads each
page from the part it falls in: every page equals the same slice of the whole order, across
the boundary between parts too, and a page inside the first part never reads the second."""

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from core.models import Unit
from core.paging import NarrowPaginator, PartOrderedQuerySet, page_rows
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

ODD_FIRST = Q(is_dispatching=True)


@pytest.fixture
def units():
    # 10 dispatching units (the first part), 10 others, each part by name backwards.
    return [UnitFactory(name=f"单位{n:02d}", is_dispatching=n % 2 == 1) for n in range(1, 21)]


def parted() -> PartOrderedQuerySet:
    queryset = PartOrderedQuerySet(model=Unit).filter(name__startswith="单位")
    whole = (F("is_dispatching").desc(), "-name", "pk")
    return queryset.order_by(*whole).ordered_in_parts(
        (ODD_FIRST, ("-name", "pk")), (~ODD_FIRST, ("-name", "pk"))
    )


def test_every_page_is_the_same_slice_of_the_whole_order(units):
    dispatching = [u for u in units if u.is_dispatching]
    others = [u for u in units if not u.is_dispatching]
    expected = [u.pk for u in sorted(dispatching, key=lambda u: u.name, reverse=True)] + [
        u.pk for u in sorted(others, key=lambda u: u.name, reverse=True)
    ]
    assert list(parted().values_list("pk", flat=True)) == expected  # iteration: one order
    for per_page in (1, 3, 4, 7, 10, 25):
        paginator = NarrowPaginator(parted(), per_page, count=len(expected))
        pages = [
            [unit.pk for unit in paginator.page(number).object_list]
            for number in paginator.page_range
        ]
        assert [pk for page in pages for pk in page] == expected, per_page
        for bottom in range(len(expected)):
            assert (
                parted().page_keys(bottom, bottom + per_page)
                == (expected[bottom : bottom + per_page])
            ), (bottom, per_page)


def test_a_page_in_the_first_part_reads_only_that_part(units):
    with CaptureQueriesContext(connection) as queries:
        assert len(parted().page_keys(0, 5)) == 5
    assert len(queries) == 1
    # A page after the first part, starting beyond it: the first part is read, then counted.
    with CaptureQueriesContext(connection) as queries:
        assert len(parted().page_keys(15, 20)) == 5
    assert len(queries) == 3


def test_a_column_sort_drops_the_parts(units):
    by_name = parted().order_by("name")
    assert by_name.page_keys(0, 3) == [u.pk for u in sorted(units, key=lambda u: u.name)][:3]


def test_a_pages_rows_are_read_by_their_keys_without_the_lists_filters(units):
    """The keys came through the filters (a scope's subquery, on a real list): the rows are
    read by key alone, with the same joins, in the keys' order."""
    listed = Unit.objects.select_related("parent").filter(
        pk__in=Unit.objects.filter(name__startswith="单位").values("pk")
    )
    with CaptureQueriesContext(connection) as queries:
        page = NarrowPaginator(listed.order_by("-name", "pk"), 3).page(2)
    keys_sql, rows_sql = (q["sql"] for q in queries.captured_queries[-2:])  # after the count
    assert keys_sql.count("SELECT") == 2  # the keys: the filter's subquery
    assert rows_sql.count("SELECT") == 1 and "LIKE" not in rows_sql and "JOIN" in rows_sql
    expected = sorted(units, key=lambda u: u.name, reverse=True)[3:6]
    assert [u.pk for u in page.object_list] == [u.pk for u in expected]


def test_a_filter_that_joins_another_table_is_kept_on_the_rows():
    # An annotation or the select may count on a filter's join: then the rows keep the filters.
    joined = Unit.objects.filter(parent__name="某县")
    assert "某县" in str(page_rows(joined, [1, 2]).query)
    plain = Unit.objects.filter(name="某县")
    assert "某县" not in str(page_rows(plain, [1, 2]).query)
