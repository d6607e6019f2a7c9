"""Object-by-object visibility: who sees which proposal half, in lists and on detail pages."""

import pytest
from django.urls import reverse

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import AgencyFactory, UserFactory
from sciencebridge.funding.rules import half_visibility
from sciencebridge.funding.selectors import officer_halves, visible_proposals
from sciencebridge.funding.services import proposals as svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_pair(world, make_ready_pair):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    svc.submit_half(world.ml_lead, p.half("ML"))
    return p


def test_applicant_sees_only_proposals_they_are_on(world, make_ready_pair, client):
    mine = make_ready_pair()
    other_lead = UserFactory(username="hk2", institution=world.astri, roles=[Role.APPLICANT])
    other_ml = UserFactory(username="ml2", institution=world.fudan, roles=[Role.APPLICANT])
    theirs = make_ready_pair(title="Someone else's", hk_lead=other_lead, ml_lead=other_ml)
    assert list(visible_proposals(world.hk_lead)) == [mine]
    client.force_login(world.hk_lead)
    assert client.get(reverse("funding:proposal", args=[mine.reference])).status_code == 200
    assert client.get(reverse("funding:proposal", args=[theirs.reference])).status_code == 404
    client.force_login(world.outsider)
    assert client.get(reverse("funding:proposal", args=[mine.reference])).status_code == 404


def test_research_office_sees_only_its_institution_and_not_drafts(world, make_ready_pair):
    p = make_ready_pair()
    assert not visible_proposals(world.hk_office).exists()  # still a draft
    svc.submit_half(world.hk_lead, p.half("HK"))
    assert list(visible_proposals(world.hk_office)) == [p]
    assert not visible_proposals(world.hku_office).exists()
    assert half_visibility(world.hk_office, p.half("HK")) == "full"


def test_officer_sees_own_agency_half_and_partner_as_scheme_shares(world, submitted_pair):
    p = submitted_pair
    hk, ml = p.half("HK"), p.half("ML")
    assert half_visibility(world.itc_officer, hk) == "full"
    assert half_visibility(world.itc_officer, ml) == "summary"  # the scheme shares a summary
    side = world.scheme.side("ML")
    side.partner_visibility = "status"
    side.save()
    p2 = type(p).objects.get(pk=p.pk)
    assert half_visibility(world.most_officer, p2.half("HK")) == "status"
    rgc = AgencyFactory(code="rgc", name="RGC", region="HK", currency="HKD")
    stranger = UserFactory(username="rgc_officer", agency=rgc, roles=[Role.PROGRAMME_OFFICER])
    assert not visible_proposals(stranger).exists()
    assert list(officer_halves(world.itc_officer, world.call)) == [hk]
    assert list(officer_halves(world.most_officer, world.call)) == [ml]


def test_officer_does_not_see_unsubmitted_half(world, make_ready_pair):
    p = make_ready_pair()
    assert half_visibility(world.itc_officer, p.half("HK")) is None
    assert not officer_halves(world.itc_officer, world.call).exists()


def test_partner_summary_hides_budget_and_attachments(world, submitted_pair, client):
    client.force_login(world.itc_officer)
    html = client.get(reverse("funding:proposal", args=[submitted_pair.reference])).content.decode()
    ml_section = html.split('id="half-ml"')[1].split("</section>")[0]
    assert "500,000" not in ml_section and "proposal.pdf" not in ml_section
    hk_section = html.split('id="half-hk"')[1].split("</section>")[0]
    assert "600,000" in hk_section


def test_attachment_download_checks_visibility(world, submitted_pair, client):
    att = submitted_pair.half("ML").attachments.get()
    url = att.file.url  # the permission-checked file route (core/files.py)
    client.force_login(world.itc_officer)  # partner agency: summary only
    assert client.get(url).status_code == 404
    client.force_login(world.most_officer)
    resp = client.get(url)
    assert resp.status_code == 200 and b"".join(resp.streaming_content).startswith(b"%PDF-")
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


def test_officer_list_forbidden_to_applicants(world, client):
    client.force_login(world.hk_lead)
    assert (
        client.get(reverse("funding:officer_proposals", args=[world.call.code])).status_code == 403
    )


def test_officer_list_forbidden_to_an_agency_outside_the_call(world, submitted_pair, client):
    """Issue 11 (workflow gates): an officer of an agency not in the call's scheme gets 403, not an empty list."""
    rgc_officer = UserFactory(
        username="rgc-officer",
        agency=AgencyFactory(code="rgc-x", region="HK"),
        roles=[Role.PROGRAMME_OFFICER],
    )
    url = reverse("funding:officer_proposals", args=[world.call.code])
    client.force_login(rgc_officer)
    assert client.get(url).status_code == 403
    client.force_login(world.itc_officer)
    assert client.get(url).status_code == 200


def test_screen_page_forbidden_to_other_agency(world, submitted_pair, client):
    client.force_login(world.most_officer)
    assert (
        client.get(reverse("funding:screen", args=[submitted_pair.reference, "hk"])).status_code
        == 403
    )


def test_applicant_timeline_hides_internal_notes(world, submitted_pair, client):
    from django.contrib.contenttypes.models import ContentType

    from sciencebridge.core.models import StateTransition

    hk = submitted_pair.half("HK")
    StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(hk),
        object_id=hk.pk,
        from_state="submitted",
        to_state="submitted",
        reason="INTERNAL-NOTE",
        visible_to_applicant=False,
    )
    client.force_login(world.hk_lead)
    assert (
        "INTERNAL-NOTE"
        not in client.get(
            reverse("funding:proposal", args=[submitted_pair.reference])
        ).content.decode()
    )
    client.force_login(world.itc_officer)
    assert (
        "INTERNAL-NOTE"
        in client.get(reverse("funding:proposal", args=[submitted_pair.reference])).content.decode()
    )
