"""``proposal_lookup.visible_proposal``: the proposal pages' read gives, for every user and every
proposal, what ``visible_proposals`` gives (conflicts included), with the same rows in the same
order, read without a query afterwards."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.funding.proposal_lookup import visible_proposal
from sciencebridge.funding.selectors import visible_proposals
from sciencebridge.funding.services import proposals as svc

from .test_officer_conflicts import _declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(world, make_ready_pair):
    """A draft, a pair with its Hong Kong half submitted and endorsed, a pair submitted on both
    sides, and a pair that the ITC officer has a conflict with."""
    draft = make_ready_pair(title="Still a draft")
    ml2 = UserFactory(username="ml2", institution=world.fudan, roles=[Role.APPLICANT])
    hk_only = make_ready_pair(title="Hong Kong half in", ml_lead=ml2)
    svc.submit_half(world.hk_lead, hk_only.half("HK"))
    svc.endorse(world.hk_office, hk_only.half("HK"))
    both = make_ready_pair(title="Both halves in")
    svc.submit_half(world.hk_lead, both.half("HK"))
    svc.submit_half(world.ml_lead, both.half("ML"))
    conflicted = make_ready_pair(title="Conflicted", ml_lead=ml2)
    svc.submit_half(world.hk_lead, conflicted.half("HK"))
    svc.endorse(world.hk_office, conflicted.half("HK"))
    _declare(world.itc_officer, person_email=ml2.email)
    return [draft, hk_only, both, conflicted]


@pytest.fixture
def users(world):
    """Every kind of viewer; the last, an ITC officer without the conflict."""
    officer_applicant = UserFactory(
        username="officer_applicant",
        agency=world.most,
        institution=world.tsinghua,
        roles=[Role.PROGRAMME_OFFICER, Role.APPLICANT, Role.RESEARCH_OFFICE],
    )
    return [
        AnonymousUser(),
        UserFactory(username="root", is_superuser=True),
        world.hk_lead,
        world.ml_lead,
        world.hk_office,
        world.hku_office,
        world.itc_officer,
        world.most_officer,
        world.outsider,
        officer_applicant,
        UserFactory(username="itc2", agency=world.itc, roles=[Role.PROGRAMME_OFFICER]),
    ]


def test_every_user_opens_exactly_the_proposals_visible_proposals_gives(world, proposals, users):
    references = [p.reference for p in proposals] + ["NO-SUCH-REF"]
    seen = 0
    for user in users:
        for reference in references:
            expected = visible_proposals(user).filter(reference=reference).first()
            found = visible_proposal(user, reference)
            assert (found and found.pk) == (expected and expected.pk), (user, reference)
            seen += found is not None
    # the conflict hides a proposal from the ITC officer that another ITC officer still sees
    conflicted = proposals[3].reference
    assert visible_proposal(world.itc_officer, conflicted) is None
    assert visible_proposal(users[-1], conflicted) is not None
    assert visible_proposal(world.hk_office, proposals[0].reference) is None  # a draft
    assert seen > 10


def test_the_rows_are_the_prefetches_rows_and_need_no_query(world, proposals):
    for user in (world.hk_lead, world.itc_officer):
        reference = proposals[2].reference
        expected = visible_proposals(user).get(reference=reference)
        found = visible_proposal(user, reference)
        with CaptureQueriesContext(connection) as ctx:
            halves = list(found.halves.all())
            teams = [[(m.pk, m.institution_id) for m in h.team.all()] for h in halves]
            sides = sorted(s.pk for s in found.call.scheme.sides.all())
            owners = {h.proposal is found for h in halves}
            names = (found.call.code, found.area.pk, found.project_type.pk)
            leads = [(h.lead.pk, h.institution.pk, h.agency.pk) for h in halves]
        assert len(ctx.captured_queries) == 0
        assert [h.pk for h in halves] == [h.pk for h in expected.halves.all()]
        assert [h.side for h in halves] == ["HK", "ML"]
        assert teams == [
            [(m.pk, m.institution_id) for m in h.team.all()] for h in expected.halves.all()
        ]
        assert any(teams)
        assert sides == sorted(s.pk for s in expected.call.scheme.sides.all())
        assert owners == {True}
        assert names == (expected.call.code, expected.area.pk, expected.project_type.pk)
        assert leads == [(h.lead.pk, h.institution.pk, h.agency.pk) for h in expected.halves.all()]
        # a query on the prefetched relation stays the proposal's own
        assert {h.proposal_id for h in found.halves.filter(side="ML")} == {found.pk}
