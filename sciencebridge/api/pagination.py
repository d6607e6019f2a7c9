"""A page of ids and the number of rows in one query (issue 16).

DRF's page-number pagination asks Django's paginator for the count (one query reading every row
that matches), then for the page's rows (a second query reading them again up to the page). On a
national call's 4,400 proposals each is ~1.5 ms of PostgreSQL time, and under load the database
shares the machine's two cores with the web workers. Here the page's rows carry the total as a
window count (``COUNT(*) OVER ()``, computed before ``LIMIT``). A page past the end comes back
empty, and only then is the count read on its own, so an out-of-range page is still a 404. A
filter that makes the rows DISTINCT (by a half's state) keeps the two queries: the window would
count the repeated rows too."""

from django.core.paginator import Paginator
from django.db.models import Count, Window
from rest_framework.pagination import PageNumberPagination


class CountedPagePaginator(Paginator):
    """``object_list`` is a flat queryset of ids (``core.first_rows.narrow_ids``)."""

    def page(self, number):
        try:
            n = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # the paginator's own error
        if n < 1 or "count" in self.__dict__ or self.object_list.query.distinct:
            # a window counts rows before DISTINCT removes the repeated ones
            return super().page(number)
        bottom = (n - 1) * self.per_page
        rows = list(
            self.object_list.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")[
                bottom : bottom + self.per_page
            ]
        )
        if not rows:
            return super().page(number)  # past the end (or nothing at all): count, then decide
        self.count = rows[0][1]  # the cached_property's slot: no COUNT query
        return self._get_page([pk for pk, _total in rows], n, self)


class CountedPagePagination(PageNumberPagination):
    django_paginator_class = CountedPagePaginator
