"""PostgreSQL's ``timestamptz`` is read with ``datetime.fromisoformat`` (``core.postgresql``), giving
the values Django's own loader gives: the same instants, with Django's ``tzinfo``."""

import datetime as dt
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loaders"),
]

UTC = dt.UTC
TIMESTAMPTZ = 1184


def _loaders():
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    class Djangos(BaseTzLoader):
        timezone = UTC

    connection.ensure_connection()
    conn = connection.connection
    ours = conn.adapters.get_loader(TIMESTAMPTZ, psycopg.pq.Format.TEXT)
    return ours(TIMESTAMPTZ, conn), Djangos(TIMESTAMPTZ, conn)


def test_the_connection_reads_timestamps_with_the_iso_loader_as_django_would():
    from sciencebridge.core.postgresql.base import IsoTzLoader

    values = [
        dt.datetime(2026, 12, 7, 10, 33, 56, 123456, tzinfo=UTC),
        dt.datetime(2026, 1, 1, tzinfo=UTC),
        dt.datetime(1, 1, 1, 0, 0, 1, tzinfo=UTC),
        dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        dt.datetime(2024, 3, 10, 1, 30, 0, 500000, tzinfo=ZoneInfo("America/Los_Angeles")),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["%s::timestamptz"] * len(values)), values)
        row = cursor.fetchone()
    assert row == tuple(values)
    assert all(value.tzinfo is UTC for value in row)
    ours, _ = _loaders()
    assert isinstance(ours, IsoTzLoader)


@pytest.mark.parametrize(
    "text",
    [
        b"2026-12-07 10:33:56.123456+00",
        b"2026-12-07 10:33:56.12+00",
        b"2026-12-07 10:33:56+00",
        b"0001-01-01 00:00:01+00",
        b"2026-12-07 18:00:00+08",  # another offset: Django's loader
        b"2024-03-10 01:30:00.5-08",
        b"2026-12-07 10:33:56+05:30",
    ],
)
def test_each_text_gives_what_djangos_loader_gives(text):
    ours, djangos = _loaders()
    for data in (text, memoryview(text)):
        mine, theirs = ours.load(data), djangos.load(data)
        assert (mine, mine.tzinfo) == (theirs, theirs.tzinfo)


@pytest.mark.parametrize("text", [b"infinity", b"-infinity", b"10000-01-01 00:00:00+00"])
def test_values_a_datetime_cannot_hold_fail_as_with_djangos_loader(text):
    ours, djangos = _loaders()
    with pytest.raises(psycopg.DataError):
        djangos.load(text)
    with pytest.raises(psycopg.DataError):
        ours.load(text)
