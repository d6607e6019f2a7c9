"""Reading rows a ``prefetch_related`` already fetched, without paying for a manager and a queryset.

``half.team.all()`` builds a related manager (django-money wraps its queryset methods on each) and
then clones the prefetched queryset (deep-copying its ``select_related``) only to iterate rows that are
already in memory: on the API's page of 50 proposals that was ~1,500 managers and ~500 clones per
request (``bench/scale.py profile``)."""

from django.db import models
from django.db.models import Prefetch

#: ``rows_prefetch`` keeps a relation's rows in the attribute ``rows_<accessor>``.
ROWS = "rows_"


def rows_prefetch(lookup: str, queryset=None) -> Prefetch:
    """A prefetch that leaves each instance its rows as a plain list, ``rows_<accessor>`` (read by
    ``related_rows``), where a plain ``prefetch_related`` builds a filtered queryset per instance to
    hold them: ~500 querysets on the API's page of 50 proposals. A lookup through an earlier
    ``rows_prefetch`` names it by its attribute: ``rows_prefetch("rows_halves__team")``."""
    return Prefetch(lookup, queryset=queryset, to_attr=ROWS + lookup.rsplit("__", 1)[-1])


def related_rows(instance: models.Model, name: str) -> list:
    """The rows of ``instance``'s many-valued relation ``name`` (its accessor: ``"team"``,
    ``"budget_lines"``…): the prefetched ones when a prefetch fetched them (``rows_prefetch`` or
    ``prefetch_related``), else a query."""
    rows = getattr(instance, ROWS + name, None)
    if rows is not None:
        return list(rows)
    cached = getattr(instance, "_prefetched_objects_cache", {}).get(name)
    if cached is not None:
        return list(cached)
    return list(getattr(instance, name).all())


def is_prefetched(instance: models.Model, name: str) -> bool:
    return hasattr(instance, ROWS + name) or name in getattr(
        instance, "_prefetched_objects_cache", {}
    )
