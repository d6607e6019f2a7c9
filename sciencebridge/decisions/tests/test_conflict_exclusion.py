"""Issue 11, item 1: a declared or detected conflict of interest excludes that person from every view
and action on the proposal — panel list, recommendation page and POST, meeting, decision, budget,
outcome, API and e-mails — whatever their role (panel chair, programme officer, superuser)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.decisions import selectors
from sciencebridge.decisions.models import PanelRecommendation, SideDecision
from sciencebridge.decisions.services import decisions as dsvc
from sciencebridge.decisions.services import panel as psvc
from sciencebridge.experts.models import DeclaredConflict, ExpertProfile
from sciencebridge.review.conflicts import has_conflict
from sciencebridge.review.models import Assignment, AssignmentRun, AssignmentState

pytestmark = pytest.mark.django_db

SECRET_REVIEWER = "Secretive Reviewer"
SECRET_COMMENT = "Only for the conflict-free panel."


@pytest.fixture
def case(dworld, eligible_pair, add_review):
    """Two reviewed proposals; the chair chairs both panels and declared a conflict on ``mine``'s
    invitation (the chair is an expert too)."""
    mine, other = eligible_pair(), eligible_pair()
    add_review(
        mine.half("HK"),
        SECRET_REVIEWER,
        {"quality": 9, "feasibility": 8},
        comments=SECRET_COMMENT,
        confidential="Confidential about the conflicted proposal.",
    )
    add_review(
        mine.half("ML"),
        "Mainland Only Reviewer",
        {"quality": 6, "feasibility": 6},
        comments="ML text.",
    )
    add_review(
        other.half("HK"), "Open Reviewer", {"quality": 7, "feasibility": 7}, comments="Fine."
    )
    for side, officer in (("HK", dworld.itc_officer), ("ML", dworld.most_officer)):
        psvc.appoint_chair(officer, psvc.panel_for(dworld.call, side), dworld.chair)
    profile = ExpertProfile.objects.create(
        user=dworld.chair,
        name_en="Chair As Expert",
        region="HK",
        email="chair-expert@experts.example.org",
    )
    run = AssignmentRun.objects.get(call=dworld.call, side="HK")
    Assignment.objects.create(
        run=run,
        proposal=mine,
        half=mine.half("HK"),
        expert=profile,
        state=AssignmentState.CONFLICT,
        response_note="My former student leads it.",
    )
    dworld.mine, dworld.other = mine, other
    return dworld


def _html(client, user, url, status=200):
    client.force_login(user)
    resp = client.get(url)
    assert resp.status_code == status, (user.username, url, resp.status_code)
    return resp.content.decode()


def test_conflicted_chair_sees_nothing_of_the_proposal_on_the_panel(case, client):
    mine, other = case.mine, case.other
    assert has_conflict(case.chair, mine) and not has_conflict(case.chair, other)
    for side in ("hk", "ml"):  # the whole proposal, both panels
        html = _html(client, case.chair, reverse("decisions:panel", args=[case.call.code, side]))
        assert mine.reference not in html and mine.title not in html
        assert "withheld from you because of a conflict of interest" in html
    html = _html(client, case.chair, reverse("decisions:panel", args=[case.call.code, "hk"]))
    assert other.reference in html and "Open Reviewer" in html
    assert SECRET_REVIEWER not in html  # the reviewer of the conflicted proposal only is not listed
    # The conflict-free officer still sees it all.
    html = _html(client, case.itc_officer, reverse("decisions:panel", args=[case.call.code, "hk"]))
    assert mine.reference in html and SECRET_REVIEWER in html and "withheld" not in html


def test_conflicted_chair_cannot_open_or_record_a_recommendation(case, client):
    url = reverse("decisions:recommend", args=[case.call.code, "hk", case.mine.reference])
    html = _html(client, case.chair, url, status=404)
    assert SECRET_COMMENT not in html and SECRET_REVIEWER not in html
    resp = client.post(url, {"recommendation": "fund", "notes": "Pushing my student's proposal."})
    assert resp.status_code == 404
    assert not PanelRecommendation.objects.filter(half=case.mine.half("HK")).exists()
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        psvc.record_recommendation(
            case.chair, case.mine.half("ML"), recommendation="fund", notes="x"
        )
    # The proposal without a conflict: the chair records as before.
    other_url = reverse("decisions:recommend", args=[case.call.code, "hk", case.other.reference])
    assert client.post(other_url, {"recommendation": "fund", "notes": "Good."}).status_code == 302


def test_detected_conflicts_count_too(case, client):
    """No declaration on a seat: the chair's expert profile names the Mainland half's institution, or the
    chair's account is at the Hong Kong half's institution."""
    Assignment.objects.filter(expert__user=case.chair).delete()
    assert not has_conflict(case.chair, case.mine)
    profile = case.chair.expert_profile
    d = DeclaredConflict.objects.create(
        expert=profile, institution=case.tsinghua, reason="Adjunct post."
    )
    assert has_conflict(case.chair, case.mine) and has_conflict(
        case.chair, case.other
    )  # both ML halves: Tsinghua
    d.delete()
    DeclaredConflict.objects.create(
        expert=profile, person_email=case.mine.half("ML").lead.email.upper(), reason="Co-author."
    )
    assert has_conflict(case.chair, case.mine) and not has_conflict(case.chair, case.other)
    DeclaredConflict.objects.all().delete()
    officer = UserFactory(
        username="astri_officer",
        agency=case.itc,
        institution=case.astri,
        roles=[Role.PROGRAMME_OFFICER],
    )
    assert has_conflict(officer, case.mine)  # same institution as the Hong Kong half
    html = _html(client, officer, reverse("decisions:panel", args=[case.call.code, "hk"]))
    assert case.mine.reference not in html and SECRET_REVIEWER not in html


def test_conflicted_officer_is_out_of_meeting_decision_budget_outcome_and_api(
    case, client, ready_to_decide
):
    mine, other = case.mine, case.other
    ready_to_decide(other)  # the chair has a conflict with ``mine``: no recommendation on it
    dsvc.decide(
        case.most_officer,
        mine.half("ML"),
        fund=True,
        amount=1000,
        reason="Secret internal reason.",
        override_reason="The HK panel cannot recommend: its chair has a conflict.",
    )
    officer = UserFactory(username="itc_officer2", agency=case.itc, roles=[Role.PROGRAMME_OFFICER])
    profile = ExpertProfile.objects.create(
        user=officer, name_en="Officer", region="HK", email="o2@x.org"
    )
    DeclaredConflict.objects.create(
        expert=profile, person_email=case.hk_lead.email, reason="My brother-in-law."
    )
    assert has_conflict(officer, mine) and not has_conflict(officer, other)
    html = _html(client, officer, reverse("decisions:meeting", args=[case.call.code]))
    assert mine.reference not in html and other.reference in html
    _html(client, officer, reverse("decisions:decide", args=[mine.reference, "hk"]), status=404)
    resp = client.post(
        reverse("decisions:decide", args=[mine.reference, "hk"]),
        {"decision": "fund", "amount": "1000", "reason": "x", "override_reason": "x"},
    )
    assert resp.status_code == 404
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        dsvc.decide(
            officer, mine.half("HK"), fund=True, amount=1000, reason="x", override_reason="x"
        )
    assert not SideDecision.objects.filter(half=mine.half("HK")).exclude(state="").exists()
    html = _html(client, officer, reverse("decisions:budget", args=[case.call.code]))
    assert mine.reference not in html
    _html(client, officer, reverse("decisions:outcome", args=[mine.reference]), status=404)
    api = APIClient()
    api.force_authenticate(officer)
    dsvc.decide(case.itc_officer, other.half("HK"), fund=True, amount=1000, reason="x")
    refs = {d["proposal"] for d in api.get("/api/v1/decisions/").json()["results"]}
    assert refs == {other.reference}
    api.force_authenticate(
        case.most_officer
    )  # not conflicted: reads its own side's decision on ``mine``
    assert mine.reference in {
        d["proposal"] for d in api.get("/api/v1/decisions/").json()["results"]
    }
    assert list(selectors.pending_decisions(officer)) == []
    # The applicants still read their own outcome page.
    _html(client, case.hk_lead, reverse("decisions:outcome", args=[mine.reference]))


def test_superuser_with_a_conflict_is_excluded_too(case, client):
    admin = UserFactory(username="root", institution=case.astri, is_superuser=True, is_staff=True)
    html = _html(client, admin, reverse("decisions:panel", args=[case.call.code, "hk"]))
    assert case.mine.reference not in html
    _html(
        client,
        admin,
        reverse("decisions:recommend", args=[case.call.code, "hk", case.mine.reference]),
        404,
    )
    _html(client, admin, reverse("decisions:decide", args=[case.mine.reference, "hk"]), status=404)


def test_conflicted_reviewers_rules_hide_every_review(case):
    from sciencebridge.review.models import Review

    secret = Review.objects.get(assignment__expert__name_en=SECRET_REVIEWER)
    assert not case.chair.has_perm("review.view_review", secret)
    open_review = Review.objects.get(assignment__expert__name_en="Open Reviewer")
    assert case.chair.has_perm("review.view_review", open_review)


def _conflicted_officer(case):
    officer = UserFactory(
        username="itc_conflicted", agency=case.itc, roles=[Role.PROGRAMME_OFFICER]
    )
    profile = ExpertProfile.objects.create(
        user=officer,
        name_en="Officer As Expert",
        region="HK",
        email="officer-expert@experts.example.org",
    )
    DeclaredConflict.objects.create(
        expert=profile, person_email=case.hk_lead.email, reason="Family."
    )
    return officer


def test_every_decisions_page_hides_the_proposal_from_conflicted_people(
    case, client, ready_to_decide
):
    """Generated from the URL conf: every page of the decisions app, filled in with the conflicted
    proposal, for a conflicted chair and a conflicted officer — a new page that forgets the conflict
    check fails here."""
    from django.urls import get_resolver

    ready_to_decide(case.other)
    dsvc.decide(
        case.itc_officer, case.mine.half("HK"), fund=False, reason="x", override_reason="Test."
    )
    patterns = get_resolver().url_patterns
    decisions_ns = next(p for p in patterns if getattr(p, "namespace", None) == "decisions")
    kwargs = {"code": case.call.code, "side": "hk", "ref": case.mine.reference}
    urls = []
    for p in decisions_ns.url_patterns:
        names = set(p.pattern.converters)
        urls.append(
            reverse(f"decisions:{p.name}", kwargs={k: v for k, v in kwargs.items() if k in names})
        )
    assert len(urls) >= 8
    for user in (case.chair, _conflicted_officer(case)):
        assert has_conflict(user, case.mine)
        client.force_login(user)
        for url in urls:
            resp = client.get(url)
            assert resp.status_code < 500, (url, resp.status_code)
            body = resp.content.decode(errors="ignore")
            for secret in (case.mine.title, SECRET_REVIEWER, SECRET_COMMENT):
                assert secret not in body, (user.username, url, secret)


def test_has_conflict_answers_the_same_while_a_page_is_built(case):
    """Inside a request ``has_conflict`` reads the viewer's conflict set (computed once per request);
    a conflict declared during the request is seen at once (any write empties the request cache)."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from sciencebridge.core.request_cache import RequestCacheMiddleware

    Assignment.objects.filter(expert__user=case.chair).delete()
    answers = []

    def view(request):
        answers.append((has_conflict(case.chair, case.mine), has_conflict(case.chair, case.other)))
        DeclaredConflict.objects.create(
            expert=case.chair.expert_profile,
            person_email=case.mine.half("ML").lead.email,
            reason="Co-author.",
        )
        answers.append((has_conflict(case.chair, case.mine), has_conflict(case.chair, case.other)))
        return HttpResponse()

    RequestCacheMiddleware(view)(RequestFactory().get("/"))
    assert answers == [(False, False), (True, False)]
    assert has_conflict(case.chair, case.mine) and not has_conflict(case.chair, case.other)
