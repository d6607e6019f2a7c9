"""National programmes open to Hong Kong applicants: eligibility as data, and the single-half workflow
from draft to project (NSFC Excellent Young Scientists Fund (Hong Kong and Macao))."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from djmoney.money import Money

from sciencebridge.funding import validation as v
from sciencebridge.funding.models import Call, EligibilityProfile, HalfState
from sciencebridge.funding.services import proposals as svc

from .conftest import applicant

pytestmark = pytest.mark.django_db


def statuses(results):
    return {r["code"]: r["status"] for r in results}


def messages(results):
    return " ".join(r["message"] for r in results)


# ----- the eligibility engine, rule by rule ------------------------------------------------------------
def test_eligible_person_passes_every_rule_and_residence_asks_for_evidence(nworld):
    res = v.evaluate_eligibility(nworld.call, nworld.young)
    assert statuses(res) == {
        "institution": "ok",
        "age": "ok",
        "employment": "ok",
        "career_stage": "ok",
        "residence": "declare",
    }
    assert "attach the residence declaration with evidence" in messages(res)


def test_non_designated_university_is_told_which_are(nworld):
    user = applicant("mu", nworld.hkmu, born=dt.date(1992, 1, 1), sex="F")
    res = v.evaluate_eligibility(nworld.call, user)
    assert statuses(res)["institution"] == "fail"
    msg = res[0]["message"]
    assert "Hong Kong Metropolitan University is not designated" in msg and "HKU" in msg


def test_exercise_designation_overrides_the_programme_list(nworld):
    nworld.call.designated_institutions.set([nworld.hkust])
    call = Call.objects.get(pk=nworld.call.pk)
    assert statuses(v.evaluate_eligibility(call, nworld.young))["institution"] == "fail"


def test_mainland_institution_is_refused(nworld):
    user = applicant("ml", nworld.tsinghua, born=dt.date(1992, 1, 1), sex="F")
    assert "not in Hong Kong or Macao" in messages(v.evaluate_eligibility(nworld.call, user))


@pytest.mark.parametrize(
    "born,sex,status",
    [
        (dt.date(1988, 1, 2), "M", "ok"),  # 37 on 1 Jan 2026
        (dt.date(1988, 1, 1), "M", "fail"),  # 38 on the reference date: men must be under 38
        (dt.date(1986, 1, 2), "F", "ok"),  # 39: women under 40
        (dt.date(1986, 1, 1), "F", "fail"),
    ],
)
def test_age_limit_by_sex_on_the_reference_date(nworld, born, sex, status):
    user = applicant("p", nworld.hku, born=born, sex=sex)
    res = v.evaluate_eligibility(nworld.call, user)
    assert statuses(res)["age"] == status
    if status == "fail":
        assert "On the reference date 2026-01-01 you are" in messages(res)


def test_employment_career_stage_and_residence(nworld):
    user = applicant(
        "pd",
        nworld.hku,
        born=dt.date(1993, 1, 1),
        sex="M",
        employment="part_time",
        stage="postdoc",
        months=7,
    )
    res = statuses(v.evaluate_eligibility(nworld.call, user))
    assert res["employment"] == res["career_stage"] == res["residence"] == "fail"
    msg = messages(v.evaluate_eligibility(nworld.call, user))
    assert "Postdoctoral fellows are excluded" in msg
    assert "You declared 7 months a year" in msg and "at least 9" in msg


def test_missing_profile_asks_for_the_data(nworld):
    from sciencebridge.accounts.roles import Role
    from sciencebridge.core.testing.factories import UserFactory

    user = UserFactory(username="blank", institution=nworld.hku, roles=[Role.APPLICANT])
    res = statuses(v.evaluate_eligibility(nworld.call, user))
    assert set(res.values()) == {"ok", "missing"} and res["age"] == "missing"


def test_engine_queries_do_not_grow_with_data(nworld):
    def count():
        call = Call.objects.select_related("scheme").get(pk=nworld.call.pk)
        with CaptureQueriesContext(connection) as ctx:
            v.evaluate_eligibility(call, nworld.young)
        return len(ctx.captured_queries)

    before = count()
    for i in range(30):
        applicant(f"other{i}", nworld.hku, born=dt.date(1990, 1, 1), sex="F")
    assert count() == before <= 6


# ----- draft time and submission ---------------------------------------------------------------------
def test_draft_refused_with_the_reason(nworld):
    old = applicant("old", nworld.hku, born=dt.date(1980, 1, 1), sex="M")
    with pytest.raises(ValidationError) as e:
        svc.create_proposal(old, nworld.call, title="T", abstract="A", duration_months=36)
    assert "this programme takes men under 38" in str(e.value)
    mu = applicant("mu", nworld.hkmu, born=dt.date(1992, 1, 1), sex="F")
    with pytest.raises(ValidationError) as e:
        svc.create_proposal(mu, nworld.call, title="T", abstract="A", duration_months=36)
    assert "is not designated" in str(e.value)


def test_single_half_and_no_partner(nworld, national_ready):
    p = national_ready()
    half = p.halves.get()
    assert (half.side, half.agency, half.currency) == ("ML", nworld.nsfc, "CNY")
    with pytest.raises(ValidationError) as e:
        svc.invite_partner(nworld.young, p, email="x@example.org", institution=nworld.tsinghua)
    assert "no partner to invite" in str(e.value)


def test_submission_needs_residence_evidence(nworld):
    p = svc.create_proposal(nworld.young, nworld.call, title="T", abstract="A", duration_months=36)
    half = p.halves.get()
    svc.replace_budget(
        nworld.young, half, [{"category": "staff", "amount": Money(1_000_000, "CNY")}]
    )
    svc.update_half(nworld.young, half, keywords="k")
    with pytest.raises(ValidationError) as e:
        svc.submit_half(nworld.young, half)
    assert "Residence declaration" in str(e.value)


def test_profile_change_after_draft_blocks_submission(nworld, national_ready):
    p = national_ready()
    EligibilityProfile.objects.filter(user=nworld.young).update(career_stage="student")
    with pytest.raises(ValidationError) as e:
        svc.submit_half(nworld.young, p.halves.get())
    assert "Students are excluded" in str(e.value)


def test_officer_must_verify_declarations(nworld, national_ready):
    p = national_ready()
    half = p.halves.get()
    svc.submit_half(nworld.young, half)
    with pytest.raises(ValidationError) as e:
        svc.screen(nworld.officer, half, eligible=True, reason="OK")
    assert "declarations_verified" in e.value.message_dict
    svc.screen(nworld.officer, half, eligible=True, reason="OK", declarations_verified=True)
    half.refresh_from_db()
    assert half.state == HalfState.ELIGIBLE and half.declarations_verified_by == nworld.officer


def test_deadline_does_not_make_a_single_half_unilateral(nworld, national_ready):
    p = national_ready()
    half = p.halves.get()
    svc.submit_half(nworld.young, half)
    Call.objects.filter(pk=nworld.call.pk).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    nworld.call.refresh_from_db()
    counts = svc.process_deadline(nworld.call)
    half.refresh_from_db()
    assert counts["unilateral"] == 0 and half.state == HalfState.SUBMITTED


# ----- end to end: screening → review → panel → decision → project ----------------------------------------
def _to_eligible(nworld, p):
    half = p.halves.get()
    svc.submit_half(half.lead, half)
    svc.screen(nworld.officer, half, eligible=True, reason="Eligible.", declarations_verified=True)
    half.refresh_from_db()
    return half


def _review_and_recommend(nworld, *halves):
    from sciencebridge.decisions.services import panel as psvc
    from sciencebridge.experts.models import ExpertProfile
    from sciencebridge.review.models import (
        Assignment,
        AssignmentRun,
        AssignmentState,
        Review,
        ReviewScore,
        ReviewState,
        ReviewWindow,
        RunState,
    )

    run, _ = AssignmentRun.objects.get_or_create(
        call=nworld.call, side="ML", defaults={"state": RunState.PUBLISHED}
    )
    expert = ExpertProfile.objects.create(name_en="Expert One", region="ML", email="e1@example.org")
    for half in halves:
        a = Assignment.objects.create(
            run=run,
            proposal=half.proposal,
            half=half,
            expert=expert,
            state=AssignmentState.SUBMITTED,
        )
        review = Review.objects.create(assignment=a, state=ReviewState.SUBMITTED)
        for crit in nworld.scheme.criteria.all():
            ReviewScore.objects.create(review=review, criterion=crit, score=5)
    past = timezone.now() - dt.timedelta(minutes=1)
    Call.objects.filter(pk=nworld.call.pk).update(closes_at=past)
    nworld.call.refresh_from_db()
    ReviewWindow.objects.update_or_create(call=nworld.call, side="ML", defaults={"deadline": past})
    panel = psvc.panel_for(nworld.call, "ML")
    psvc.appoint_chair(nworld.officer, panel, nworld.chair)
    for half in halves:
        psvc.record_recommendation(nworld.chair, half, recommendation="fund", notes="Strong.")


def test_single_half_end_to_end_award_creates_three_tranches(nworld, national_ready):
    from sciencebridge.decisions.services.decisions import decide
    from sciencebridge.projects.models import Project

    half = _to_eligible(nworld, national_ready())
    _review_and_recommend(nworld, half)
    d = decide(nworld.officer, half, fund=True, amount="2000000", reason="Ranked first.")
    half.refresh_from_db()
    assert d.state == "awarded" and half.state == HalfState.FUNDED
    project = Project.objects.get(proposal=half.proposal)
    side = project.sides.get()
    assert side.approved_budget == Money(2_000_000, "CNY") and side.agency == nworld.nsfc
    tranches = list(side.tranches.order_by("number"))
    assert len(tranches) == 3
    assert sum(t.amount.amount for t in tranches) == 2_000_000
    assert {str(t.amount.currency) for t in tranches} == {"CNY"}


def test_quota_enforced_at_decision(nworld, national_ready):
    from sciencebridge.decisions.services.decisions import decide

    halves = []
    for i in range(3):
        user = applicant(f"a{i}", nworld.hku, born=dt.date(1991, 1, 1), sex="F")
        halves.append(_to_eligible(nworld, national_ready(user=user, title=f"P{i}")))
    _review_and_recommend(nworld, *halves)
    for h in halves[:2]:
        decide(nworld.officer, h, fund=True, amount="2000000", reason="Funded.")
    with pytest.raises(ValidationError) as e:
        decide(nworld.officer, halves[2], fund=True, amount="2000000", reason="Funded.")
    assert "The quota of this exercise is reached: 2 of 2 awards" in str(e.value)
    halves[2].refresh_from_db()
    assert halves[2].state == HalfState.ELIGIBLE  # nothing changed
    decide(nworld.officer, halves[2], fund=False, reason="Quota reached.")
    halves[2].refresh_from_db()
    assert halves[2].state == HalfState.NOT_FUNDED
