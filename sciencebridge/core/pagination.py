"""A page and the number of rows in one query (issue 16).

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


def with_total(queryset):
    """Each row with ``_total``, the number of rows of the whole queryset."""
    return queryset.annotate(_total=Window(Count("pk")))


class WindowCountPaginator(Paginator):
    def _rows_and_total(self, bottom: int, top: int) -> tuple[list, int]:
        """The rows ``bottom:top`` and the number of all rows (0 when the slice is empty)."""
        rows = list(with_total(self.object_list)[bottom:top])
        return rows, (rows[0]._total if rows else 0)

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
