"""API: decisions per half, with the same object rules as the pages."""

import pytest
from rest_framework.test import APIClient

from sciencebridge.decisions.services import decisions as dsvc

pytestmark = pytest.mark.django_db


def _get(user, **params):
    c = APIClient()
    c.force_authenticate(user)
    resp = c.get("/api/v1/decisions/", params)
    assert resp.status_code == 200
    return resp.json()["results"] if isinstance(resp.json(), dict) else resp.json()


def test_decisions_api_visibility(dworld, eligible_pair, ready_to_decide):
    p1, p2 = eligible_pair(), eligible_pair()
    ready_to_decide(p1, p2)
    dsvc.decide(dworld.itc_officer, p1.half("HK"), fund=True, amount=600000, reason="internal note")
    dsvc.decide(dworld.itc_officer, p2.half("HK"), fund=True, amount=500000, reason="internal note")
    dsvc.decide(dworld.most_officer, p2.half("ML"), fund=True, amount=400000, reason="x")
    itc = _get(dworld.itc_officer)
    assert {(d["proposal"], d["side"], d["state"]) for d in itc} == {
        (p1.reference, "HK", "committed"),
        (p2.reference, "HK", "awarded"),
    }
    assert _get(dworld.itc_officer, state="awarded")[0]["amount"] == "500000.00"
    most = _get(dworld.most_officer)
    assert [(d["side"], d["currency"]) for d in most] == [("ML", "CNY")]
    # Applicants see only final decisions on their own proposals; a pending commitment stays internal.
    assert _get(dworld.hk_lead) == []  # p1 is dworld.hk_lead's; its HK decision awaits the partner
    lead2 = p2.half("HK").lead
    rows = _get(lead2)
    assert {(d["side"], d["state"]) for d in rows} == {("HK", "awarded"), ("ML", "awarded")}
    assert all("reason" not in d for d in rows)
    assert _get(dworld.outsider) == [] and _get(dworld.chair) == []
    anon = APIClient().get("/api/v1/decisions/")
    assert anon.status_code in (401, 403)
