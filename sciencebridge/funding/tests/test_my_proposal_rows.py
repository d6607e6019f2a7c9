"""The applicant's own proposals (the "My proposals" page and the dashboard) list each proposal with
its call and each half's state, Hong Kong side first, through the lean ``selectors.my_proposal_rows``."""

import re

import pytest
from django.urls import reverse

from sciencebridge.funding import selectors

from .test_officer_list import _pairs

pytestmark = pytest.mark.django_db


def _rows(body: str) -> dict[str, list[str]]:
    """{reference: the states of the row's badges, in order}."""
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        ref = re.search(r">(M-\d)</a>", row)
        if ref:
            out[ref.group(1)] = re.findall(r'<span class="state state-([a-z_]+)">', row)
    return out


@pytest.fixture
def mine(world):
    _pairs(
        world,
        [
            ("M-1", "First", "submitted", "draft", None, 3),
            ("M-2", "Second", "eligible", "submitted", None, 2),
        ],
    )
    return world


@pytest.mark.parametrize("page", ["funding:my_proposals", "core:dashboard"])
def test_each_half_state_in_side_order(mine, client, page):
    client.force_login(mine.hk_lead)
    body = client.get(reverse(page)).content.decode()
    assert _rows(body) == {"M-1": ["submitted", "draft"], "M-2": ["eligible", "submitted"]}


def test_the_call_is_named_on_my_proposals(mine, client):
    client.force_login(mine.ml_lead)
    body = client.get(reverse("funding:my_proposals")).content.decode()
    assert body.count(f"<td>{mine.call.title}</td>") == 2


def test_the_rows_are_my_proposals_newest_first(mine):
    full = list(selectors.my_proposals(mine.hk_lead))
    lean = list(selectors.my_proposal_rows(mine.hk_lead))
    assert [p.pk for p in lean] == [p.pk for p in full] and len(lean) == 2
    assert [[h.state for h in p.rows_halves] for p in lean] == [
        [h.state for h in p.halves.all()] for p in full
    ]


def test_someone_on_no_proposal_sees_none(world, mine):
    assert list(selectors.my_proposal_rows(world.itc_officer)) == []


def test_the_dashboards_first_rows_are_the_first_of_my_proposal_rows(world):
    from sciencebridge.funding.models import JointProposal
    from sciencebridge.funding.tests.test_officer_conflicts import _declare

    states = ["draft", "submitted", "eligible"]
    _pairs(
        world,
        [(f"M-{i}", f"No. {i}", states[i % 3], states[(i + 1) % 3], None, 1) for i in range(23)],
    )
    # an officer on one proposal's team, with a declared conflict with its lead: still theirs
    officer = world.itc_officer
    theirs = JointProposal.objects.get(reference="M-7")
    theirs.half("HK").team.create(name="Officer", role="member", user=officer)
    _declare(officer, person_email=world.hk_lead.email)
    for user in (world.hk_lead, world.ml_lead, officer, world.outsider):
        expected = list(selectors.my_proposal_rows(user)[: selectors.DASHBOARD_ROWS])
        first = selectors.first_own_proposal_rows(user)
        assert [p.pk for p in first] == [p.pk for p in expected]
        assert [[(h.side, h.state) for h in p.rows_halves] for p in first] == [
            [(h.side, h.state) for h in p.rows_halves] for p in expected
        ]
    assert len(selectors.first_own_proposal_rows(world.hk_lead)) == selectors.DASHBOARD_ROWS
    assert [p.reference for p in selectors.first_own_proposal_rows(officer)] == ["M-7"]
    assert selectors.first_own_proposal_rows(world.outsider) == []
