"""PostgreSQL prepares the queries a connection runs often (settings: POSTGRES_PREPARED_STATEMENTS),
so it parses and plans each of them once per connection instead of once per request (issue 16)."""

import secrets

import pytest
from django.db import connection
from django.db.models import Value

from sciencebridge.core.testing.factories import InstitutionFactory
from sciencebridge.institutions.models import Institution

from .test_settings import _settings

pytestmark = pytest.mark.django_db


def _prepared(marker: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{marker}%"],
        )
        return [row[0] for row in cur.fetchall()]


def _query(marker: str):
    # the annotation's name makes the statement's text this test's own
    return Institution.objects.annotate(**{marker: Value(1)}).filter(code="none-such")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_query_run_often_on_a_connection_is_prepared_on_the_server():
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    often, once = f"often_{secrets.token_hex(4)}", f"once_{secrets.token_hex(4)}"
    list(_query(once))
    for _ in range(threshold):
        assert not _prepared(often)
        list(_query(often))
    list(_query(often))  # past the threshold
    assert len(_prepared(often)) == 1
    assert _prepared(once) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_statement_over_the_protocols_parameter_limit_is_bound_on_the_client():
    # Django sends bulk_create and pk__in=[...] whole; the protocol carries 65,535 parameters
    from sciencebridge.core.postgresql.base import MAX_SERVER_PARAMETERS

    first = InstitutionFactory().pk
    ids = [first, *range(-1, -MAX_SERVER_PARAMETERS - 10, -1)]
    assert len(ids) > MAX_SERVER_PARAMETERS
    assert list(Institution.objects.filter(pk__in=ids).values_list("pk", flat=True)) == [first]
    assert Institution.objects.filter(pk__in=ids[:100]).count() == 1


def test_prepared_statements_are_on_by_default_and_can_be_turned_off(tmp_path):
    pg = "postgres://u@db.invalid:5432/x"  # settings are read, no connection is made
    names = ["DATABASES"]
    default = _settings(tmp_path, names, DEBUG="true", DATABASE_URL=pg)["DATABASES"]["default"]
    assert default["ENGINE"] == "sciencebridge.core.postgresql"
    assert default["OPTIONS"]["server_side_binding"] is True
    assert default["OPTIONS"]["prepare_threshold"] == 5
    off = _settings(
        tmp_path, names, DEBUG="true", DATABASE_URL=pg, POSTGRES_PREPARED_STATEMENTS="false"
    )
    assert "prepare_threshold" not in off["DATABASES"]["default"]["OPTIONS"]
    assert "server_side_binding" not in off["DATABASES"]["default"]["OPTIONS"]
    assert off["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
