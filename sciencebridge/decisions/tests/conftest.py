"""Fixtures: eligible joint proposals, submitted reviews (built directly on the review models), a chair."""

from decimal import Decimal

import pytest
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.funding.models import AssessmentCriterion, HalfState
from sciencebridge.funding.services import proposals as svc


@pytest.fixture
def dworld(world):
    """The shared world plus criteria with weights, call budgets, and a panel chair."""
    world.quality = AssessmentCriterion.objects.create(
        scheme=world.scheme, order=1, name="Quality", weight=Decimal(2)
    )
    world.feasibility = AssessmentCriterion.objects.create(
        scheme=world.scheme, order=2, name="Feasibility", weight=Decimal(1)
    )
    world.call.budget_hk = Money(1_500_000, "HKD")
    world.call.budget_ml = Money(1_200_000, "CNY")
    world.call.save()
    world.chair = UserFactory(
        username="chair",
        first_name="Kwok Leung",
        last_name="Cheung",
        roles=[Role.PANEL_CHAIR, Role.EXPERT],
    )
    return world


@pytest.fixture
def eligible_pair(dworld, make_ready_pair):
    """Build a joint proposal whose two halves are screened eligible."""
    n = {"i": 0}

    def build(title=None, hk_lead=None, ml_lead=None):
        n["i"] += 1
        if hk_lead is None and n["i"] > 1:
            hk_lead = UserFactory(
                username=f"hk_lead{n['i']}", institution=dworld.astri, roles=[Role.APPLICANT]
            )
            ml_lead = UserFactory(
                username=f"ml_lead{n['i']}", institution=dworld.tsinghua, roles=[Role.APPLICANT]
            )
        p = make_ready_pair(
            title=title or f"Joint project {n['i']}", hk_lead=hk_lead, ml_lead=ml_lead
        )
        hk, ml = p.half("HK"), p.half("ML")
        svc.submit_half(hk.lead, hk)
        svc.submit_half(ml.lead, ml)
        hk.refresh_from_db()
        ml.refresh_from_db()
        svc.endorse(dworld.hk_office, hk)
        svc.screen(dworld.itc_officer, hk, eligible=True, reason="Complete and eligible.")
        svc.screen(dworld.most_officer, ml, eligible=True, reason="Complete and eligible.")
        p.refresh_from_db()
        assert {h.state for h in p.halves.all()} == {HalfState.ELIGIBLE}
        return p

    return build


@pytest.fixture
def add_review(dworld):
    """add_review(half, expert_name, {criterion: score}, comments=..., confidential=...) -> Review (submitted)."""
    from sciencebridge.experts.models import ExpertProfile
    from sciencebridge.review.models import (
        Assignment,
        AssignmentRun,
        AssignmentState,
        Review,
        ReviewScore,
        ReviewState,
        RunState,
    )

    def add(half, expert_name, scores, comments="", confidential=""):
        expert, _ = ExpertProfile.objects.get_or_create(
            name_en=expert_name,
            defaults={
                "region": "HK" if half.side == "HK" else "ML",
                "email": expert_name.lower().replace(" ", ".") + "@experts.example.org",
            },
        )
        run, _ = AssignmentRun.objects.get_or_create(
            call=half.proposal.call, side=half.side, defaults={"state": RunState.PUBLISHED}
        )
        a = Assignment.objects.create(
            run=run,
            proposal=half.proposal,
            half=half,
            expert=expert,
            state=AssignmentState.SUBMITTED,
        )
        review = Review.objects.create(
            assignment=a,
            state=ReviewState.SUBMITTED,
            comments_to_applicant=comments,
            confidential_comments=confidential,
        )
        crit = {"quality": dworld.quality, "feasibility": dworld.feasibility}
        for key, score in scores.items():
            ReviewScore.objects.create(review=review, criterion=crit[key], score=score)
        return review

    return add


@pytest.fixture
def ready_to_decide(dworld):
    """ready_to_decide(*proposals, recommendation="fund"): what a decision waits for — the call closes,
    both sides' review stages close, a chair is appointed and the panels recommend on every eligible half
    of these proposals (``decisions.services.gates``)."""
    import datetime as dt

    from django.utils import timezone

    from sciencebridge.decisions.services import panel as psvc
    from sciencebridge.funding.models import Call
    from sciencebridge.review.models import ReviewWindow

    def ready(*proposals, recommendation="fund"):
        past = timezone.now() - dt.timedelta(minutes=1)
        Call.objects.filter(pk=dworld.call.pk).update(closes_at=past)
        dworld.call.refresh_from_db()
        for side, officer in (("HK", dworld.itc_officer), ("ML", dworld.most_officer)):
            ReviewWindow.objects.update_or_create(
                call=dworld.call, side=side, defaults={"deadline": past}
            )
            panel = psvc.panel_for(dworld.call, side)
            if panel.chair_id is None:
                psvc.appoint_chair(officer, panel, dworld.chair)
        for p in proposals:
            for half in p.halves.all():
                half.refresh_from_db()
                if half.state == HalfState.ELIGIBLE:
                    psvc.record_recommendation(
                        dworld.chair,
                        half,
                        recommendation=recommendation,
                        notes="Discussed by the panel.",
                    )

    return ready
