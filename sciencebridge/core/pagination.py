"""A page's ids and the number of rows in one query, then the page's rows (issue 16).

Django's paginator asks for the count (one query reading every row that matches), then for the
page's rows (a second query reading them again up to the page). Where the page's query reads every
match anyway (a search ordered by rank, the API's proposals of a national call), the second
reading is pure cost: here the page's rows carry the total as a window count (``COUNT(*) OVER ()``,
computed before ``LIMIT``). A page past the end comes back empty, and only then is the count read
on its own, so the answers are Django's (an out-of-range page is a 404 for ``page``, the last page
for ``get_page``). A DISTINCT query keeps the two queries: the window would count the repeated
rows too. Not for a list that an index walks in order (the window would make it read every row)."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

from .first_rows import narrow_ids, rows_in_order


def with_total(queryset):
    """Each row with ``_total``, the number of rows of the whole queryset."""
    return queryset.annotate(_total=Window(Count("pk")))


class WindowCountPaginator(Paginator):
    """The window runs over the rows' ids alone (``first_rows.narrow_ids``), and the page's rows
    are read afterwards by id: a window over the full rows keeps every match whole in memory (on
    the scale data's offer search it spilled 2,800 offers to disk, 20 ms)."""

    def _rows_and_total(self, bottom: int, top: int) -> tuple[list, int]:
        """The rows ``bottom:top`` and the number of all rows (0 when the slice is empty)."""
        ids_totals = list(with_total(self._ids()).values_list("pk", "_total")[bottom:top])
        total = ids_totals[0][1] if ids_totals else 0
        return self._rows([pk for pk, _total in ids_totals]), total

    def _ids(self):
        """The ids of ``object_list``, in its order."""
        return narrow_ids(self.object_list)

    def _rows(self, ids: list) -> list:
        """The page's objects for its ``ids`` (in their order)."""
        return rows_in_order(self.object_list, ids) if ids else []

    def _window_page(self, n: int) -> Page | None:
        """Page ``n`` from one query, or None when that cannot be (the caller asks Django)."""
        if n < 1 or "count" in self.__dict__ or self.object_list.query.distinct:
            return None
        bottom = (n - 1) * self.per_page
        rows, total = self._rows_and_total(bottom, bottom + self.per_page)
        if not rows:
            return None  # past the end, or nothing at all: count, then decide as Django does
        self.count = total  # the cached_property's slot: no COUNT query
        return self._get_page(rows, n, self)

    def page(self, number):
        try:
            n = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # the paginator's own error
        page = self._window_page(n)
        return super().page(number) if page is None else page

    def get_page(self, number):
        try:
            n = int(number) if number not in (None, "") else 1
        except (TypeError, ValueError):
            n = 1  # as Django's get_page: a page that is not a number is the first
        page = self._window_page(n)
        return super().get_page(n) if page is None else page


class KnownCountPaginator(Paginator):
    """Django's paginator told the number of rows (kept between requests by its caller, e.g.
    ``projects.list_counts``) instead of counting them."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # the cached_property's slot: no COUNT query
