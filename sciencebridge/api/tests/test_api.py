"""The REST API applies the same object-level rules as the pages."""

import pytest
from djmoney.money import Money
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sciencebridge.funding.services import proposals as svc

pytestmark = pytest.mark.django_db


def client_for(user):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


@pytest.fixture
def submitted(world, make_ready_pair):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    svc.submit_half(world.ml_lead, p.half("ML"))
    return p


def test_token_obtained_with_password_and_anonymous_refused(world):
    anon = APIClient()
    assert anon.get("/api/v1/calls/").status_code == 401
    resp = anon.post(
        "/api/v1/auth/token/", {"username": "hk_lead", "password": "pw-123456"}, format="json"
    )
    assert resp.status_code == 200
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION="Token " + resp.json()["token"])
    body = c.get("/api/v1/calls/").json()
    assert body["count"] == 1 and body["results"][0]["code"] == world.call.code


def test_proposals_are_restricted_per_user(world, submitted):
    ref = submitted.reference
    assert [
        p["reference"]
        for p in client_for(world.hk_lead).get("/api/v1/proposals/").json()["results"]
    ] == [ref]
    assert client_for(world.outsider).get("/api/v1/proposals/").json()["count"] == 0
    assert client_for(world.outsider).get(f"/api/v1/proposals/{ref}/").status_code == 404


def test_officer_gets_full_own_half_and_summary_of_partner(world, submitted):
    data = client_for(world.itc_officer).get(f"/api/v1/proposals/{submitted.reference}/").json()
    halves = {h["side"]: h for h in data["halves"]}
    assert halves["HK"]["visibility"] == "full" and halves["HK"]["budget_total"] == "600000.00"
    assert halves["ML"]["visibility"] == "summary" and "budget" not in halves["ML"]


def test_schemes_expose_rules_and_translations(world):
    data = client_for(world.hk_lead).get("/api/v1/schemes/").json()["results"][0]
    assert {s["side"]: s["currency"] for s in data["sides"]} == {"HK": "HKD", "ML": "CNY"}
    assert "name_zh_hant" in data


def test_filters_and_pagination(world, submitted):
    c = client_for(world.itc_officer)
    assert c.get("/api/v1/proposals/?state=submitted").json()["count"] == 1
    assert c.get("/api/v1/proposals/?state=eligible").json()["count"] == 0
    assert c.get("/api/v1/institutions/?region=ML").json()["count"] == 3


def test_schema_is_published(world):
    resp = client_for(world.hk_lead).get("/api/schema/?format=json")
    assert resp.status_code == 200
    assert resp.json()["openapi"].startswith("3.")


@pytest.mark.parametrize("with_area", [True, False])
def test_proposal_json_is_what_drf_builds_field_by_field(world, submitted, with_area):
    """``ProposalSerializer.to_representation`` builds its dict by hand (issue 16): the same keys in
    the same order, and the same values, as DRF's own ``ModelSerializer.to_representation``."""
    from rest_framework import serializers
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from sciencebridge.api.serializers import ProposalSerializer
    from sciencebridge.funding.models import JointProposal, ProjectType, ThematicArea

    p = JointProposal.objects.get(pk=submitted.pk)
    if with_area:
        p.area = ThematicArea.objects.get_or_create(
            scheme=world.scheme, code="ai", defaults={"name": "AI"}
        )[0]
        p.project_type = ProjectType.objects.get_or_create(
            scheme=world.scheme, code="t1", defaults={"name": "T1"}
        )[0]
    else:
        p.area = p.project_type = None
    p.save()
    for user in (world.itc_officer, world.most_officer, world.hk_lead, world.ml_lead):
        request = Request(APIRequestFactory().get("/api/v1/proposals/"))
        request.user = user
        ser = ProposalSerializer(context={"request": request})
        proposal = JointProposal.objects.get(pk=p.pk)
        ours = ser.to_representation(proposal)
        drf = serializers.ModelSerializer.to_representation(ser, proposal)
        assert list(ours.items()) == list(drf.items()), user.username
        assert ours["area"] == ("ai" if with_area else None)
        assert ours["halves"] and ours["created_at"].endswith(("Z", "+08:00", "+00:00"))


