"""A programme officer with a declared conflict (through their own expert profile) loses the proposal
everywhere funding shows it: the proposal page, the print view and the officer's list."""

import pytest
from django.urls import reverse

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.funding import selectors
from sciencebridge.funding.services import proposals as svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world, make_ready_pair):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    svc.submit_half(world.ml_lead, p.half("ML"))
    svc.endorse(world.hk_office, p.half("HK"))
    ml2 = UserFactory(username="ml_other", institution=world.fudan, roles=[Role.APPLICANT])
    other = make_ready_pair(title="Another proposal, no conflict", ml_lead=ml2)
    svc.submit_half(world.hk_lead, other.half("HK"))
    svc.endorse(world.hk_office, other.half("HK"))
    return p, other


def _declare(officer, **conflict):
    from sciencebridge.experts.models import DeclaredConflict, ExpertProfile, ExpertStatus

    profile = ExpertProfile.objects.create(
        user=officer,
        name_en="Officer Expert",
        region="HK",
        email=officer.email or "o@itc.example",
        status=ExpertStatus.ADMITTED,
    )
    DeclaredConflict.objects.create(expert=profile, reason="former student", **conflict)


def test_a_declared_conflict_hides_the_proposal_from_the_officer(world, submitted, client):
    p, other = submitted
    officer = world.itc_officer
    client.force_login(officer)
    detail = reverse("funding:proposal", args=[p.reference])
    assert client.get(detail).status_code == 200
    assert set(
        selectors.officer_halves(officer, world.call).values_list("proposal_id", flat=True)
    ) == {p.pk, other.pk}

    _declare(officer, person_email=world.ml_lead.email)  # the Mainland lead is on the proposal

    assert client.get(detail).status_code == 404
    assert client.get(reverse("funding:proposal_print", args=[p.reference])).status_code == 404
    listed = set(
        selectors.officer_halves(officer, world.call).values_list("proposal_id", flat=True)
    )
    assert listed == {other.pk}
    assert not selectors.visible_halves(officer).filter(proposal=p).exists()
    # the other officer, without a conflict, still sees it
    assert selectors.visible_proposals(world.most_officer).filter(pk=p.pk).exists()
