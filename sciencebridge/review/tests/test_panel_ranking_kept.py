"""Issue 16: a side's ranking is kept between requests (``decisions.services.ranking_cache``) and
is never served after a write that changes it. Each test changes one input of the ranking the way
the application (or the admin) writes it, then checks that the panel shows what a ranking computed
from scratch shows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sciencebridge.core import stamped_cache
from sciencebridge.decisions.services import panel as psvc
from sciencebridge.decisions.services import ranking_cache
from sciencebridge.experts.models import DeclaredConflict
from sciencebridge.experts.services import profiles
from sciencebridge.funding.models import AssessmentCriterion, HalfState
from sciencebridge.review.models import ReviewWindow, SideReviewRules

from .conftest import write

pytestmark = pytest.mark.django_db


def _view(rw):
    return psvc.panel_view(psvc.panel_for(rw.call, "HK"), viewer=rw.itc_officer)


def _summary(view):
    counts = {
        pk: (c.submitted, c.valid, c.late, c.conflicted, c.incomplete, c.required)
        for pk, c in view.validity.items()
    }
    items = [
        (i.item, i.rank, i.raw_rank, i.n, round(i.raw, 9), round(i.calibrated, 9), i.gradable)
        for i in view.result.items
        if i.n
    ]
    return items, counts


def _fresh(rw):
    ranking_cache.side_rankings.clear()
    return _summary(_view(rw))


@pytest.fixture
def kept(reviewed):
    """The battery proposal's three reviews and a second proposal's, the side's ranking kept."""
    rw = reviewed.world
    other = next(p for p in rw.proposals if p.title.startswith("Deep learning"))
    for a in reviewed.run.assignments.filter(proposal=other).select_related("expert__user", "run"):
        write(a, score=4)
    reviewed.other = other
    first = _view(rw)
    assert _view(rw).result is first.result  # kept: the second request ranks nothing
    reviewed.before = _summary(first)
    return reviewed


def _check_changed(kept):
    rw = kept.world
    now = _summary(_view(rw))
    assert now != kept.before  # the change matters to the ranking ...
    assert now == _fresh(rw)  # ... and the panel shows it


def test_a_review_submitted_since_is_ranked(kept):
    rw = kept.world
    third = next(p for p in rw.proposals if p not in (kept.battery, kept.other))
    seat = kept.run.assignments.filter(proposal=third).select_related("expert__user", "run")[0]
    write(seat, score=9)
    _check_changed(kept)


def test_a_changed_criterion_weight_reranks(kept):
    rw = kept.world
    crit = AssessmentCriterion.objects.filter(scheme=rw.scheme).order_by("order")
    # give the criterion the battery reviews scored higher than the others most of the weight
    review = kept.reviews[0]
    review.scores.filter(criterion=crit[0]).update(score=10)  # the fixture's draft-era scores
    ranking_cache.side_rankings.clear()
    kept.before = _summary(_view(rw))
    AssessmentCriterion.objects.filter(pk=crit[0].pk).update(weight=Decimal("9"))
    _check_changed(kept)


def test_a_half_leaving_the_panel_states_leaves_the_ranking(kept):
    half = kept.other.half("HK")
    half.state = HalfState.WITHDRAWN
    half.save(update_fields=["state"])
    _check_changed(kept)


def test_an_expert_moving_to_the_lead_institution_stops_counting(kept):
    expert = kept.reviews[0].assignment.expert
    expert.institution = kept.battery.half("HK").institution
    expert.save()
    _check_changed(kept)


def test_a_declared_conflict_added_or_removed_by_the_expert(kept):
    rw = kept.world
    expert = kept.reviews[0].assignment.expert
    conflict = profiles.add_declared_conflict(
        expert.user, expert, institution=kept.battery.half("HK").institution, reason="Visiting"
    )
    _check_changed(kept)
    kept.before = _summary(_view(rw))
    profiles.delete_owned(expert.user, conflict)
    _check_changed(kept)


def test_a_declared_conflict_edited_outside_the_services(kept):
    """The admin's inline writes conflicts with ``save()``: the receiver marks the profile."""
    rw = kept.world
    conflict = DeclaredConflict.objects.get(expert=kept.reviews[2].assignment.expert)
    conflict.until = timezone.localdate() - dt.timedelta(days=1)  # no longer in force
    conflict.save()
    _check_changed(kept)
    kept.before = _summary(_view(rw))
    conflict.delete()
    assert _summary(_view(rw)) == _fresh(rw)


def test_a_declared_conflict_ending_today_stops_counting_tomorrow(kept, monkeypatch):
    rw = kept.world
    DeclaredConflict.objects.filter(expert=kept.reviews[2].assignment.expert).update(
        until=timezone.localdate()
    )
    ranking_cache.side_rankings.clear()
    kept.before = _summary(_view(rw))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    _check_changed(kept)


def test_a_moved_review_deadline_and_changed_rules(kept):
    rw = kept.world
    window = ReviewWindow.objects.get(call=rw.call, side="HK")
    window.deadline = timezone.now() + dt.timedelta(days=30)  # the late review is on time now
    window.save(update_fields=["deadline"])
    _check_changed(kept)
    kept.before = _summary(_view(rw))
    SideReviewRules.objects.filter(scheme_side__side="HK").update(min_valid_reviews=1)
    _check_changed(kept)


def test_an_entry_is_trusted_for_five_minutes_at_most(kept, monkeypatch):
    rw = kept.world
    first = _view(rw).result
    later = stamped_cache._clock() + ranking_cache.side_rankings.max_age + 1
    monkeypatch.setattr(stamped_cache, "_clock", lambda: later)
    again = _view(rw).result
    assert again is not first and _summary(_view(rw)) == kept.before


def test_only_a_few_sides_are_kept(kept, monkeypatch):
    rw = kept.world
    monkeypatch.setattr(ranking_cache.side_rankings, "max_entries", 1)
    first = _view(rw).result
    psvc.panel_view(psvc.panel_for(rw.call, "ML"), viewer=rw.itc_officer)  # pushes HK out
    assert _view(rw).result is not first
