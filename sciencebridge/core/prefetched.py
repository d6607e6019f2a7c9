"""Reading rows a ``prefetch_related`` already fetched, without paying for a manager and a queryset.

``half.team.all()`` builds a related manager (django-money wraps its queryset methods on each) and
then clones the prefetched queryset (deep-copying its ``select_related``) only to iterate rows that are
already in memory: on the API's page of 50 proposals that was ~1,500 managers and ~500 clones per
request (``bench/scale.py profile``)."""

from django.db import models
from django.db.models import Prefetch

from .precompiled import RowsByIds

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


def attach_rows(instances: list, queryset, fk: str) -> None:
    """Each instance's rows of a reverse foreign key, read in one query and kept as ``rows_<name>``
    (read by ``related_rows``), where ``fk`` is the rows' foreign key to ``instances`` and ``name``
    its ``related_name``. What ``rows_prefetch`` does, without Django's prefetch machinery: that
    costs ~90 Python calls per instance even when no row comes back (for a page's 100 halves, the
    team members and experts to avoid, none of them, were a tenth of the API proposal list's
    Python calls, ``bench/scale.py profile``). ``queryset`` may be ``RowsByIds(fk, …)``: compiled
    once per process."""
    if not instances:
        return
    field = queryset.model._meta.get_field(fk)
    name = ROWS + field.remote_field.get_accessor_name()
    found = _by_ids(queryset, fk, [i.pk for i in instances])
    for instance, rows in _owned(instances, field, found):
        setattr(instance, name, rows)


def prefetch_rows(instances: list, rows: RowsByIds) -> None:
    """Each instance's rows of a reverse foreign key, read in one query (``rows``: by their key to
    ``instances``) and kept where ``prefetch_related`` keeps them: ``instance.<name>.all()`` and
    ``related_rows`` read them without a query, and each row knows its owner. For a page of one
    object, where ``prefetch_related`` would build and compile its queries afresh."""
    if not instances:
        return
    field = rows.model._meta.get_field(rows.field)
    accessor = field.remote_field.get_accessor_name()
    for instance, owned in _owned(instances, field, rows.all([i.pk for i in instances])):
        # as Django's prefetch: the manager's own queryset (a .filter() on it stays the
        # instance's), its result cache filled
        queryset = getattr(instance, accessor).all()
        queryset._result_cache, queryset._prefetch_done = owned, True
        cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
        cache[field.remote_field.cache_name] = queryset


def _owned(instances: list, field, rows):
    """(instance, its rows) for each of ``instances``, ``rows`` grouped by their foreign key
    ``field``; each row knows its owner without a query, as after a prefetch."""
    by_owner: dict = {}
    for row in rows:
        by_owner.setdefault(getattr(row, field.attname), []).append(row)
    for instance in instances:
        owned = by_owner.get(instance.pk, [])
        for row in owned:
            field.set_cached_value(row, instance)
        yield instance, owned


def attach_many(instances: list, name: str, links: RowsByIds) -> None:
    """Each instance's rows of its many-to-many relation ``name``, read from the relation's
    ``through`` table in one query and kept as ``rows_<name>`` (read by ``related_rows``): what
    ``rows_prefetch(name)`` does, without Django's prefetch machinery. ``links``: the through
    table's rows by their key to ``instances``, with the related row joined, in its order."""
    if not instances:
        return
    field = instances[0]._meta.get_field(name)
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    by_owner: dict = {}
    for link in _by_ids(links, owner, [i.pk for i in instances]):
        by_owner.setdefault(getattr(link, f"{owner}_id"), []).append(getattr(link, target))
    for instance in instances:
        setattr(instance, ROWS + name, by_owner.get(instance.pk, []))


def attach_one(instances: list, *fks: str, queryset=None, known: dict | None = None) -> None:
    """Each instance's row of its foreign keys ``fks`` (to one model), all in one query, cached on
    the instance as ``instance.<fk>`` would cache it: what ``prefetch_related`` does, without its
    per-instance machinery, and one object per row however many instances and keys point to it.
    ``known``: rows already at hand by id (a kept table, ``funding.reference_rows``); only the
    ids missing from it are read. ``queryset`` may be ``RowsByIds("pk", …)``: compiled once per
    process."""
    if not instances:
        return
    fields = [instances[0]._meta.get_field(fk) for fk in fks]
    model = fields[0].related_model
    if any(f.related_model is not model for f in fields):
        raise ValueError(f"attach_one: {fks} do not all point to one model")
    ids = {getattr(i, f.attname) for i in instances for f in fields} - {None}
    rows = {pk: known[pk] for pk in ids if pk in known} if known else {}
    ids -= rows.keys()
    queryset = model._default_manager.all() if queryset is None else queryset
    if ids:
        rows.update((row.pk, row) for row in _by_ids(queryset, "pk", list(ids)))
    for instance in instances:
        for field in fields:
            field.set_cached_value(instance, rows.get(getattr(instance, field.attname)))


def _by_ids(queryset, field: str, ids: list):
    if not isinstance(queryset, RowsByIds):
        return queryset.filter(**{f"{field}__any": ids})
    if queryset.field != field:
        raise ValueError(f"rows by {queryset.field} where {field} was asked")
    return queryset.all(ids)
