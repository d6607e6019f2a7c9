"""Per-table change stamps kept by database triggers, and values kept under them (``core.table_stamps``)."""

import importlib

import pytest
from django.db import connection

from sciencebridge.core import stamped_cache, table_stamps
from sciencebridge.core.models import StateTransition
from sciencebridge.core.table_stamps import KeptByTables, read
from sciencebridge.institutions.models import Institution

pytestmark = pytest.mark.django_db

INSTITUTIONS = ("institutions_institution",)


def test_every_tracked_table_has_its_trigger():
    """A migration that remakes a tracked table on SQLite drops its triggers; this fails until a
    later migration installs them again (``install_triggers``)."""
    assert set(table_stamps.TRACKED_TABLES) <= table_stamps.tables_with_triggers()


def test_the_migrations_install_exactly_the_tracked_tables():
    installed = [
        table
        for name in (
            "0004_table_stamps",
            "0005_table_stamps_project_worklists",
            "0006_table_stamps_officer_dashboard",
        )
        for table in importlib.import_module(f"sciencebridge.core.migrations.{name}").TABLES
    ]
    assert sorted(installed) == list(table_stamps.TRACKED_TABLES)


def test_a_stamp_advances_on_every_kind_of_write(world):
    hku = world.hku
    seen = [read(INSTITUTIONS)]

    def advanced() -> bool:
        seen.append(read(INSTITUTIONS))
        return seen[-1] != seen[-2]

    Institution.objects.create(code="cuhk", name="CUHK", region="HK")
    assert advanced()
    hku.name = "HKU"
    hku.save()
    assert advanced()
    Institution.objects.filter(code="cuhk").update(name="The Chinese University of Hong Kong")
    assert advanced()  # a bulk update sends no signal; the trigger sees it
    with connection.cursor() as cursor:
        cursor.execute("UPDATE institutions_institution SET short_name = 'X' WHERE code = 'cuhk'")
    assert advanced()
    Institution.objects.filter(code="cuhk").delete()
    assert advanced()
    list(Institution.objects.all())
    assert not advanced()  # reading changes nothing


def test_a_write_to_another_table_leaves_the_stamp(world):
    before = read(INSTITUTIONS)
    StateTransition.objects.create(content_type_id=_type_id(), object_id=1, to_state="x")
    assert read(INSTITUTIONS) == before


def _type_id():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Institution).pk


def _names():
    return sorted(Institution.objects.values_list("code", flat=True))


def _counted(read=_names):
    """A computation that reads ``read()``, and the list it appends to on each run."""
    computed = []

    def compute():
        computed.append(1)
        return read()

    return computed, compute


def test_a_value_is_kept_until_a_table_it_read_changes(world):
    kept = KeptByTables(max_entries=4, max_age=300)
    computed, compute = _counted()

    first = kept.get_or_compute(("k",), compute)
    assert kept.get_or_compute(("k",), compute) == first  # learns its tables, keeps from now on
    assert len(computed) == 2
    assert kept.get_or_compute(("k",), compute) == first and len(computed) == 2
    Institution.objects.filter(code="hku").update(code="hku2")
    assert "hku2" in kept.get_or_compute(("k",), compute) and len(computed) == 3
    assert kept.get_or_compute(("k",), compute) and len(computed) == 3
    assert kept.get_or_compute(("other",), compute) and len(computed) == 4  # per key


def test_a_value_that_reads_an_untracked_table_is_never_kept(world):
    from sciencebridge.accounts.models import User

    kept = KeptByTables(max_entries=4, max_age=300)
    computed, compute = _counted(lambda: (_names(), User.objects.count()))

    for _ in range(3):
        kept.get_or_compute(("k",), compute)
    assert len(computed) == 3


def test_a_kept_value_expires_after_max_age(world, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(stamped_cache, "_clock", lambda: now[0])
    kept = KeptByTables(max_entries=4, max_age=60)
    computed, compute = _counted()

    kept.get_or_compute(("k",), compute)
    kept.get_or_compute(("k",), compute)
    kept.get_or_compute(("k",), compute)
    assert len(computed) == 2
    now[0] += 61
    kept.get_or_compute(("k",), compute)
    assert len(computed) == 3


def test_the_oldest_key_is_dropped_beyond_max_entries(world):
    kept = KeptByTables(max_entries=2, max_age=300)
    computed, compute = _counted()

    for key in ("a", "b", "c"):
        kept.get_or_compute((key,), compute)
        kept.get_or_compute((key,), compute)
    assert len(computed) == 6
    kept.get_or_compute(("c",), compute)
    assert len(computed) == 6
    kept.get_or_compute(("a",), compute)  # dropped: learns again
    assert len(computed) == 7


def test_tables_read_names_the_tables_of_joins_and_subqueries(world):
    from sciencebridge.accounts.models import User

    _, tables = table_stamps.tables_read(
        lambda: list(User.objects.filter(institution__region="HK").values_list("pk", flat=True))
    )
    assert {"accounts_user", "institutions_institution"} <= tables
