"""Whether each of several querysets has a row, answered in one database round trip.

The signed-in dashboard asks every app for its panels (``core.plugins``), and most panels are empty
for most people: an officer has no facility time, no exchange application, no data-transfer
agreement to sign. Building, compiling and planning each panel's query costs 1-6 ms even when it
finds nothing; on the scale data the empty panels took ~20 of the officer's 64 ms (issue 16).

So an app's ``dashboard.py`` may also define ``probes(user) -> {name: queryset}``: narrow querysets
of which one has a row whenever a panel *could* have one (a necessary condition, never a
sufficient one). The dashboard answers them all in one query (``any_rows``) and puts the answers on
the request; a panel asks ``probed(request, name)`` and skips its own queries when the answer is
no. A panel called without the dashboard's answers (a test, another page) does its full work.

The navigation (``nav.py``) may define ``probes`` too, for the entries that depend on a row (the
expert's "My reviews", a lead's "My projects"): every page answers them in one query, and the
dashboard together with its own. A probe may also ask how many rows there are (``Counted``): the
number of unread notifications in the navigation comes with the same query, not one of its own.

The probes' SQL is kept per process for each user (``probe_request``): building the querysets of a
dashboard's eleven probes and compiling them cost 4-6 ms of its ~28 (issue 16), for SQL that is the
same on every request of that user. It is kept only when the user's fields, roles and the page's
language decide it all: built once for a bare copy of the user, with the per-request cache
suspended, and kept only if no query ran while building and every parameter is a plain constant (no
date or time read from the clock). Otherwise it is built afresh on every request, as before.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, connections
from django.db.models import QuerySet
from django.utils.translation import get_language

from sciencebridge.accounts.request_user import unwrapped_user

from . import request_cache
from .stamped_cache import StampedCache


class Counted:
    """A probe answered with its queryset's number of rows, not with whether it has one."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset


Probe = QuerySet | Sequence[QuerySet] | Counted


class _Query:
    """Several probes as one statement: ``answers`` known without it (querysets empty by
    construction), then one column per name of ``names``."""

    __slots__ = ("answers", "names", "counted", "sql", "params", "db")

    def __init__(self, answers, names=(), counted=frozenset(), sql=None, params=(), db=None):
        self.answers, self.names, self.counted = answers, names, counted
        self.sql, self.params, self.db = sql, params, db


def any_rows(probes: dict[str, Probe]) -> dict[str, bool | int]:
    """``{name: qs.exists()}`` for all of ``probes``, in one query. A probe may also be a list of
    querysets (of different models, or branches that an OR across a join would make slow): it has
    a row when one of them has; or ``Counted(qs)``, answered with ``qs.count()``. Querysets empty by
    construction (``.none()``) are not sent."""
    return _answer(_combine(probes))


def _combine(probes: dict[str, Probe]) -> _Query:
    asked: dict[str, list[QuerySet]] = {}
    counted = frozenset(name for name, probe in probes.items() if isinstance(probe, Counted))
    for name, probe in probes.items():
        if name in counted:
            probe = probe.queryset
        querysets = [probe] if isinstance(probe, QuerySet) else list(probe)
        asked[name] = [qs for qs in querysets if not qs.query.is_empty()]
    answers = {
        name: 0 if name in counted else False for name, querysets in asked.items() if not querysets
    }
    asked = {name: querysets for name, querysets in asked.items() if querysets}
    if not asked:
        return _Query(answers)
    db = next(iter(asked.values()))[0].db
    columns, params = [], []
    for name, querysets in asked.items():
        if name in counted:
            (qs,) = querysets
            sql, qs_params = qs.order_by().values("pk").query.get_compiler(using=db).as_sql()
            columns.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
            params.extend(qs_params)
            continue
        branches = []
        for qs in querysets:
            sql, qs_params = qs.query.exists().get_compiler(using=db).as_sql()
            branches.append(f"EXISTS({sql})")
            params.extend(qs_params)
        columns.append("(" + " OR ".join(branches) + ")")
    sql = sys.intern("SELECT " + ", ".join(columns))  # one text for every user of the same shape
    return _Query(answers, tuple(asked), counted & set(asked), sql, tuple(params), db)


def _answer(query: _Query) -> dict[str, bool | int]:
    answers = dict(query.answers)
    if query.sql is None:
        return answers
    with connections[query.db].cursor() as cursor:
        cursor.execute(query.sql, list(query.params))
        row = cursor.fetchone()
    answers.update(
        (name, int(found) if name in query.counted else bool(found))
        for name, found in zip(query.names, row, strict=True)
    )
    return answers


#: The probes' statement per user shape (``_shape``); ``_REFUSED`` for a shape whose statement
#: depends on more than that. A statement is a few KB, shared by every user of the same roles.
_kept = StampedCache(max_entries=2048, max_age=300.0)
_REFUSED = object()


