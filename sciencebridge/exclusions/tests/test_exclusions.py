"""Issue 17: experts the applicant asks to avoid, the reviewer's own concurrent application and
duplicate submissions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sciencebridge.exclusions import services
from sciencebridge.exclusions.models import ExclusionState, ExpertExclusion
from sciencebridge.experts.models import ExpertProfile
from sciencebridge.funding.models import HalfState, JointProposal, ProposalHalf, SchemeSide
from sciencebridge.review.conflicts import has_conflict
from sciencebridge.review.models import RunState
from sciencebridge.review.services import assignment as asvc
from sciencebridge.review.services import scoring
from sciencebridge.review.tests.conftest import make_eligible

pytestmark = pytest.mark.django_db


def allow_avoid(world, n=3):
    SchemeSide.objects.filter(scheme=world.scheme).update(
        avoid_experts_allowed=True, avoid_experts_max=n
    )


def battery(rw):
    return next(p for p in rw.proposals if p.title.startswith("Solid-state"))


def as_draft(half):
    ProposalHalf.objects.filter(pk=half.pk).update(state=HalfState.DRAFT)
    half.refresh_from_db()
    return half


def name_on(half, expert, reason="Competitor", user=None):
    """An exclusion recorded on a half already submitted (as it stands after submission)."""
    x = ExpertExclusion.objects.create(
        half=half, name=expert.name_en, reason=reason, created_by=user or half.lead
    )
    return services.rematch(x)


def rows_post(rows, prefix="x"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }
    for i, r in enumerate(rows):
        for k, v in r.items():
            data[f"{prefix}-{i}-{k}"] = v
    return data


# --- matching names to the expert database ---------------------------------------------------
def test_names_match_profiles_by_email_name_order_and_institution(rw):
    e = rw.experts["HK"][0]  # "Expert Hkbattery0"
    assert services.match_experts("Hkbattery0, Expert") == [e]
    assert services.match_experts("expert hkbattery0") == [e]
    assert services.match_experts("Someone Else", email=e.email.upper()) == [e]
    assert services.match_experts("Nobody In-The-Pool") == []
    # Namesakes: both match, unless the institution tells them apart.
    twin = ExpertProfile.objects.create(
        name_en=e.name_en, region="ML", institution=rw.tsinghua, email="twin@example.org"
    )
    assert set(services.match_experts(e.name_en)) == {e, twin}
    assert services.match_experts(e.name_en, institution="Tsinghua") == [twin]


# --- the applicant names experts (page) -------------------------------------------------------
def test_applicant_names_two_experts_and_sees_only_recorded(rw, client):
    allow_avoid(rw)
    half = as_draft(battery(rw).half("HK"))
    url = reverse("exclusions:half", args=[half.proposal.reference, "hk"])
    client.force_login(rw.hk_lead)
    page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count("<fieldset") == 3
    in_pool = rw.experts["HK"][0]
    resp = client.post(
        url,
        rows_post(
            [
                {"name": in_pool.name_en, "reason": "Direct competitor"},
                {"name": "Nobody In-The-Pool", "institution": "Nowhere", "reason": "Past dispute"},
            ]
        ),
        follow=True,
    )
    html = resp.content.decode()
    assert "Recorded." in html
    xs = list(half.expert_exclusions.order_by("pk"))
    assert [x.name for x in xs] == [in_pool.name_en, "Nobody In-The-Pool"]
    assert list(xs[0].matched_experts.all()) == [in_pool] and not xs[1].matched_experts.exists()
    # The applicant's page is the same for both: nothing tells who is in the pool.
    ProposalHalf.objects.filter(pk=half.pk).update(state=HalfState.ELIGIBLE)
    html = client.get(url).content.decode()
    assert html.count("recorded") >= 2
    for leak in ("matched to", "not in the database", str(in_pool.institution)):
        assert leak not in html
    # The officer of that side sees the match result.
    client.force_login(rw.itc_officer)
    html = client.get(url).content.decode()
    assert "matched to" in html and "not in the database" in html


def test_more_than_allowed_is_refused_with_nothing_lost(rw, client):
    allow_avoid(rw, n=3)
    half = as_draft(battery(rw).half("HK"))
    url = reverse("exclusions:half", args=[half.proposal.reference, "hk"])
    client.force_login(rw.hk_lead)
    names = [f"Person Number{i}" for i in range(4)]
    resp = client.post(url, rows_post([{"name": n, "reason": "Why"} for n in names]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "You named 4 experts to avoid; this scheme allows at most 3." in html
    assert all(n in html for n in names)  # every row typed is shown again
    assert not half.expert_exclusions.exists()


def test_each_row_needs_a_name_and_a_reason_and_the_scheme_must_allow_it(rw):
    half = as_draft(battery(rw).half("HK"))
    with pytest.raises(ValidationError, match="does not let applicants"):
        services.save_exclusions(rw.hk_lead, half, [{"name": "A B", "reason": "x"}])
    allow_avoid(rw)
    with pytest.raises(ValidationError) as exc:
        services.save_exclusions(
            rw.hk_lead,
            half,
            [{"name": "A B"}, {"reason": "no name"}, {"name": "b a", "reason": "y"}],
        )
    msgs = exc.value.messages
    assert "Expert 1: give the reason." in msgs and "Expert 2: give the name." in msgs
    assert "The same person is named twice." in msgs
    with pytest.raises(PermissionDenied):
        services.save_exclusions(rw.ml_lead, half, [{"name": "A B", "reason": "x"}])
    ProposalHalf.objects.filter(pk=half.pk).update(state=HalfState.SUBMITTED)
    half.refresh_from_db()
    with pytest.raises(ValidationError, match="only while the half is a draft"):
        services.save_exclusions(rw.hk_lead, half, [{"name": "A B", "reason": "x"}])


# --- the assignment ---------------------------------------------------------------------------
def test_assignment_excludes_the_named_expert_and_the_override_readmits(rw, run_sync):
    allow_avoid(rw)
    p = battery(rw)
    half = p.half("HK")
    named = rw.experts["HK"][0]
    x = name_on(half, named)
    run = run_sync(rw.itc_officer, rw.call, "HK")
    assert run.state == RunState.PROPOSED, run.error
    seats = set(run.assignments.filter(half=half).values_list("expert_id", flat=True))
    assert named.pk not in seats
    excluded = run.notes[f"h{half.pk}"]["excluded"]
    assert {"expert": str(named), "reasons": [{"kind": "named_by_applicant"}]} in excluded
    # Nor can an officer add them by hand, with the same reason.
    with pytest.raises(ValidationError, match="Named by the applicant"):
        asvc.add_reviewer(rw.itc_officer, run, asvc.unit_of(run.assignments.first()), named)
    # Overriding needs a reason; then the expert may be chosen again.
    with pytest.raises(ValidationError) as exc:
        services.override(rw.itc_officer, x, "  ")
    assert exc.value.message_dict == {
        "reason": ["Give the reason for overriding the applicant's exclusion."]
    }
    services.override(rw.itc_officer, x, "The only specialist; no competing work.")
    x.refresh_from_db()
    assert x.state == ExclusionState.OVERRIDDEN and x.overridden_by == rw.itc_officer
    run2 = run_sync(rw.itc_officer, rw.call, "HK")
    assert run2.state == RunState.PROPOSED, run2.error
    assert named.pk in set(run2.assignments.filter(half=half).values_list("expert_id", flat=True))
    with pytest.raises(ValidationError, match="already overridden"):
        services.override(rw.itc_officer, x, "again")


def test_named_expert_has_a_conflict_with_the_whole_proposal_until_overridden(rw):
    allow_avoid(rw)
    p = battery(rw)
    named = rw.experts["HK"][1]
    x = name_on(p.half("HK"), named)
    assert has_conflict(named.user, p)
    assert not has_conflict(rw.experts["HK"][2].user, p)
    services.override(rw.itc_officer, x, "Checked: no competition.")
    assert not has_conflict(named.user, p)


def test_only_that_sides_officers_override(rw):
    x = name_on(battery(rw).half("HK"), rw.experts["HK"][0])
    for who in (rw.most_officer, rw.hk_lead, rw.ml_lead, rw.experts["HK"][0].user):
        with pytest.raises(PermissionDenied):
            services.override(who, x, "reason")
    assert ExpertExclusion.objects.get(pk=x.pk).state == ExclusionState.IN_FORCE


def test_override_page_without_reason_shows_the_message(rw, client):
    x = name_on(battery(rw).half("HK"), rw.experts["HK"][0])
    client.force_login(rw.itc_officer)
    resp = client.post(reverse("exclusions:override", args=[x.pk]), {"reason": ""})
    assert resp.status_code == 200
    assert "Give the reason for overriding the applicant&#x27;s exclusion." in resp.content.decode()
    assert ExpertExclusion.objects.get(pk=x.pk).state == ExclusionState.IN_FORCE
    resp = client.post(reverse("exclusions:override", args=[x.pk]), {"reason": "Needed"})
    assert resp.status_code == 302
    assert ExpertExclusion.objects.get(pk=x.pk).state == ExclusionState.OVERRIDDEN


# --- the reviewer's own concurrent application ------------------------------------------------
def test_reviewers_own_close_application_in_the_exercise_is_a_conflict(rw):
    p = battery(rw)
    reviewer = rw.experts["HK"][1]  # a battery expert
    far = rw.experts["HK"][4]  # an imaging expert
    own = make_eligible(rw, "Solid electrolytes for lithium batteries", "battery")
    other = make_eligible(rw, "Robots again", "robot")
    for prop, expert in ((own, reviewer), (other, far)):
        ProposalHalf.objects.filter(proposal=prop, side="HK").update(lead=expert.user)
    unit = scoring.Unit(
        proposal=JointProposal.objects.prefetch_related(*scoring.unit_prefetches()).get(pk=p.pk),
        half=p.half("HK"),
    )
    experts = scoring.candidate_experts([reviewer.pk, far.pk])
    reasons = scoring.conflicts_for(unit, list(experts.values()), rw.scheme)
    assert reviewer.pk in reasons and far.pk not in reasons
    assert str(reasons[reviewer.pk][0]).startswith(
        "The expert's own application in the same exercise is close to this one (similarity "
    )
    # A scheme threshold above the similarity: no conflict.
    SchemeSide.objects.filter(scheme=rw.scheme).update(concurrent_similarity=1.0)
    unit.proposal.call.scheme.refresh_from_db()
    unit = scoring.Unit(
        proposal=JointProposal.objects.prefetch_related(*scoring.unit_prefetches()).get(pk=p.pk),
        half=p.half("HK"),
    )
    assert reviewer.pk not in scoring.conflicts_for(unit, [experts[reviewer.pk]], rw.scheme)


# --- duplicate submissions --------------------------------------------------------------------
def test_duplicate_submission_flagged_to_both_sides_officers_at_screening(rw, client):
    p = battery(rw)
    twin = make_eligible(rw, p.title, "battery")  # the same text, submitted again
    got = services.duplicates_for(rw.itc_officer, p.half("HK"))
    assert [d["reference"] for d in got] == [twin.reference]
    assert got[0]["similarity"] >= 0.99
    assert [d["reference"] for d in services.duplicates_for(rw.most_officer, twin.half("ML"))] == [
        p.reference
    ]
    # Unrelated proposals are not flagged; applicants get nothing.
    assert services.duplicates_for(rw.itc_officer, rw.proposals[1].half("HK")) == []
    assert services.duplicates_for(rw.hk_lead, p.half("HK")) == []
    # Shown on the screening page of that side's officer.
    ProposalHalf.objects.filter(pk=p.half("HK").pk).update(state=HalfState.SUBMITTED)
    client.force_login(rw.itc_officer)
    html = client.get(reverse("funding:screen", args=[p.reference, "hk"])).content.decode()
    assert "Possible duplicate submission" in html and twin.reference in html
    client.force_login(rw.hk_lead)
    html = client.get(reverse("funding:proposal", args=[p.reference])).content.decode()
    assert "Possible duplicate submission" not in html


def test_the_exercise_model_follows_edits_and_is_not_rechecked_while_nothing_changed(rw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    p = battery(rw)
    twin = make_eligible(rw, p.title, "battery")
    half = p.half("HK")
    assert [d["reference"] for d in services.duplicates_for(rw.itc_officer, half)] == [
        twin.reference
    ]
    with CaptureQueriesContext(connection) as ctx:
        services.duplicates_for(rw.itc_officer, half)
    assert not any("MAX(" in q["sql"] for q in ctx.captured_queries)  # the key was not read again
    # an edit moves the proposals table's stamp: the key is read, the model fitted again
    JointProposal.objects.filter(pk=twin.pk).update(
        abstract="Grid-scale flywheels for island microgrids, with no battery at all.",
        updated_at=timezone.now(),  # as a save does
    )
    assert services.duplicates_for(rw.itc_officer, half) == []


def test_the_other_reference_is_hidden_from_an_officer_who_cannot_open_it(rw):
    from sciencebridge.core.testing.factories import AgencyFactory

    p = battery(rw)
    twin = make_eligible(rw, p.title, "battery")
    # The twin's HK half went to another agency the ITC officer has no part in.
    other_agency = AgencyFactory(code="other-agency", name="Other Agency", region="HK")
    ProposalHalf.objects.filter(proposal=twin).update(agency=other_agency)
    got = services.duplicates_for(rw.itc_officer, p.half("HK"))
    assert len(got) == 1 and got[0]["reference"] is None


# --- API ----------------------------------------------------------------------------------------
def test_api_shows_exclusions_to_that_sides_officers_and_its_applicants_only(rw, client):
    p = battery(rw)
    named = rw.experts["HK"][0]
    name_on(p.half("HK"), named)
    url = f"/api/v1/proposals/{p.reference}/"

    def hk_half(user):
        client.force_login(user)
        resp = client.get(url)
        if resp.status_code != 200:
            return resp.status_code
        return next((h for h in resp.json()["halves"] if h["side"] == "HK"), None)

    officer = hk_half(rw.itc_officer)["expert_exclusions"]
    assert officer[0]["in_database"] is True and officer[0]["matched_experts"] == [str(named)]
    mine = hk_half(rw.hk_lead)["expert_exclusions"]
    assert mine == [
        {
            "id": mine[0]["id"],
            "name": named.name_en,
            "institution": "",
            "email": "",
            "reason": "Competitor",
            "status": "recorded",
        }
    ]
    assert "expert_exclusions" not in hk_half(rw.most_officer)  # the other side's officers
    assert "expert_exclusions" not in hk_half(rw.ml_lead)  # the partner team
    assert hk_half(named.user) == 404  # a reviewer does not read the proposal at all


# --- permissions of the page -------------------------------------------------------------------
def test_page_refused_to_partner_team_other_side_reviewers_and_anonymous(rw, client):
    p = battery(rw)
    name_on(p.half("HK"), rw.experts["HK"][0])
    url = reverse("exclusions:half", args=[p.reference, "hk"])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for user, code in (
        (rw.most_officer, 403),
        (rw.ml_lead, 403),
        (rw.experts["HK"][0].user, 404),
        (rw.experts["HK"][3].user, 404),
        (rw.outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == code, user
    client.force_login(rw.itc_officer)
    assert client.get(url).status_code == 200


def test_own_application_in_another_exercise_is_no_conflict(rw):
    from sciencebridge.core.testing.factories import make_call

    p = battery(rw)
    reviewer = rw.experts["HK"][1]
    own = make_eligible(rw, p.title, "battery")
    ProposalHalf.objects.filter(proposal=own, side="HK").update(lead=reviewer.user)
    JointProposal.objects.filter(pk=own.pk).update(
        call=make_call(rw.scheme, code="next-year", exercise="2027")
    )
    unit = scoring.Unit(
        proposal=JointProposal.objects.prefetch_related(*scoring.unit_prefetches()).get(pk=p.pk),
        half=p.half("HK"),
    )
    experts = scoring.candidate_experts([reviewer.pk])
    assert scoring.conflicts_for(unit, list(experts.values()), rw.scheme) == {}


def test_hostile_formset_input_is_a_form_error_not_a_crash(rw, client):
    allow_avoid(rw)
    half = as_draft(battery(rw).half("HK"))
    url = reverse("exclusions:half", args=[half.proposal.reference, "hk"])
    client.force_login(rw.hk_lead)
    bad = rows_post([{"name": "x" * 300, "email": "not-an-address", "reason": "r"}])
    resp = client.post(url, bad)
    assert resp.status_code == 200 and "x" * 300 in resp.content.decode()
    assert not half.expert_exclusions.exists()
    resp = client.post(url, {"x-TOTAL_FORMS": "100000", "x-INITIAL_FORMS": "0"})
    assert resp.status_code == 200 and not half.expert_exclusions.exists()
    resp = client.post(url, {})  # no management form
    assert resp.status_code == 200 and not half.expert_exclusions.exists()
