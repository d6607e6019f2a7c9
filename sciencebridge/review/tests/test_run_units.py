"""The run page's order of units is kept between requests (``review.run_units``, issue 16): a page
reads its own rows, and whatever changes the units or their order is seen by the next request."""

import pytest

from sciencebridge.core.testing.spies import record_calls
from sciencebridge.core.workflow import transition
from sciencebridge.funding.models import HalfState, ProposalHalf
from sciencebridge.review import run_units, selectors

from .test_conflict_exclusion import conflicted_officer  # noqa: F401  (fixture)
from .test_run_page import _key, _page, _units

pytestmark = pytest.mark.django_db


@pytest.fixture
def orderings(monkeypatch):
    """How many times the side's whole order was read (the kept order's computation)."""
    monkeypatch.setattr(selectors, "RUN_UNITS_PER_PAGE", 3)
    return record_calls(monkeypatch, run_units, "narrow_ids", lambda qs: qs.model)


@pytest.fixture
def proposed(rw, run_sync):
    return run_sync(rw.itc_officer, rw.call, "HK")


def _ordered(proposals):
    return [_key(p) for p in sorted(proposals, key=lambda p: p.reference)]


def test_pages_share_one_reading_of_the_order(rw, proposed, client, orderings):
    client.force_login(rw.itc_officer)
    ordered = _ordered(rw.proposals)
    assert _units(_page(client, proposed)) == ordered[:3]
    second = _page(client, proposed, page=2)
    assert _units(second) == ordered[3:6] and f"2 / {-(-len(ordered) // 3)}" in second
    assert _units(_page(client, proposed, page=99)) == ordered[(len(ordered) - 1) // 3 * 3 :]
    assert len(orderings) == 1
    # a search and the "short of reviewers" filter are read afresh, not from the kept order
    assert _units(_page(client, proposed, q=rw.proposals[0].reference)) == [_key(rw.proposals[0])]
    assert len(orderings) == 1


def test_a_state_change_and_an_edited_reference_are_seen(rw, proposed, client, orderings):
    client.force_login(rw.itc_officer)
    everyone = list(rw.proposals)
    _page(client, proposed)
    # a unit withdrawn leaves the order
    gone = everyone.pop(1)
    transition(gone.half("HK"), HalfState.WITHDRAWN, actor=rw.itc_officer)
    assert _units(_page(client, proposed)) == _ordered(everyone)[:3]
    assert len(orderings) == 2
    # an edited reference moves its unit (the order is by reference)
    last = max(everyone, key=lambda p: p.reference)
    last.reference = "0-" + last.reference
    last.save()
    assert _units(_page(client, proposed))[0] == _key(last)
    assert len(orderings) == 3
    # and an unchanged stamp reads nothing again
    _page(client, proposed, page=2)
    assert len(orderings) == 3


def test_a_removed_unit_drops_the_kept_order(rw, proposed, client, orderings):
    client.force_login(rw.itc_officer)
    ordered = sorted(rw.proposals, key=lambda p: p.reference)
    _page(client, proposed)
    ordered.pop(0).delete()
    assert _units(_page(client, proposed)) == _ordered(ordered)[:3]
    assert len(orderings) == 2


def test_a_row_gone_unseen_is_left_out_and_the_order_dropped(rw, proposed, client, orderings):
    client.force_login(rw.itc_officer)
    _page(client, proposed)
    assert len(run_units.kept._entries) == 1
    rows = ProposalHalf.objects.filter(call=rw.call, side="HK")
    first, second = (p.half("HK").pk for p in rw.proposals[:2])
    gone = max(ProposalHalf.objects.values_list("pk", flat=True)) + 1  # as if removed by raw SQL
    assert [h.pk for h in run_units.page_rows(rw.call, rows, [second, gone, first])] == [
        second,
        first,
    ]
    assert len(run_units.kept._entries) == 0
    _page(client, proposed)
    assert len(orderings) == 2


def test_viewers_with_different_conflicts_do_not_share_an_order(
    published,
    client,
    conflicted_officer,  # noqa: F811
    orderings,
):
    officer, target = conflicted_officer
    run, world = published.run, published.world
    client.force_login(world.itc_officer)
    assert _units(_page(client, run)) == _ordered(world.proposals)[:3]
    client.force_login(officer)
    assert _units(_page(client, run)) == _ordered(p for p in world.proposals if p != target)[:3]
    assert len(orderings) == 2
