"""Pages of big lists: the page's keys first, then its rows.

Django's Paginator slices the list's queryset, so the database joins every related table a
list shows (select_related) for every matching row before it sorts and cuts one page: on a
province's 100,000 tickets that was most of the page's time. `NarrowPaginator` asks for the
page's primary keys alone (the filters and the order, without the display joins), then loads
those rows with everything the template needs, in the same order.

It also takes a count the view already knows (the ticket list's state tabs add up to it), so
the table is not counted twice.

An order that no index can serve (the tickets' urgency, computed against the clock) can be
declared as consecutive parts (`PartOrderedQuerySet.ordered_in_parts`): a smaller first part
that is sorted (the tickets whose clock runs), then the rest in an order an index serves. A page
then reads the keys of the part it falls in, not the whole table sorted.
"""

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import WhereNode


class PartOrderedQuerySet(QuerySet):
    """A queryset whose order is, page by page, a sequence of parts: the rows matching the
    first part's condition in its order, then those of the second, and so on. The conditions
    must split the rows exactly (each row in one part) and the queryset's own order_by must be
    the same order as a whole (iteration and exports use it). Any later order_by() drops the
    parts, so a column sort is never paged by them."""

    _order_parts: tuple[tuple[Q, tuple], ...] | None = None

    def ordered_in_parts(self, *parts: tuple[Q, tuple]) -> "PartOrderedQuerySet":
        clone = self._chain()
        clone._order_parts = parts
        return clone

    def order_by(self, *field_names):
        clone = super().order_by(*field_names)
        clone._order_parts = None
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._order_parts = self._order_parts
        return clone

    def page_keys(self, bottom: int, top: int) -> list:
        """The primary keys of rows bottom..top in the list's order."""
        keys = self.values_list("pk", flat=True)
        if not self._order_parts:
            return list(keys[bottom:top])
        wanted = top - bottom
        found: list = []
        start = 0  # where the current part begins in the whole list
        for condition, order in self._order_parts:
            part = keys.filter(condition).order_by(*order)
            offset = max(bottom - start, 0)
            rows = list(part[offset : offset + wanted - len(found)])
            found += rows
            if len(found) == wanted:
                break
            # The page goes on into the next part, which begins where this one ends: known
            # from a short read that returned rows, counted only when the page lies beyond it.
            start += offset + len(rows) if rows or offset == 0 else part.count()
        return found


class NarrowPaginator(Paginator):
    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, count=None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property

    def page(self, number):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if isinstance(queryset, PartOrderedQuerySet):
            keys = queryset.page_keys(bottom, top)
        else:
            keys = list(queryset.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in page_rows(queryset, keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


def page_rows(queryset: QuerySet, keys: list) -> QuerySet:
    """The rows of a page's keys, with the list's joins and annotations but not its filters:
    the keys came through them already, and a scope's filter (a subquery over a province's
    10,000 enterprises) would only be paid twice. Kept when a filter joined another table,
    as an annotation may count on that join."""
    rows = queryset.order_by()
    query = rows.query
    if not any(
        isinstance(join, Join) and query.alias_refcount[alias]
        for alias, join in query.alias_map.items()
    ):
        query.where = WhereNode()
    return rows.filter(pk__in=keys)
