"""Per-table change stamps kept by the database itself, and values kept while the tables they were
computed from are unchanged.

Some values read many tables: the public dashboard's figures count proposals, projects, deals,
exchanges, bookings, remittances… (22 queries, ~20 ms of Python per request on the national-scale
data, issue 16). No cheap read of those tables tells whether any row changed (an update of a deal's
stage or a deleted usage record leaves no larger id or newer timestamp), so the database keeps a
stamp per table: a trigger on each table in ``TRACKED_TABLES`` advances it on every insert, update,
delete (and truncate) — bulk updates and raw SQL included, since the trigger is the database's.

- PostgreSQL: a sequence per table (``sb_stamp_<table>``) advanced by a statement-level trigger.
  ``nextval`` takes no lock, so writers of a table never wait for one another or deadlock over
  stamps (a row of counters updated by each writer would do both).
- SQLite: a row per table in ``core_tablestamp``, counted up by row-level triggers (SQLite has one
  writer at a time anyway).

A stamp advances when the writing statement runs, before its transaction commits: a value computed
in between holds the data from before the write under the new stamp. That window is the writer's
time to commit (milliseconds in a request), and ``max_age`` bounds it as for every stamped value
(``core.stamped_cache``).

``KeptByTables`` learns which tables a value reads by recording the SQL of its computation, and keeps
it only when every one of them is tracked: a new query on an untracked table makes the value computed
afresh on every request (slower, never stale) until the table is added here and to a migration
(``install_triggers``). Tests check that every tracked table has its trigger.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from django.db import connection

from .stamped_cache import StampedCache

#: The tables whose changes are stamped: those the public dashboard's figures read (migration 0004)
#: and the sections of the officer's dashboard kept per agency (0005, 0006).
TRACKED_TABLES = (
    "cooperation_agreement",
    "cooperation_cooperationarea",
    "cooperation_indicator",
    "cooperation_indicatorvalue",
    "cooperation_meeting",
    "cooperation_milestone",
    "cooperation_workplan",
    "cooperation_workplanitem",
    "core_statetransition",
    "dataflows_datatransferagreement",
    "dataflows_filing",
    "dataflows_gbalocation",
    "dataflows_hgrexportapplication",
    "dataflows_hgrtransfer",
    "dataflows_researchdataset",
    "decisions_sidedecision",
    "django_content_type",
    "funding_call",
    "funding_jointproposal",
    "funding_projecttype",
    "funding_proposalhalf",
    "funding_scheme",
    "funding_schemeside",
    "funding_thematicarea",
    "institutions_institution",
    "labfunding_labgrant",
    "nominations_nomination",
    "nominations_nominationexercise",
    "platforms_allocation",
    "platforms_booking",
    "platforms_platform",
    "platforms_usagerecord",
    "projects_outcome",
    "projects_payment",
    "projects_project",
    "projects_projectside",
    "projects_report",
    "projects_tranche",
    "remittances_remittance",
    "review_assignment",
    "review_assignmentrun",
    "talent_application",
    "talent_exchange",
    "transfer_deal",
    "transfer_technologyoffer",
)

STAMP_TABLE = "core_tablestamp"
_TRIGGER = "sb_stamp"


def sequence_name(table: str) -> str:
    return f"sb_stamp_{table}"


# ---- installing (migrations) ----------------------------------------------------------------


def _postgres_trigger_sql(table: str) -> list[str]:
    seq = sequence_name(table)
    return [
        f'CREATE SEQUENCE IF NOT EXISTS "{seq}"',
        f'CREATE OR REPLACE TRIGGER {_TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION sb_bump_stamp('{seq}')",
    ]


_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION sb_bump_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval(TG_ARGV[0]::regclass);
  RETURN NULL;
END $$"""


