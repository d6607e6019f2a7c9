"""The joint meeting keeps its rendered rows (the ``fragments`` cache) under a key holding every value a
row shows (``decisions.meeting_rows.row_key``): a kept row is the freshly rendered one, and any change
to what a row shows is on the next page, whoever looks first."""

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from sciencebridge.decisions.models import PanelRecommendation, SideDecision
from sciencebridge.decisions.services import decisions as dsvc
from sciencebridge.funding.models import HalfState, JointProposal, ProposalHalf
from sciencebridge.review.models import ReviewWindow

from .test_views import _reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def met(dworld, eligible_pair, add_review, ready_to_decide, client):
    """Two reviewed proposals, recommended by both panels, every gate open; the HK officer's page
    seen once (its rows kept)."""
    dworld.first, dworld.second = _reviewed(dworld, eligible_pair, add_review, n=2)
    ready_to_decide(dworld.first, dworld.second)
    dworld.url = reverse("decisions:meeting", args=[dworld.call.code])
    client.force_login(dworld.itc_officer)
    assert client.get(dworld.url).status_code == 200
    return dworld


def _tbody(client, world) -> str:
    body = client.get(world.url).content.decode()
    start = body.index('id="meeting"')
    return body[start : body.index("</tbody>", start)]


def _row(client, world, proposal, **headers) -> str:
    body = client.get(world.url, **headers).content.decode()
    rows = re.findall(rf'<tr data-ref="{proposal.reference}">.*?</tr>', body, flags=re.S)
    assert len(rows) == 1
    return rows[0]


def _cell(row: str, side: str) -> str:
    return re.search(rf'<td class="dec-cell" data-side="{side}">.*?</td>', row, flags=re.S)[0]


def test_a_kept_row_is_the_freshly_rendered_one(met, client):
    fresh = _tbody(client, met)
    assert fresh.count("<tr data-ref=") == 2
    assert len(caches["fragments"]._cache) == 2  # one entry per row
    assert _tbody(client, met) == fresh
    caches["fragments"].clear()
    assert _tbody(client, met) == fresh


def test_a_new_title(met, client):
    JointProposal.objects.filter(pk=met.first.pk).update(title="A renamed joint project")
    assert "A renamed joint project" in _row(client, met, met.first)


def test_a_new_review_changes_the_ranking_shown(met, client, add_review):
    assert "n=2" in _cell(_row(client, met, met.first), "HK")
    add_review(met.first.half("HK"), "Third Reviewer", {"quality": 9, "feasibility": 9})
    assert "n=3" in _cell(_row(client, met, met.first), "HK")


def test_a_changed_recommendation(met, client):
    assert "dec-rec-fund" in _cell(_row(client, met, met.first), "HK")
    PanelRecommendation.objects.filter(half=met.first.half("HK")).update(recommendation="reserve")
    cell = _cell(_row(client, met, met.first), "HK")
    assert "dec-rec-reserve" in cell and "dec-rec-fund" not in cell


def test_a_changed_half_state(met, client):
    ProposalHalf.objects.filter(pk=met.first.half("ML").pk).update(state=HalfState.NOT_FUNDED)
    assert "state-not_funded" in _cell(_row(client, met, met.first), "ML")


def test_a_decision_and_its_amount(met, client):
    dsvc.decide(met.itc_officer, met.first.half("HK"), fund=True, amount=1000, reason="x")
    cell = _cell(_row(client, met, met.first), "HK")
    assert "dec-state-committed" in cell and "1,000" in cell
    SideDecision.objects.filter(half=met.first.half("HK")).update(amount=2500)
    cell = _cell(_row(client, met, met.first), "HK")
    assert "2,500" in cell and "1,000" not in cell
    SideDecision.objects.filter(half=met.first.half("HK")).update(state="declined")
    assert "dec-state-declined" in _cell(_row(client, met, met.first), "HK")


def test_each_officer_sees_the_decide_link_of_their_own_side(met, client):
    decide_hk = reverse("decisions:decide", args=[met.first.reference, "hk"])
    decide_ml = reverse("decisions:decide", args=[met.first.reference, "ml"])
    row = _row(client, met, met.first)
    assert decide_hk in row and decide_ml not in row
    client.force_login(met.most_officer)
    row = _row(client, met, met.first)
    assert decide_ml in row and decide_hk not in row


def test_a_gate_closing_again_shows_why(met, client):
    assert "Decide with an override" not in _row(client, met, met.first)
    ReviewWindow.objects.filter(call=met.call, side="HK").update(
        deadline=timezone.now() + dt.timedelta(days=3)
    )
    cell = _cell(_row(client, met, met.first), "HK")
    assert "The review stage is open until" in cell and "Decide with an override" in cell


def test_the_page_language(met, client):
    assert "Awaiting this side" in _row(client, met, met.first)
    row = _row(client, met, met.first, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert "Awaiting this side" not in row and "等待" in row
