"""Reading rows a ``prefetch_related`` already fetched, without paying for a manager and a queryset.

``half.team.all()`` builds a related manager (django-money wraps its queryset methods on each) and
then clones the prefetched queryset (deep-copying its ``select_related``) only to iterate rows that are
already in memory: on the API's page of 50 proposals that was ~1,500 managers and ~500 clones per
request (``bench/scale.py profile``)."""

from django.db import models


def related_rows(instance: models.Model, name: str) -> list:
    """The rows of ``instance``'s many-valued relation ``name`` (its accessor: ``"team"``,
    ``"budget_lines"``…): the prefetched ones when a ``prefetch_related`` fetched them, else a query."""
    cached = getattr(instance, "_prefetched_objects_cache", {}).get(name)
    if cached is not None:
        return list(cached)
    return list(getattr(instance, name).all())


def is_prefetched(instance: models.Model, name: str) -> bool:
    return name in getattr(instance, "_prefetched_objects_cache", {})
