"""Issue 16: the side rankings' stamp of a call's halves (``panel._call_halves_stamp``): rows on
SQLite, their number and a digest on PostgreSQL. Either way it is a function of every half's id,
proposal, side, state and institution: any change of one shows, and undoing it gives the same stamp
back (the suite runs on both databases)."""

import pytest

from sciencebridge.decisions.services.panel import _call_halves_stamp
from sciencebridge.funding.models import HalfState, ProposalHalf

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(dworld, eligible_pair):
    first = eligible_pair()
    eligible_pair()
    return first


def _stamp(call):
    return tuple(_call_halves_stamp(call))


def test_the_same_halves_give_the_same_stamp(dworld, pair):
    assert _stamp(dworld.call) == _stamp(dworld.call)


@pytest.mark.parametrize(
    "change",
    [
        {"state": HalfState.WITHDRAWN},
        {"state": HalfState.FUNDED},
        {"institution": None},
    ],
    ids=["state", "another state", "institution"],
)
def test_a_changed_half_changes_the_stamp_and_undoing_it_restores_it(dworld, pair, change):
    half = pair.half("HK")
    before = _stamp(dworld.call)
    old = {name: getattr(half, name) for name in change}
    ProposalHalf.objects.filter(pk=half.pk).update(**change)
    assert _stamp(dworld.call) != before
    ProposalHalf.objects.filter(pk=half.pk).update(**old)
    assert _stamp(dworld.call) == before


def test_the_institution_counts_whichever_it_becomes(dworld, pair):
    half = pair.half("ML")
    before = _stamp(dworld.call)
    ProposalHalf.objects.filter(pk=half.pk).update(institution=dworld.astri)
    assert _stamp(dworld.call) != before


def test_an_added_or_removed_half_changes_the_stamp(dworld, pair, eligible_pair):
    before = _stamp(dworld.call)
    third = eligible_pair()
    with_third = _stamp(dworld.call)
    assert with_third != before
    ProposalHalf.objects.filter(proposal=third, side="ML").delete()
    assert _stamp(dworld.call) not in (before, with_third)


def test_another_calls_halves_do_not_count(dworld, pair, eligible_pair):
    from sciencebridge.core.testing.factories import make_call

    other = make_call(dworld.scheme, code="other-call")
    moved = eligible_pair()
    ProposalHalf.objects.filter(proposal=moved).update(call=other)
    before = _stamp(dworld.call)
    ProposalHalf.objects.filter(call=other).update(state=HalfState.WITHDRAWN)
    assert ProposalHalf.objects.filter(call=other).count() == 2
    assert _stamp(dworld.call) == before
    assert _stamp(other) != _stamp(dworld.call)
