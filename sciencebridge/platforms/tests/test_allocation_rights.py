"""Issue 11: an allocation's rights go to the people it names (or whom the research office names), not
to everyone at the team's institution; object by object, on the pages and in the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.platforms.models import Booking, BookingState
from sciencebridge.platforms.services import facilities as svc

from .conftest import next_slot

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


@pytest.fixture
def team(world, fac):
    """hk_lead (ASTRI) holds the quota; a colleague at ASTRI is not named; a member and a coordinator are."""
    ns = type("Team", (), {})()
    ns.colleague = UserFactory(
        username="astri_colleague", institution=world.astri, roles=[Role.APPLICANT]
    )
    ns.member = UserFactory(
        username="astri_member", institution=world.astri, roles=[Role.APPLICANT]
    )
    ns.partner = UserFactory(
        username="ml_partner", institution=world.tsinghua, roles=[Role.APPLICANT]
    )
    ns.coordinator = UserFactory(
        username="astri_coord", institution=world.astri, roles=[Role.APPLICANT]
    )
    svc.name_person(world.hk_lead, fac.alloc, ns.member)
    svc.name_person(
        world.hk_lead, fac.alloc, ns.partner
    )  # named people need not share the institution
    svc.name_person(world.hk_lead, fac.alloc, ns.coordinator, coordinator=True)
    start = next_slot()
    ns.lead_booking = svc.book(world.hk_lead, fac.alloc, starts_at=start, ends_at=start + H)
    ns.member_booking = svc.book(ns.member, fac.alloc, starts_at=start + H, ends_at=start + 2 * H)
    ns.start = start
    return ns


def _page(client, user, alloc):
    client.force_login(user)
    return client.get(reverse("platforms:allocation", args=[alloc.pk])).status_code


def _api_ids(user, path):
    api = APIClient()
    api.force_authenticate(user)
    return {row["id"] for row in api.get(path).json()["results"]}


def test_institution_colleague_not_named_gets_nothing(world, fac, team, client):
    assert _page(client, team.colleague, fac.alloc) == 404
    assert _api_ids(team.colleague, "/api/v1/facility-allocations/") == set()
    assert _api_ids(team.colleague, "/api/v1/facility-bookings/") == set()
    with pytest.raises(PermissionDenied):
        svc.book(
            team.colleague, fac.alloc, starts_at=team.start + 3 * H, ends_at=team.start + 4 * H
        )
    with pytest.raises(PermissionDenied):
        svc.cancel_booking(team.colleague, team.lead_booking)
    client.force_login(team.colleague)
    assert (
        client.post(reverse("platforms:booking_cancel", args=[team.lead_booking.pk])).status_code
        == 404
    )
    assert Booking.objects.filter(state=BookingState.CONFIRMED).count() == 2
    with pytest.raises(PermissionDenied):
        svc.name_person(team.colleague, fac.alloc, team.colleague)


def test_named_member_sees_and_books_but_cancels_only_own(world, fac, team, client):
    for person in (team.member, team.partner):
        assert _page(client, person, fac.alloc) == 200
        assert _api_ids(person, "/api/v1/facility-allocations/") == {fac.alloc.pk}
        assert _api_ids(person, "/api/v1/facility-bookings/") == {
            team.lead_booking.pk,
            team.member_booking.pk,
        }
    svc.book(team.partner, fac.alloc, starts_at=team.start + 3 * H, ends_at=team.start + 4 * H)
    with pytest.raises(PermissionDenied):
        svc.cancel_booking(team.member, team.lead_booking)
    client.force_login(team.member)
    assert (
        client.post(reverse("platforms:booking_cancel", args=[team.lead_booking.pk])).status_code
        == 403
    )
    html = client.get(reverse("platforms:allocation", args=[fac.alloc.pk])).content.decode()
    # Only the member's own booking offers "Cancel".
    assert reverse("platforms:booking_cancel", args=[team.member_booking.pk]) in html
    assert reverse("platforms:booking_cancel", args=[team.lead_booking.pk]) not in html
    svc.cancel_booking(team.member, team.member_booking)
    team.lead_booking.refresh_from_db()
    assert team.lead_booking.state == BookingState.CONFIRMED


def test_removed_member_loses_access_and_cannot_cancel_own_booking(world, fac, team, client):
    svc.unname_person(world.hk_lead, fac.alloc, team.member)
    assert _page(client, team.member, fac.alloc) == 404
    with pytest.raises(PermissionDenied):
        svc.cancel_booking(team.member, team.member_booking)
    with pytest.raises(PermissionDenied):
        svc.book(team.member, fac.alloc, starts_at=team.start + 5 * H, ends_at=team.start + 6 * H)


def test_requester_and_coordinator_cancel_anyones_booking_and_name_people(world, fac, team):
    svc.cancel_booking(team.coordinator, team.member_booking)
    svc.name_person(team.coordinator, fac.alloc, team.colleague)
    b = svc.book(
        team.colleague, fac.alloc, starts_at=team.start + 3 * H, ends_at=team.start + 4 * H
    )
    svc.cancel_booking(world.hk_lead, b)
    with pytest.raises(PermissionDenied):
        svc.name_person(team.member, fac.alloc, UserFactory(username="friend"))  # not a coordinator


def test_research_office_of_the_team_names_people_but_does_not_book(world, fac, team, client):
    assert _page(client, world.hk_office, fac.alloc) == 200
    assert _api_ids(world.hk_office, "/api/v1/facility-allocations/") == {fac.alloc.pk}
    with pytest.raises(PermissionDenied):
        svc.book(
            world.hk_office, fac.alloc, starts_at=team.start + 3 * H, ends_at=team.start + 4 * H
        )
    client.force_login(world.hk_office)
    resp = client.post(
        reverse("platforms:allocation", args=[fac.alloc.pk]),
        {"action": "name", "name-email": team.colleague.email},
    )
    assert resp.status_code == 302
    assert fac.alloc.members.filter(user=team.colleague).exists()
    for junk in ("abc", "", "9" * 30):  # never a server error
        resp = client.post(
            reverse("platforms:allocation", args=[fac.alloc.pk]), {"action": "unname", "user": junk}
        )
        assert resp.status_code == 404
    # Another institution's research office sees nothing.
    assert _page(client, world.hku_office, fac.alloc) == 404
    assert _api_ids(world.hku_office, "/api/v1/facility-allocations/") == set()


def test_facility_manager_and_secretariat_keep_their_rights(world, fac, team, client):
    assert _page(client, fac.ml_manager, fac.alloc) == 200
    svc.cancel_booking(fac.ml_manager, team.member_booking)
    assert _page(client, fac.secretariat, fac.alloc) == 200
    assert _page(client, fac.hk_manager, fac.alloc) == 404  # manages another facility


def test_named_member_finds_the_allocation_on_the_dashboard(world, fac, team, client):
    client.force_login(team.partner)
    assert (
        reverse("platforms:allocation", args=[fac.alloc.pk])
        in client.get(reverse("core:dashboard")).content.decode()
    )
    client.force_login(team.colleague)
    assert (
        reverse("platforms:allocation", args=[fac.alloc.pk])
        not in client.get(reverse("core:dashboard")).content.decode()
    )
