"""Pages of big lists: the page's keys first, then its rows.

Django's Paginator slices the list's queryset, so the database joins every related table a
list shows (select_related) for every matching row before it sorts and cuts one page: on a
province's 100,000 tickets that was most of the page's time. `NarrowPaginator` asks for the
page's primary keys alone (the filters and the order, without the display joins), then loads
those rows with everything the template needs, in the same order.

It also takes a count the view already knows (the ticket list's state tabs add up to it), so
the table is not counted twice.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet


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
        keys = list(queryset.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in queryset.order_by().filter(pk__in=keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)
