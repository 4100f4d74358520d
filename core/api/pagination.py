"""The API's pages: DRF's page numbers, each page loaded keys first (core.paging), so a list's
time does not grow with the table. A view that already knows the count (the ticket list adds
up its state counts) hands it over with `use_count()` and the table is not counted again."""

from functools import partial

from rest_framework.pagination import PageNumberPagination

from ..paging import NarrowPaginator


class NarrowPageNumberPagination(PageNumberPagination):
    django_paginator_class = NarrowPaginator

    def use_count(self, count: int) -> None:
        self.django_paginator_class = partial(NarrowPaginator, count=count)