def probe_request(request, modules) -> None:
    """Answer the ``probes(request.user)`` of these modules that this request has not answered yet,
    in one query, and keep the answers on the request (``request.probes``)."""
    known = getattr(request, "probes", {})
    user = unwrapped_user(request.user)  # the model instance: its fields make the key
    key = _shape(user, modules, known)
    built = None

    def build_checked():
        nonlocal built
        built, reusable = _build_checked(user, modules, known)
        return built if reusable else _REFUSED

    found = _REFUSED if key is None else _kept.get_or_compute(key, (), build_checked)
    if built is not None:
        query = built
    elif found is not _REFUSED:
        query = found
    else:
        query = _combine(_collect(user, modules, known))
    request.probes = {**known, **_answer(query)}


def _collect(user, modules, known) -> dict[str, Probe]:
    probes = {}
    for module in modules:
        if hasattr(module, "probes"):
            for name, probe in module.probes(user).items():
                if name not in known:
                    probes[name] = probe
    return probes


def _shape(user, modules, known) -> tuple | None:
    """Everything the probes' builders may read besides the database and the clock: the user's
    fields and roles, the related objects cached on it (their fields), the modules asked, the names
    already answered, the page's language. None for a user that is no saved model instance."""
    if getattr(user, "_meta", None) is None or user.pk is None:
        return None
    try:
        cached = tuple(
            (name, None if obj is None else (type(obj), _fields(obj)))
            for name, obj in sorted(user._state.fields_cache.items())
        )
        key = (type(user), _fields(user), getattr(user, "role_codes", None), cached, tuple(modules))
        key += (frozenset(known), get_language())
        hash(key)
    except (TypeError, LookupError):  # a value that cannot be a key, a deferred field
        return None
    return key


def _fields(instance) -> tuple:
    """The values of the instance's columns; KeyError for a deferred one (not loaded: a builder
    reading it would run a query)."""
    values = instance.__dict__
    return tuple(values[f.attname] for f in instance._meta.concrete_fields)


def _bare(instance):
    """A copy of a model instance with its fields only (no related object, no prefetch), made as
    Django makes an instance from a row."""
    names = [f.attname for f in instance._meta.concrete_fields]
    return type(instance).from_db(instance._state.db, names, _fields(instance))


def _build_checked(user, modules, known) -> tuple[_Query, bool]:
    """The statement, built for a bare copy of ``user`` (its fields, roles and the related objects
    cached on it, as bare copies: what ``_shape`` holds), and whether it may be kept: no query ran
    while building it (no value read from the database, nor from the per-request cache, which is
    suspended), and every parameter is a plain constant."""
    bare = _bare(user)
    if hasattr(type(user), "role_codes"):
        bare.__dict__["role_codes"] = user.role_codes
    for name, obj in user._state.fields_cache.items():
        bare._state.fields_cache[name] = None if obj is None else _bare(obj)
    ran = []

    def record(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    with request_cache.suspended(), connection.execute_wrapper(record), _dates_noted() as dates:
        query = _combine(_collect(bare, modules, known))
    return query, not ran and not dates and all(_constant(p) for p in query.params)


#: What Django calls to turn a date, datetime or time into a parameter, whatever the backend (SQLite
#: makes it a string, so the parameters' types alone would not show it).
_DATE_ADAPTERS = ("adapt_datefield_value", "adapt_datetimefield_value", "adapt_timefield_value")


@contextmanager
def _dates_noted():
    """The dates, datetimes and times made parameters inside the block, on this thread's
    connection: a builder that read the clock (``timezone.now()``, ``localdate()``)."""
    ops, noted = connection.ops, []

    def noting(adapt):
        def adapted(value, *args, **kwargs):
            noted.append(value)
            return adapt(value, *args, **kwargs)

        return adapted

    for name in _DATE_ADAPTERS:
        setattr(ops, name, noting(getattr(ops, name)))
    try:
        yield noted
    finally:
        for name in _DATE_ADAPTERS:
            delattr(ops, name)  # the class's own again


def _constant(value) -> bool:
    """A parameter that cannot have been read from the clock: a string, a number, None, or a list
    of those."""
    if isinstance(value, list | tuple):
        return all(_constant(v) for v in value)
    return value is None or isinstance(value, str | int | float | Decimal)


def probe_dashboard(request, modules) -> None:
    """The dashboard's probes and the navigation's (``core.context_processors``), in one query."""
    from .context_processors import nav_modules

    probe_request(request, [*modules, *nav_modules()])


def answered(request, name: str) -> bool | int | None:
    """Whether probe ``name`` found a row in this request (how many, for a ``Counted`` one); None
    when it was not asked."""
    return getattr(request, "probes", {}).get(name)


def probed(request, name: str) -> bool:
    """False only when the dashboard found that probe ``name`` has no row: the panel can skip its
    queries. True when it found one, or when no probe was answered (the panel does its full work)."""
    return answered(request, name) is not False
