"""An ORM query compiled once per process: for the queries that many requests make.

Every signed-in request loads its session and its user (with the user's agency and roles). Of the
user's 1.3 ms, ~1 went into building and compiling the queryset, and ~0.3 of the session's 0.6 ms
(issue 16), for SQL that differs between requests only in the values. Pages of rows read what each
row shows by the rows' ids (``RowsByIds``): on the project page, compiling those queries took longer
than running them. ``Precompiled`` builds the queryset once with stand-in values, keeps its SQL and
Django's compiler, and on each call sends the same SQL with the real values. It turns the rows into
model instances as Django's own iterator does: the same converters, related objects
(``select_related``) and annotations; a queryset that would need more (``prefetch_related``,
``values()``) is refused.

Only for querysets whose SQL does not depend on the values (no ``None`` that becomes ``IS NULL``, no
list whose length shapes the SQL): each stand-in must appear exactly once among the compiled
parameters, or compiling raises. A list of ids is one parameter on PostgreSQL (``field__any``,
``core.lookups``), so ``all`` compiles once there; elsewhere ``IN`` has one parameter per id and
``all`` builds and compiles the queryset on every call, as Django would. The SQL is kept per
language too: modeltranslation writes a translated field's name by the active language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.utils.functional import cached_property
from django.utils.translation import get_language


class Precompiled:
    """``build(*values)`` -> a queryset, compiled once per database and language."""

    def __init__(self, build: Callable[..., QuerySet], *stand_ins: Any):
        self.build = build
        self.stand_ins = stand_ins
        self._compiled: dict[tuple, _Compiled] = {}

    @cached_property
    def model(self) -> type[Model]:
        return self.build(*self.stand_ins).model

    def first(self, *values: Any) -> Model | None:
        """The first row's instance for these values, or None."""
        db = router.db_for_read(self.model)
        if connections[db].vendor != "postgresql" and any(isinstance(v, list) for v in values):
            # a list has one parameter per item there: built afresh, as ``all``
            return next(iter(_plain(self.build(*values))[:1]), None)
        return self._compiled_for(db).first(values)

    def all(self, *values: Any) -> list[Model]:
        """Every row's instance for these values, in the queryset's order."""
        db = router.db_for_read(self.model)
        if connections[db].vendor != "postgresql":
            return list(_plain(self.build(*values)))
        return self._compiled_for(db).all(values)

    def _compiled_for(self, db: str) -> _Compiled:
        key = (db, get_language())
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(
                self.build(*self.stand_ins), self.stand_ins, db
            )
        return compiled


#: A list of ids that no row has (ids are positive), to compile ``RowsByIds``.
STAND_IN_IDS = [-(2**62) - 19]


class RowsByIds(Precompiled):
    """``build()``'s rows whose ``field`` is one of a list of ids (``field__any``), compiled once:
    ``all(ids)``. For ``core.prefetched.attach_rows`` (``field``: the rows' foreign key to their
    owners) and ``attach_one`` (``"pk"``)."""

    def __init__(self, field: str, build: Callable[[], QuerySet]):
        super().__init__(lambda ids: build().filter(**{f"{field}__any": ids}), STAND_IN_IDS)
        self.field = field

    def all(self, ids: list) -> list[Model]:
        return super().all(ids) if ids else []  # as ``field__in=[]``: no query


class _Compiled:
    """One queryset's SQL and compiler on one database, and how its rows become instances."""

    def __init__(self, queryset: QuerySet, stand_ins: tuple, db: str):
        _plain(queryset)
        self.db = db
        self.compiler = compiler = queryset.query.get_compiler(using=db)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        self.positions = tuple(_position(stand_in, params, self.sql) for stand_in in stand_ins)
        # as ModelIterable: the model's columns, its select_related objects, its annotations
        select, klass_info = compiler.select, compiler.klass_info
        self.start, self.end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.model = klass_info["model"]
        self.names = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, db)
        self.annotations = tuple(compiler.annotation_col_map.items())

    def first(self, values: tuple) -> Model | None:
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, self._params(values))
            row = cursor.fetchone()
        return None if row is None else self._instances([row])[0]

    def all(self, values: tuple) -> list[Model]:
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, self._params(values))
            rows = cursor.fetchall()
        return self._instances(rows) if rows else []

    def _params(self, values: tuple) -> list:
        params = list(self.params)
        for position, value in zip(self.positions, values, strict=True):
            params[position] = value
        return params

    def _instances(self, rows: list) -> list[Model]:
        """As ``ModelIterable``, after the fields' and the backend's converters."""
        objs = []
        model, db, names, start, end = self.model, self.db, self.names, self.start, self.end
        for row in self.compiler.results_iter(results=[rows]):
            obj = model.from_db(db, names, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objs.append(obj)
        return objs


def _plain(queryset: QuerySet) -> QuerySet:
    """``queryset``, if its rows are plain instances (its select_related included), else ValueError:
    what only a queryset does (a prefetch, ``values()``) would be lost once compiled."""
    if queryset._prefetch_related_lookups or queryset._iterable_class is not ModelIterable:
        raise ValueError("only model instances with select_related: no prefetch, no values()")
    return queryset


def _position(stand_in: Any, params, sql: str) -> int:
    found = [i for i, p in enumerate(params) if type(p) is type(stand_in) and p == stand_in]
    if len(found) != 1:
        raise ValueError(f"stand-in {stand_in!r} appears {len(found)} times in {sql}")
    return found[0]
