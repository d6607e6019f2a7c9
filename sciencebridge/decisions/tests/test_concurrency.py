"""No over-commitment: officers deciding at the same moment can never push a side past its budget.

Each thread decides a different proposal with its own database connection; a barrier releases them
together. The decision locks the call row (SELECT ... FOR UPDATE) and sums the side's commitments in
the same transaction, so exactly as many awards as fit are accepted and the rest get the budget message.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from djmoney.money import Money

from sciencebridge.decisions.models import COMMITTING_STATES, SideDecision
from sciencebridge.decisions.services import decisions as dsvc
from sciencebridge.funding.models import ProposalHalf

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks (SELECT FOR UPDATE) and serialises all "
        "writers, so parallel decisions cannot be exercised on it",
    ),
]

N_PROPOSALS = 8
AWARD = Decimal(300000)


def _run_parallel(jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(i, fn):
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", fn())
        except ValidationError as e:
            results[i] = ("refused", " ".join(e.messages))
        except Exception as e:  # noqa: BLE001 - reported in the assertion
            results[i] = ("error", repr(e))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_parallel_fund_decisions_never_exceed_the_side_budget(
    dworld, eligible_pair, ready_to_decide, monkeypatch
):
    # Widen the read-check-write window: every decision pauses after summing the commitments. Without
    # the call-row lock all eight read the same total and all commit: HK$2.4m of a HK$1m budget (checked by removing the lock).
    real_total = dsvc.committed_total

    def slow_total(call, side):
        total = real_total(call, side)
        time.sleep(0.3)
        return total

    monkeypatch.setattr(dsvc, "committed_total", slow_total)
    dworld.call.budget_hk = Money(1_000_000, "HKD")  # room for 3 awards of 300,000, not 4
    dworld.call.save()
    proposals = [eligible_pair() for _ in range(N_PROPOSALS)]
    ready_to_decide(*proposals)
    halves = [p.half("HK") for p in proposals]
    officer = dworld.itc_officer

    def job(half_id):
        return lambda: (
            dsvc.decide(
                officer,
                ProposalHalf.objects.get(pk=half_id),
                fund=True,
                amount=AWARD,
                reason="Parallel meeting",
            ).pk
        )

    results = _run_parallel([job(h.pk) for h in halves])
    kinds = [r[0] for r in results]
    assert "error" not in kinds, results
    assert kinds.count("ok") == 3 and kinds.count("refused") == N_PROPOSALS - 3, results
    assert all("Not enough budget" in msg for kind, msg in results if kind == "refused")
    committed = dsvc.committed_total(dworld.call, "HK")
    assert committed == 3 * AWARD <= Decimal(1_000_000)
    assert (
        SideDecision.objects.filter(
            call=dworld.call, side="HK", state__in=COMMITTING_STATES
        ).count()
        == 3
    )


def test_parallel_decisions_on_both_sides_of_one_proposal_fund_it_once(
    dworld, eligible_pair, ready_to_decide
):
    """The HK and Mainland officers fund the same proposal at the same moment: exactly one of them is the
    "second side", so both halves end FUNDED and the hand-over signal is sent once."""
    from sciencebridge.funding.signals import proposal_jointly_funded

    sent = []
    proposal_jointly_funded.connect(
        lambda sender, proposal, actor, **kw: sent.append(proposal.pk),
        dispatch_uid="conc",
        weak=False,
    )
    try:
        p = eligible_pair()
        ready_to_decide(p)
        hk, ml = p.half("HK").pk, p.half("ML").pk
        results = _run_parallel(
            [
                lambda: (
                    dsvc.decide(
                        dworld.itc_officer,
                        ProposalHalf.objects.get(pk=hk),
                        fund=True,
                        amount=500000,
                        reason="x",
                    ).state
                ),
                lambda: (
                    dsvc.decide(
                        dworld.most_officer,
                        ProposalHalf.objects.get(pk=ml),
                        fund=True,
                        amount=400000,
                        reason="x",
                    ).state
                ),
            ]
        )
    finally:
        proposal_jointly_funded.disconnect(dispatch_uid="conc")
    assert sorted(r[1] for r in results) == ["awarded", "committed"], results
    assert set(ProposalHalf.objects.filter(pk__in=[hk, ml]).values_list("state", flat=True)) == {
        "funded"
    }
    assert sent == [p.pk]
