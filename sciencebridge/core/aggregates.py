"""One SQL idiom, written once: an aggregate of the rows that point at each row of an outer query."""

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def per_row(rows: QuerySet, fk: str, aggregate, *, output_field, default):
    """``aggregate`` (e.g. ``Sum("amount")``, ``Count("*")``) over the ``rows`` whose ``fk`` is the
    outer row, ``default`` when there are none: a correlated subquery for ``annotate``. Unlike an
    aggregate over a join, it neither multiplies the outer rows nor needs a GROUP BY of every column,
    and each outer row costs one index lookup on ``fk``."""
    per_outer = (
        rows.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(value=aggregate)
        .values("value")
    )
    return Coalesce(
        Subquery(per_outer, output_field=output_field), Value(default), output_field=output_field
    )
