"""Issue 16: the joint meeting lists proposals by their best rank on either side, then reference. The
order is kept with the two kept side rankings, made again when either changes, and never shared with a
viewer from whom a proposal is withheld (a conflict of interest)."""

import pytest

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.decisions.services import panel as psvc
from sciencebridge.experts.models import DeclaredConflict, ExpertProfile

pytestmark = pytest.mark.django_db

HIGH = {"quality": 9, "feasibility": 9}
LOW = {"quality": 5, "feasibility": 5}


def _order(call, viewer):
    views = [
        psvc.panel_view(psvc.panel_for(call, side), viewer=viewer)
        for side in call.scheme.side_codes()
    ]
    return psvc.meeting_order(views)


@pytest.fixture
def four(dworld, eligible_pair, add_review):
    """A first on the HK side, C first on the ML side, B second on the HK side, D not reviewed."""
    a, b, c, d = (eligible_pair() for _ in range(4))
    add_review(a.half("HK"), "HK Reviewer", HIGH)
    add_review(b.half("HK"), "HK Reviewer", LOW)  # the same reviewer: calibration cannot swap them
    add_review(c.half("ML"), "ML Reviewer", HIGH)
    dworld.four = a, b, c, d
    return dworld


def _ids(*proposals):
    return [(p.pk, p.reference) for p in proposals]


def test_best_rank_on_either_side_then_reference_and_kept(four):
    a, b, c, d = four.four
    first = _order(four.call, four.itc_officer)
    assert first == _ids(a, c, b, d)  # A and C are both first on a side: by reference
    assert _order(four.call, four.most_officer) is first  # kept: nothing is sorted again


def test_made_again_when_a_side_ranking_changes(four, add_review):
    a, b, c, d = four.four
    first = _order(four.call, four.itc_officer)
    add_review(b.half("ML"), "ML Reviewer", {"quality": 10, "feasibility": 10})  # B now first on ML
    again = _order(four.call, four.itc_officer)
    assert again is not first and again == _ids(a, b, c, d)


def test_a_withheld_proposal_is_left_out_and_the_kept_order_is_not_used(four):
    a, b, c, d = four.four
    officer = UserFactory(username="itc_officer2", agency=four.itc, roles=[Role.PROGRAMME_OFFICER])
    profile = ExpertProfile.objects.create(
        user=officer, name_en="Officer", region="HK", email="o2@example.org"
    )
    DeclaredConflict.objects.create(
        expert=profile, person_email=a.half("HK").lead.email, reason="My brother-in-law."
    )
    kept = _order(four.call, four.itc_officer)  # an unconflicted officer first: the order is kept
    assert _order(four.call, officer) == _ids(c, b, d)
    # and the conflicted request did not replace the kept order
    assert _order(four.call, four.itc_officer) is kept
