"""The API's page of ids and their total in one query (``core.pagination``): on a national call's
4,400 proposals the count and the page were each ~1.5 ms of PostgreSQL time, and under load the
database shares the machine's two cores with the web workers. A filter that makes the rows DISTINCT
(by a half's state) keeps the two queries."""

from functools import partial

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination

from sciencebridge.core.pagination import KnownCountPaginator, WindowCountPaginator


class CountedPagePaginator(WindowCountPaginator):
    """``object_list`` is a flat queryset of ids (``core.first_rows.narrow_ids``): the page is
    its ids, whose rows the view reads."""

    def _ids(self):
        return self.object_list

    def _rows(self, ids):
        return ids


class CountedPagePagination(PageNumberPagination):
    """Pages of a queryset of ids (``CountedPagePaginator``), or of the ids themselves when the view
    keeps them (``attached_rows.AttachedRowsMixin.kept_ids``)."""

    django_paginator_class = CountedPagePaginator

    def paginate_queryset(self, queryset, request, view=None):
        if not isinstance(queryset, QuerySet):
            self.django_paginator_class = Paginator
        return super().paginate_queryset(queryset, request, view)


class KnownCountPagination(PageNumberPagination):
    """Page numbers with the total from the view's ``known_count()`` (kept between requests by the
    view) instead of a COUNT query; counted as usual when it answers None (a filtered list)."""

    def paginate_queryset(self, queryset, request, view=None):
        count = view.known_count() if hasattr(view, "known_count") else None
        if count is not None:
            self.django_paginator_class = partial(KnownCountPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)
