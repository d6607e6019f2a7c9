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
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections
from django.db.models import QuerySet


class Counted:
    """A probe answered with its queryset's number of rows, not with whether it has one."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset


Probe = QuerySet | Sequence[QuerySet] | Counted


def any_rows(probes: dict[str, Probe]) -> dict[str, bool | int]:
    """``{name: qs.exists()}`` for all of ``probes``, in one query. A probe may also be a list of
    querysets (of different models, or branches that an OR across a join would make slow): it has
    a row when one of them has; or ``Counted(qs)``, answered with ``qs.count()``. Querysets empty by
    construction (``.none()``) are not sent."""
    asked: dict[str, list[QuerySet]] = {}
    counted = {name for name, probe in probes.items() if isinstance(probe, Counted)}
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
        return answers
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
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    answers.update(
        (name, int(found) if name in counted else bool(found))
        for name, found in zip(asked, row, strict=True)
    )
    return answers


def probe_request(request, modules) -> None:
    """Answer the ``probes(request.user)`` of these modules that this request has not answered yet,
    in one query, and keep the answers on the request (``request.probes``)."""
    known = getattr(request, "probes", {})
    querysets = {}
    for module in modules:
        if hasattr(module, "probes"):
            for name, probe in module.probes(request.user).items():
                if name not in known:
                    querysets[name] = probe
    request.probes = {**known, **any_rows(querysets)}


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
