"""Issue 11, item 2: nobody acquires an institution by claiming it. A claim grants nothing until it is
verified by a confirmed address at the institution's e-mail domain or by its research office."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sciencebridge.accounts.models import (
    AffiliationMethod,
    AffiliationRequest,
    AffiliationState,
    User,
)
from sciencebridge.accounts.roles import Role
from sciencebridge.accounts.services import affiliations as svc
from sciencebridge.core.models import StateTransition
from sciencebridge.core.testing.factories import UserFactory

from .conftest import last_link, register

pytestmark = pytest.mark.django_db


def test_registration_claim_grants_no_institution(world, client, registered):
    user = registered("mei.chan@gmail.com", world.astri)
    assert user.is_active and user.institution is None and user.institution_id is None
    req = AffiliationRequest.objects.get(user=user)
    assert req.institution == world.astri and req.state == AffiliationState.PENDING
    assert user.pending_affiliation == req
    assert user.has_role(Role.APPLICANT)  # an unaffiliated applicant


def test_unverified_claimant_gets_no_institution_rights(world, client, registered):
    """The exploit of the report: claim ASTRI, then read its allocations, book and cancel on its quota."""
    from sciencebridge.funding.services import proposals as fsvc
    from sciencebridge.platforms.models import Facility, Platform
    from sciencebridge.platforms.services import facilities as psvc

    lab = Platform.objects.create(code="lab", kind="other", name="Lab")
    nmr = Facility.objects.create(
        platform=lab, code="nmr", name="NMR", kind="instrument", region="HK"
    )
    manager = UserFactory(username="mgr")
    nmr.managers.add(manager)
    alloc = psvc.request_allocation(
        world.hk_lead, nmr, project_reference="P1", hours_requested=10, purpose="x"
    )
    psvc.decide_allocation(manager, alloc, approve=True)
    import datetime as dt

    from django.utils import timezone

    start = (timezone.localtime() + dt.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    booking = psvc.book(
        world.hk_lead, alloc, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )

    mallory = registered("mallory@evil.example", world.astri)
    client.force_login(mallory)
    assert client.get(reverse("platforms:allocation", args=[alloc.pk])).status_code == 404
    assert client.post(reverse("platforms:booking_cancel", args=[booking.pk])).status_code == 404
    api = client.get("/api/v1/facility-allocations/").json()
    assert api["count"] == 0
    assert client.get("/api/v1/facility-bookings/").json()["count"] == 0
    with pytest.raises(PermissionDenied):
        psvc.book(
            mallory,
            alloc,
            starts_at=start + dt.timedelta(days=1),
            ends_at=start + dt.timedelta(days=1, hours=1),
        )
    with pytest.raises(PermissionDenied):
        psvc.request_allocation(
            mallory, nmr, project_reference="P2", hours_requested=Decimal(5), purpose="x"
        )
    with pytest.raises(
        (PermissionDenied, ValidationError)
    ):  # cannot lead a proposal half for ASTRI either
        fsvc.create_proposal(mallory, world.call, title="t", abstract="a", duration_months=12)
    booking.refresh_from_db()
    assert booking.state == "confirmed"


def test_email_domain_verifies_on_activation(world, client):
    world.astri.email_domains = "astri.org"
    world.astri.save()
    register(client, "Mei.Chan@ASTRI.org", world.astri)
    user = User.objects.get(email="mei.chan@astri.org")
    assert (
        not user.is_active and user.institution is None
    )  # nothing before the address is confirmed
    assert (
        client.get(last_link("activate")).status_code == 200
    )  # a page with a button, no change on GET
    user.refresh_from_db()
    assert not user.is_active
    client.post(last_link("activate"))
    user.refresh_from_db()
    assert user.is_active and user.institution == world.astri
    assert (
        user.affiliation_method == AffiliationMethod.EMAIL_DOMAIN
        and user.affiliation_verified_by == user
    )
    req = AffiliationRequest.objects.get(user=user)
    assert req.state == AffiliationState.VERIFIED and req.method == AffiliationMethod.EMAIL_DOMAIN
    steps = StateTransition.objects.filter(
        content_type__model="affiliationrequest", object_id=req.pk
    ).order_by("id")
    assert [(s.to_state, s.actor_id) for s in steps] == [
        ("pending", user.pk),
        ("verified", user.pk),
    ]


def test_subdomain_only_when_listed_with_wildcard(world):
    world.hku.email_domains = "hku.hk\n*.med.hku.hk, @CONNECT.hku.hk"
    assert world.hku.owns_email("a@hku.hk") and world.hku.owns_email("a@x.med.hku.hk")
    assert world.hku.owns_email("a@med.hku.hk") and world.hku.owns_email("a@connect.hku.hk")
    assert not world.hku.owns_email("a@evil-hku.hk") and not world.hku.owns_email(
        "a@hku.hk.evil.example"
    )
    assert not world.hku.owns_email("a@cs.hku.hk") and not world.hku.owns_email("hku.hk")


def test_profile_request_confirmed_by_link(world, client, registered):
    world.hku.email_domains = "hku.hk"
    world.hku.save()
    user = registered("wong@hku.hk", world.astri)  # claimed ASTRI: pending with ASTRI's office
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="affiliation-unverified"' in html and "ASTRI" in html
    resp = client.post(
        reverse("accounts:profile"), {"action": "affiliation", "institution": world.hku.pk}
    )
    assert resp.status_code == 302
    assert (
        AffiliationRequest.objects.get(user=user, institution=world.astri).state
        == AffiliationState.WITHDRAWN
    )
    link = last_link("affiliation/confirm")
    client.logout()
    client.post(link)
    user.refresh_from_db()
    assert (
        user.institution == world.hku and user.affiliation_method == AffiliationMethod.EMAIL_DOMAIN
    )
    assert client.post(link).status_code == 400  # used


def test_confirmation_link_refused_when_expired_or_address_changed(
    world, client, registered, settings
):
    world.hku.email_domains = "hku.hk"
    world.hku.save()
    user = registered("lee@hku.hk", world.astri)
    req = svc.request_affiliation(user, world.hku)
    token = svc.confirmation_token(req)
    user.email = "lee@gmail.com"
    user.save()
    assert client.post(reverse("accounts:confirm_affiliation", args=[token])).status_code == 400
    user.email = "lee@hku.hk"
    user.save()
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert client.post(reverse("accounts:confirm_affiliation", args=[token])).status_code == 400
    assert (
        client.post(reverse("accounts:confirm_affiliation", args=["forged:token"])).status_code
        == 400
    )
    user.refresh_from_db()
    assert user.institution is None


def test_research_office_decides_for_its_own_institution_only(world, client, registered):
    user = registered("chan@gmail.com", world.astri)
    req = AffiliationRequest.objects.get(user=user)
    # HKU's office neither sees nor decides ASTRI's request.
    client.force_login(world.hku_office)
    assert (
        "chan@gmail.com"
        not in client.get(reverse("accounts:affiliation_requests")).content.decode()
    )
    resp = client.post(
        reverse("accounts:affiliation_requests"),
        {"request": req.pk, f"r{req.pk}-decision": "approve"},
    )
    assert resp.status_code == 404
    for junk in ("abc", "1\x00", ""):  # never a server error; a NUL is refused by the request guard
        expected = 400 if "\x00" in junk else 404
        assert (
            client.post(reverse("accounts:affiliation_requests"), {"request": junk}).status_code
            == expected
        )
    # A plain applicant has no such page.
    client.force_login(world.hk_lead)
    assert client.get(reverse("accounts:affiliation_requests")).status_code == 403
    # ASTRI's office: a rejection needs a reason; then approve.
    client.force_login(world.hk_office)
    html = client.get(reverse("accounts:affiliation_requests")).content.decode()
    assert "chan@gmail.com" in html and "not an institutional address" in html
    client.post(
        reverse("accounts:affiliation_requests"),
        {"request": req.pk, f"r{req.pk}-decision": "reject"},
    )
    req.refresh_from_db()
    assert req.state == AffiliationState.PENDING
    client.post(
        reverse("accounts:affiliation_requests"),
        {"request": req.pk, f"r{req.pk}-decision": "approve", f"r{req.pk}-reason": "Known to us"},
    )
    req.refresh_from_db()
    user.refresh_from_db()
    assert (
        req.state == AffiliationState.VERIFIED
        and req.decided_by == world.hk_office
        and req.decided_at
    )
    assert (
        user.institution == world.astri
        and user.affiliation_method == AffiliationMethod.RESEARCH_OFFICE
    )
    assert user.affiliation_verified_by == world.hk_office
    assert "is verified" in mail.outbox[-1].subject


def test_rejection_with_reason_is_shown_to_the_person(world, client, registered):
    user = registered("x@gmail.com", world.astri)
    req = AffiliationRequest.objects.get(user=user)
    svc.decide(world.hk_office, req, approve=False, reason="Not on our staff list")
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Not on our staff list" in html and 'id="affiliation-unverified"' in html
    user.refresh_from_db()
    assert user.institution is None


def test_unverified_research_office_cannot_decide(world, client, registered):
    office = registered("office@gmail.com", world.astri)
    office.grant_role(Role.RESEARCH_OFFICE)  # the role alone, without a verified institution
    other = registered("other@gmail.com", world.astri)
    req = AffiliationRequest.objects.get(user=other)
    with pytest.raises(PermissionDenied):
        svc.decide(office, req, approve=True)
    client.force_login(office)
    assert client.get(reverse("accounts:affiliation_requests")).status_code == 403


def test_database_refuses_institution_without_verification_record(world):
    u = User(username="raw", email="raw@example.org", institution=world.astri)
    with pytest.raises(IntegrityError), transaction.atomic():
        u.save()


def test_factory_seed_and_admin_affiliations_are_recorded(world, admin_client):
    assert (
        world.hk_lead.institution == world.astri
        and world.hk_lead.affiliation_method == AffiliationMethod.SEEDED
    )
    u = UserFactory(username="plain")
    resp = admin_client.get(reverse("admin:accounts_user_change", args=[u.pk]))
    form = resp.context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("groups", "user_permissions", "password", "last_login")
    }
    data.update(
        {"institution": world.hku.pk, "date_joined_0": "2026-01-01", "date_joined_1": "10:00"}
    )
    resp = admin_client.post(reverse("admin:accounts_user_change", args=[u.pk]), data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors
    u.refresh_from_db()
    admin = User.objects.get(username="admin")
    assert u.institution == world.hku and u.affiliation_method == AffiliationMethod.ADMINISTRATOR
    assert u.affiliation_verified_by == admin


def test_dashboard_shows_unverified_state(world, client, registered):
    user = registered("d@gmail.com", world.astri)
    client.force_login(user)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="affiliation-unverified"' in html and "Its research office decides." in html
    client.force_login(world.hk_office)
    assert (
        "1 person waits for you to verify" in client.get(reverse("core:dashboard")).content.decode()
    )


def test_rules_and_selectors_read_only_the_verified_affiliation():
    """Rights come from ``user.institution`` (verified only). No rule or selector may read a claim."""
    root = Path(__file__).resolve().parents[2]
    claim = re.compile(r"AffiliationRequest|affiliation_requests|pending_affiliation")
    offenders = [
        str(p.relative_to(root))
        for name in ("rules.py", "selectors.py")
        for p in root.glob(f"*/{name}")
        if p.parent.name != "accounts" and claim.search(p.read_text())
    ]
    assert offenders == []


def test_demo_users_are_created_verified(world):
    from sciencebridge.platforms.demo import _user

    u = _user("demo.facility", "Ada", "Lam", "林", "hku")
    assert u.institution == world.hku and u.affiliation_method == AffiliationMethod.SEEDED
    assert u.affiliation_verified_at is not None