def test_the_list_keeps_the_reference_tables_until_one_changes(world, submitted):
    """Calls, areas, types and institutions are kept between requests (``funding.reference_rows``):
    the first computation learns their tables, the second keeps them; a change shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sciencebridge.funding.models import ThematicArea
    from sciencebridge.institutions.models import Institution

    c = client_for(world.itc_officer)

    def listed():
        with CaptureQueriesContext(connection) as ctx:
            body = c.get("/api/v1/proposals/").json()
        read = {
            t
            for t in ('"institutions_institution"', '"funding_thematicarea"', '"funding_call"')
            for q in ctx.captured_queries
            if f"FROM {t}" in q["sql"]
        }
        return body["results"][0], read

    for _ in range(2):
        listed()
    row, read = listed()
    assert read == set() and row["call"] == world.call.code
    institution = submitted.half("HK").institution
    assert {h["side"]: h for h in row["halves"]}["HK"]["institution"] == institution.code
    Institution.objects.filter(pk=institution.pk).update(code="RENAMED")
    area = ThematicArea.objects.create(scheme=world.call.scheme, code="zz", name="A new area")
    type(submitted).objects.filter(pk=submitted.pk).update(area=area)
    row, read = listed()
    assert read and {h["side"]: h for h in row["halves"]}["HK"]["institution"] == "RENAMED"
    assert row["area"] == "zz"


def test_halves_budget_lines_and_attachments_are_listed_in_their_order(world, submitted):
    """The halves by side, a half's budget lines as entered and its attachments by kind
    (``Meta.ordering`` within an owner): the list and the detail read them ordered by their owner's
    id, not by the owner's own order."""
    from sciencebridge.funding.models import Attachment, BudgetLine

    half = submitted.half("HK")
    BudgetLine.objects.create(
        half=half, category="equipment", description="Zeta rig", amount=Money(10, "HKD")
    )
    BudgetLine.objects.create(
        half=half, category="equipment", description="Alpha rig", amount=Money(20, "HKD")
    )
    budget = [line.description for line in BudgetLine.objects.filter(half=half).order_by("id")]
    files = list(
        Attachment.objects.filter(half=half)
        .order_by("kind__code", "id")
        .values_list("original_name", flat=True)
    )
    assert len(budget) >= 3 and budget[-2:] == ["Zeta rig", "Alpha rig"] and files
    for path in ("/api/v1/proposals/", f"/api/v1/proposals/{submitted.reference}/"):
        body = client_for(world.hk_lead).get(path).json()
        row = body["results"][0] if "results" in body else body
        assert [h["side"] for h in row["halves"]] == ["HK", "ML"]
        hk = row["halves"][0]
        assert [line["description"] for line in hk["budget"]] == budget
        assert [a["name"] for a in hk["attachments"]] == files


def test_a_halfs_team_is_listed_in_its_order(world, submitted):
    """By role, then as entered (``TeamMember.Meta.ordering`` within a half), whatever the order of
    the halves (the list reads the members of a page's halves ordered by half id)."""
    from sciencebridge.funding.models import TeamMember, TeamRole

    half = submitted.half("HK")
    for name, role in (("Zed Member", TeamRole.MEMBER), ("Amy Lead", TeamRole.CO_I)):
        TeamMember.objects.create(half=half, name=name, role=role, institution=half.institution)
    expected = [m.name for m in TeamMember.objects.filter(half=half)]
    assert expected.index("Amy Lead") < expected.index("Zed Member")  # by role, not as entered
    for path in ("/api/v1/proposals/", f"/api/v1/proposals/{submitted.reference}/"):
        body = client_for(world.itc_officer).get(path).json()
        row = body["results"][0] if "results" in body else body
        hk = next(h for h in row["halves"] if h["side"] == "HK")
        assert [m["name"] for m in hk["team"]] == expected