def _sqlite_trigger_sql(table: str) -> list[str]:
    bump = (
        f"INSERT INTO {STAMP_TABLE} (table_name, version) VALUES ('{table}', 1) "
        "ON CONFLICT(table_name) DO UPDATE SET version = version + 1;"
    )
    return [
        f'CREATE TRIGGER IF NOT EXISTS {_TRIGGER}_{table}_{event[0]} AFTER {event} ON "{table}" '
        f"FOR EACH ROW BEGIN {bump} END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def install_triggers(tables, schema_editor) -> None:
    """Create the stamp triggers on ``tables`` (idempotent): for a migration's ``RunPython``. On
    SQLite, a migration that remakes a tracked table (most ``AlterField``s) drops its triggers: run
    this again after it (``test_table_stamps`` fails until then)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_POSTGRES_FUNCTION)
        statements = [sql for table in tables for sql in _postgres_trigger_sql(table)]
    elif vendor == "sqlite":
        statements = [sql for table in tables for sql in _sqlite_trigger_sql(table)]
    else:
        raise NotImplementedError(f"table stamps: no triggers for {vendor}")
    for sql in statements:
        schema_editor.execute(sql)


def tables_with_triggers() -> set[str]:
    """The tables that have a stamp trigger in the current database (for tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [_TRIGGER],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        per_table: dict[str, int] = {}
        for table, name in cursor.fetchall():
            if name.startswith(f"{_TRIGGER}_{table}_"):
                per_table[table] = per_table.get(table, 0) + 1
        return {table for table, n in per_table.items() if n == 3}


# ---- reading ----------------------------------------------------------------------------------


def read(tables: tuple[str, ...]) -> tuple:
    """The current stamp of each of ``tables`` (tracked ones), in one round trip."""
    if not tables:
        return ()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT "
                # a new sequence and one advanced once both hold last_value 1; is_called tells them apart
                + ", ".join(
                    f'(SELECT last_value + is_called::int FROM "{sequence_name(t)}")'
                    for t in tables
                )
            )
            return tuple(cursor.fetchone())
        cursor.execute(
            f"SELECT table_name, version FROM {STAMP_TABLE} WHERE table_name IN "
            f"({', '.join(['%s'] * len(tables))})",
            list(tables),
        )
        versions = dict(cursor.fetchall())
    return tuple(versions.get(t, 0) for t in tables)


_TABLE_IN_SQL = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


def tables_read(compute: Callable[[], object]) -> tuple[object, frozenset[str]]:
    """``compute()`` and the tables its queries named (Django quotes every table it names)."""
    seen: set[str] = set()

    def record(execute, sql, params, many, context):
        seen.update(_TABLE_IN_SQL.findall(sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        value = compute()
    return value, frozenset(seen)


# ---- keeping values ---------------------------------------------------------------------------

_all: list[KeptByTables] = []


class KeptByTables:
    """Values kept per process (a ``core.stamped_cache.StampedCache``: at most ``max_entries``, each
    for at most ``max_age`` seconds) while the stamps of the tables they read are unchanged. The
    first computation of a key only learns its tables; from the second on, the stamps are read
    before computing, so a kept value never predates its stamp."""

    def __init__(self, *, max_entries: int, max_age: float):
        self.max_entries = max_entries
        self._values = StampedCache(max_entries=max_entries, max_age=max_age)
        self._tables: dict[tuple, tuple[str, ...]] = {}  # learned, per key
        self._lock = threading.Lock()
        _all.append(self)

    def get_or_compute(self, key: tuple, compute: Callable[[], object]):
        with self._lock:
            tables = self._tables.get(key)
        stamp = (tables, read(tables) if tables is not None else None)
        learned_same = False

        def computing():
            nonlocal learned_same
            value, read_now = tables_read(compute)
            learned = tuple(sorted(read_now))
            with self._lock:
                if not read_now <= set(TRACKED_TABLES):
                    self._tables.pop(key, None)  # reads a table without a stamp: never kept
                elif tables == learned:
                    learned_same = True
                else:
                    self._tables[key] = learned  # kept from the next computation on
                while len(self._tables) > self.max_entries:
                    self._tables.pop(next(iter(self._tables)))
            return value

        return self._values.get_or_compute(key, stamp, computing, keep_if=lambda: learned_same)

    def clear(self) -> None:
        with self._lock:
            self._tables.clear()
        self._values.clear()


def clear_all() -> None:
    """Forget every learned table list (tests; the values themselves go with
    ``core.stamped_cache.clear_all``, and with this)."""
    for kept in _all:
        kept.clear()
