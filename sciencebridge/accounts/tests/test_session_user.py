"""The signed-in user of each request comes with their agency (``accounts.backends.get_user``), which
officers' pages name; an inactive or unknown user is no one, as with Django's own backend."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciencebridge.accounts.backends import EmailOrUsernameBackend
from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_agency(world):
    with CaptureQueriesContext(connection) as ctx:
        user = EmailOrUsernameBackend().get_user(world.itc_officer.pk)
        assert user == world.itc_officer and user.agency.name == world.itc.name
    assert len(ctx.captured_queries) == 1


def test_an_inactive_or_unknown_user_is_no_one():
    gone = UserFactory(is_active=False)
    assert EmailOrUsernameBackend().get_user(gone.pk) is None
    assert EmailOrUsernameBackend().get_user(gone.pk + 1000) is None


def test_the_officers_list_names_the_agency_without_reading_it_again(world, client):
    client.force_login(world.itc_officer)
    url = reverse("funding:officer_proposals", args=[world.call.code])
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    assert world.itc.name in html
    agency_reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT "institutions_institution"."id"')
        and f'"institutions_institution"."id" = {world.itc.pk}' in q["sql"]
    ]
    assert agency_reads == []


@pytest.mark.parametrize("roles", [[], [Role.APPLICANT], [Role.PROGRAMME_OFFICER, Role.EXPERT]])
def test_the_user_comes_with_their_roles(world, roles):
    person = UserFactory(institution=world.hku, roles=roles)
    with CaptureQueriesContext(connection) as ctx:
        user = EmailOrUsernameBackend().get_user(person.pk)
        assert user.role_codes == frozenset(roles)
        assert all(user.has_role(role) for role in roles) and not user.has_role(Role.SECRETARIAT)
    assert len(ctx.captured_queries) == 1


def test_a_role_taken_away_is_gone_on_the_next_request(world, client):
    client.force_login(world.itc_officer)
    url = reverse("funding:officer_proposals", args=[world.call.code])
    assert client.get(url).status_code == 200
    world.itc_officer.groups.clear()
    assert client.get(url).status_code == 403


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.parametrize("who", ["itc_officer", "hk_lead"])
def test_the_user_compiled_once_is_the_user_the_orm_reads(world, who):
    """``get_user`` sends SQL compiled once (``core.precompiled``): every column of the user and of
    their agency as the ORM reads them, on every request, not only the first."""
    person = getattr(world, who)
    for _ in range(2):
        user = EmailOrUsernameBackend().get_user(person.pk)
        fresh = type(person).objects.select_related("agency").get(pk=person.pk)
        assert _fields(user) == _fields(fresh)
        assert (user.agency and _fields(user.agency)) == (fresh.agency and _fields(fresh.agency))
    assert user.role_codes == frozenset(fresh.groups.values_list("name", flat=True))
