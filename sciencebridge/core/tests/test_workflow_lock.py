"""``transition()`` re-reads the state under a row lock: two people acting at once cannot both move it."""

import threading

import pytest
from django.db import connection, transaction

from sciencebridge.core.models import StateTransition
from sciencebridge.core.workflow import TransitionNotAllowed, transition
from sciencebridge.funding.models import HalfState, ProposalHalf


def _draft_half(world):
    from sciencebridge.funding.services import proposals as svc

    p = svc.create_proposal(
        world.hk_lead,
        world.call,
        title="Lock test",
        abstract="A.",
        plan="P.",
        project_type=world.scheme.project_types.get(code="platform"),
        area=world.scheme.areas.first(),
        duration_months=12,
    )
    return p.half("HK")


@pytest.mark.django_db
def test_stale_copy_is_refused_after_another_move(world):
    half = _draft_half(world)
    stale = ProposalHalf.objects.get(pk=half.pk)
    transition(half, HalfState.WITHDRAWN, reason="first")
    with pytest.raises(TransitionNotAllowed):
        transition(
            stale, HalfState.WITHDRAWN, reason="second"
        )  # the copy in memory still says "draft"
    assert stale.state == HalfState.WITHDRAWN
    assert (
        StateTransition.objects.filter(object_id=half.pk, to_state=HalfState.WITHDRAWN).count() == 1
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_only_one_succeeds(world):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite has no row locks (it serialises whole-database writes instead)"
        )
    half = _draft_half(world)
    first_moved, results = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                transition(ProposalHalf.objects.get(pk=half.pk), HalfState.WITHDRAWN, reason="A")
                first_moved.set()
                second_started.wait(5)
                threading.Event().wait(0.5)  # hold the lock while the second one tries
            results["A"] = "ok"
        except TransitionNotAllowed:
            results["A"] = "refused"
        finally:
            first_moved.set()
            connection.close()

    def second():
        stale = ProposalHalf.objects.get(pk=half.pk)  # read before the first commits: "draft"
        try:
            first_moved.wait(5)
            second_started.set()
            transition(stale, HalfState.WITHDRAWN, reason="B")
            results["B"] = "ok"
        except TransitionNotAllowed:
            results["B"] = "refused"
        finally:
            connection.close()

    second_started = threading.Event()
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert results == {"A": "ok", "B": "refused"}
    assert (
        StateTransition.objects.filter(object_id=half.pk, to_state=HalfState.WITHDRAWN).count() == 1
    )
