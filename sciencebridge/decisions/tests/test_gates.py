"""Issue 11: decisions only after the call's review stage closes and the panel has recommended (or an
override with a recorded reason); the "Decide" button only when the same gates allow it; officers of an
agency outside the call's scheme get 403, not an empty page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sciencebridge.accounts.roles import Role
from sciencebridge.core.models import StateTransition
from sciencebridge.core.testing.factories import AgencyFactory, UserFactory
from sciencebridge.decisions.models import DecisionState, SideDecision
from sciencebridge.decisions.services import decisions as dsvc
from sciencebridge.decisions.services import gates
from sciencebridge.decisions.services import panel as psvc
from sciencebridge.funding.models import Call, HalfState
from sciencebridge.review.models import ReviewWindow

pytestmark = pytest.mark.django_db


def _close_call(dworld):
    Call.objects.filter(pk=dworld.call.pk).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    dworld.call.refresh_from_db()


def test_no_decision_while_the_call_is_open_or_before_the_panel(dworld, eligible_pair):
    p = eligible_pair()
    hk = p.half("HK")
    with pytest.raises(ValidationError) as exc:
        dsvc.decide(dworld.itc_officer, hk, fund=True, amount=1000, reason="Too early.")
    msg = " ".join(exc.value.message_dict["override_reason"])
    assert "still open for proposals" in msg and "no review deadline is set" in msg
    assert "panel has not recorded its recommendation" in msg
    assert not SideDecision.objects.filter(half=hk).exclude(state="").exists()
    hk.refresh_from_db()
    assert hk.state == HalfState.ELIGIBLE

    # The call closes, but the review stage is still open.
    _close_call(dworld)
    ReviewWindow.objects.create(
        call=dworld.call, side="HK", deadline=timezone.now() + dt.timedelta(days=3)
    )
    assert any("review stage is open until" in b for b in gates.decision_blockers(p.half("HK")))
    # The review stage closes: only the panel recommendation is missing.
    ReviewWindow.objects.filter(call=dworld.call, side="HK").update(
        deadline=timezone.now() - dt.timedelta(hours=1)
    )
    assert gates.decision_blockers(p.half("HK")) == [
        "The panel has not recorded its recommendation on this half."
    ]
    psvc.appoint_chair(dworld.itc_officer, psvc.panel_for(dworld.call, "HK"), dworld.chair)
    psvc.record_recommendation(
        dworld.chair, p.half("HK"), recommendation="fund", notes="Discussed."
    )
    assert gates.decision_blockers(p.half("HK")) == []
    d = dsvc.decide(
        dworld.itc_officer, p.half("HK"), fund=True, amount=1000, reason="Panel recommends."
    )
    assert d.state == DecisionState.COMMITTED and "Override" not in d.reason


def test_override_with_a_reason_is_recorded_on_the_timeline(dworld, eligible_pair):
    p = eligible_pair()
    with pytest.raises(ValidationError, match="give the reason for overriding"):
        dsvc.decide(
            dworld.itc_officer,
            p.half("HK"),
            fund=False,
            reason="Out of scope.",
            override_reason="  ",
        )
    d = dsvc.decide(
        dworld.itc_officer,
        p.half("HK"),
        fund=False,
        reason="Out of scope.",
        override_reason="Withdrawn by the applicant's university; no need to wait.",
    )
    assert d.state == DecisionState.DECLINED
    step = StateTransition.objects.get(object_id=d.pk, to_state=DecisionState.DECLINED)
    assert "Override of the decision gates" in step.reason
    assert (
        "Withdrawn by the applicant's university" in step.reason
        and "still open for proposals" in step.reason
    )
    assert step.actor == dworld.itc_officer


def test_decide_button_offered_only_when_the_gates_are_open(
    dworld, eligible_pair, client, ready_to_decide
):
    p = eligible_pair()
    meeting = reverse("decisions:meeting", args=[dworld.call.code])
    decide = reverse("decisions:decide", args=[p.reference, "hk"])
    client.force_login(dworld.itc_officer)
    html = client.get(meeting).content.decode()
    assert f'class="button small" href="{decide}"' not in html  # no "Decide" button…
    assert (
        "still open for proposals" in html and "Decide with an override" in html
    )  # …but why, and the way out
    html = client.get(decide).content.decode()
    assert "This half cannot be decided yet" in html and 'name="override_reason"' in html
    html = client.post(
        decide, {"decision": "fund", "amount": "1000", "reason": "Early."}
    ).content.decode()
    assert "give the reason for overriding" in html and "Early." in html  # refused, input kept
    assert not SideDecision.objects.filter(half=p.half("HK")).exclude(state="").exists()

    ready_to_decide(p)
    html = client.get(meeting).content.decode()
    assert f'class="button small" href="{decide}"' in html and "Decide with an override" not in html
    html = client.get(decide).content.decode()
    assert "cannot be decided yet" not in html and 'name="override_reason"' not in html
    assert (
        client.post(
            decide, {"decision": "fund", "amount": "1000", "reason": "Recommended."}
        ).status_code
        == 302
    )


@pytest.fixture
def rgc_officer(dworld):
    rgc = AgencyFactory(
        code="rgc", name="Research Grants Council", short_name="RGC", region="HK", currency="HKD"
    )
    return UserFactory(username="rgc_officer", agency=rgc, roles=[Role.PROGRAMME_OFFICER])


def test_officers_of_an_agency_outside_the_scheme_get_403(
    dworld, eligible_pair, add_review, client, rgc_officer
):
    p = eligible_pair()
    add_review(p.half("HK"), "Some Reviewer", {"quality": 7, "feasibility": 7})
    code = dworld.call.code
    urls = [
        reverse("decisions:meeting", args=[code]),
        reverse("decisions:budget", args=[code]),
        reverse("decisions:panel", args=[code, "hk"]),
        reverse("decisions:panel", args=[code, "ml"]),
        reverse("decisions:recommend", args=[code, "hk", p.reference]),
        reverse("review:call", args=[code]),
    ]
    client.force_login(rgc_officer)
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 403, (url, resp.status_code)
        assert p.title not in resp.content.decode()
    # A half never submitted to the officer's agency is not found, exactly like a missing reference.
    resp = client.get(reverse("decisions:decide", args=[p.reference, "hk"]))
    assert resp.status_code == 404 and p.title not in resp.content.decode()
    api = APIClient()
    api.force_authenticate(rgc_officer)
    assert api.get("/api/v1/decisions/", {"call": code}).status_code == 403
    assert api.get("/api/v1/decisions/").status_code == 200  # its own (empty) list stays a list
    # People without an agency still get 404 (nothing to tell them), the call's own officers 200.
    client.force_login(dworld.hk_lead)
    assert client.get(urls[0]).status_code == 404
    client.force_login(dworld.most_officer)
    assert client.get(urls[0]).status_code == 200
    api.force_authenticate(dworld.most_officer)
    assert api.get("/api/v1/decisions/", {"call": code}).status_code == 200


def test_panel_links_only_to_pages_the_user_may_open(dworld, eligible_pair, client):
    eligible_pair()
    psvc.appoint_chair(dworld.itc_officer, psvc.panel_for(dworld.call, "HK"), dworld.chair)
    client.force_login(dworld.chair)
    html = client.get(reverse("decisions:panel", args=[dworld.call.code, "hk"])).content.decode()
    assert (
        reverse("decisions:panel", args=[dworld.call.code, "ml"]) not in html
    )  # not their panel: 404
    assert reverse("decisions:meeting", args=[dworld.call.code]) not in html
    client.force_login(dworld.itc_officer)
    html = client.get(reverse("decisions:panel", args=[dworld.call.code, "hk"])).content.decode()
    assert reverse("decisions:meeting", args=[dworld.call.code]) in html


def test_index_and_meeting_link_only_the_officers_own_panel(dworld, eligible_pair, client):
    eligible_pair()
    code = dworld.call.code
    client.force_login(dworld.itc_officer)
    for url in (reverse("decisions:index"), reverse("decisions:meeting", args=[code])):
        html = client.get(url).content.decode()
        assert reverse("decisions:panel", args=[code, "hk"]) in html
        assert (
            reverse("decisions:panel", args=[code, "ml"]) not in html
        )  # it would be refused (404)
    assert client.get(reverse("decisions:panel", args=[code, "ml"])).status_code == 404
