"""``field__any=[ids]`` (``core.lookups``) finds what ``field__in=ids`` finds, with the id list as
one array parameter on PostgreSQL, whatever its length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciencebridge.core.testing.factories import InstitutionFactory
from sciencebridge.institutions.models import Institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def institutions():
    return [InstitutionFactory() for _ in range(5)]


def _pks(qs):
    return sorted(qs.values_list("pk", flat=True))


def test_finds_what_in_finds(institutions):
    ids = [
        institutions[3].pk,
        institutions[0].pk,
        institutions[3].pk,
        10**9,
    ]  # unordered, repeated, absent
    assert _pks(Institution.objects.filter(pk__any=ids)) == _pks(
        Institution.objects.filter(pk__in=ids)
    )
    assert _pks(Institution.objects.filter(pk__any=ids)) == sorted(
        [institutions[0].pk, institutions[3].pk]
    )
    # ids as strings (from a query string) are converted as ``__in`` converts them
    assert _pks(Institution.objects.filter(pk__any=[str(institutions[1].pk)])) == [
        institutions[1].pk
    ]


def test_on_a_foreign_key(world):
    from sciencebridge.accounts.models import User

    agency = world.itc
    expected = _pks(User.objects.filter(agency__in=[agency.pk]))
    assert expected  # the world has officers of the agency
    assert _pks(User.objects.filter(agency__any=[agency.pk])) == expected
    assert _pks(User.objects.exclude(agency__any=[agency.pk])) == _pks(
        User.objects.exclude(agency__in=[agency.pk])
    )


def test_an_empty_list_finds_nothing_without_a_query(institutions):
    with CaptureQueriesContext(connection) as ctx:
        assert list(Institution.objects.filter(pk__any=[])) == []
    assert len(ctx.captured_queries) == 0


def test_not_an_id_is_refused():
    with pytest.raises(ValueError):
        Institution.objects.filter(pk__any=["abc"])


def test_one_parameter_on_postgresql_whatever_the_length(institutions):
    ids = [i.pk for i in institutions]
    with CaptureQueriesContext(connection) as ctx:
        assert _pks(Institution.objects.filter(pk__any=ids)) == sorted(ids)
        assert _pks(
            Institution.objects.filter(pk__any=[*ids, *range(10**9, 10**9 + 70_000)])
        ) == sorted(ids)
    first, long = (q["sql"] for q in ctx.captured_queries)
    if connection.vendor == "postgresql":
        assert "= ANY(" in first and " IN (" not in first
    else:
        assert " IN (" in first
