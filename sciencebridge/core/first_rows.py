"""The first rows of a list, read in two steps so that an empty list costs one narrow query.

Dashboard panels list a few rows each (requests to decide, filings due) with the related rows a
row shows (``select_related`` over five to ten tables). Most panels are empty for most users, and
compiling and planning such a wide query costs 2-5 ms even when it finds nothing: on the scale
database five empty panels took ~25 ms of an officer's dashboard (issue 16). The ids come first,
from the same filters and order without the joins; the full rows only when there are any."""

from django.db.models import QuerySet


def first_rows(qs: QuerySet, n: int, rows: QuerySet | None = None) -> list:
    """``list(qs[:n])``, in the same order, with what ``qs`` selects and prefetches. ``rows``, when
    given, is what to load those rows with: ``qs`` with annotations that the choice of rows does
    not need (per-row sums, counts over a join), which would otherwise be compiled and planned
    into the narrow query too."""
    ids = list(narrow_ids(qs)[:n])
    return rows_in_order(qs if rows is None else rows, ids) if ids else []


def narrow_ids(qs: QuerySet) -> QuerySet:
    """The ids of ``qs``, with its filters and order but none of its joins for related rows."""
    return qs.select_related(None).prefetch_related(None).values_list("pk", flat=True)


def rows_in_order(qs: QuerySet, ids: list) -> list:
    """The rows of ``qs`` with these ids, in the order of ``ids`` (an id no longer there is left
    out)."""
    rows = {row.pk: row for row in qs.filter(pk__any=ids)}
    return [rows[pk] for pk in ids if pk in rows]
