"""A cheap fingerprint of the whole database: the row count of every table of the project (history tables
included, so any save of a tracked model shows) and the full content of the models that keep no history.

``rows_written()`` is cheaper still: the number of rows this connection's transaction has inserted, updated
or deleted so far (SQLite's ``total_changes()``, PostgreSQL's ``pg_stat_xact_all_tables``). When it has not
moved across a request, the request wrote nothing and the fingerprint need not be computed; when it has
moved, ``fingerprint()`` decides (a refused request may write something harmless, e.g. a session).
"""

import hashlib

from django.apps import apps
from django.db import connection

UNTRACKED = (
    "cooperation.Meeting",
    "cooperation.Workplan",
    "transfer.TechnologyNeed",
    "transfer.SavedSearch",
    "platforms.Booking",
    "experts.Publication",
    "funding.TeamMember",
    "funding.BudgetLine",
    "review.ReviewScore",
    "review.ReviewWindow",
    "review.AssignmentRun",
)


def _tables():
    return sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m.__module__.startswith("sciencebridge") or m._meta.auto_created
        }
    )


def fingerprint() -> str:
    qn = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in _tables())
    h = hashlib.sha256()
    with connection.cursor() as cur:
        cur.execute(sql)
        h.update(repr(cur.fetchone()).encode())
    for label in UNTRACKED:
        model = apps.get_model(label)
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        h.update(repr(list(model._base_manager.order_by("pk").values_list(*fields))).encode())
    return h.hexdigest()


def rows_written() -> int | None:
    """Rows inserted/updated/deleted so far on this connection (None: no cheap counter on this database)."""
    sql = {
        "sqlite": "SELECT total_changes()",
        "postgresql": "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables",
    }.get(connection.vendor)
    if sql is None:
        return None
    with connection.cursor() as cur:
        cur.execute(sql)
        return int(cur.fetchone()[0])


def unchanged_since(before_fingerprint: str, before_rows: int | None) -> bool:
    """The database is as it was: nothing written at all, or the same fingerprint."""
    if before_rows is not None and rows_written() == before_rows:
        return True
    return fingerprint() == before_fingerprint
