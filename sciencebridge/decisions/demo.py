"""Demo panel and decision data, built through the services (after the review demo):

- the demo "panel.chair" chairs both panels of every demo call;
- for the past call (mhkjfs-2025) the chair records a recommendation for every ranked half (by
  calibrated rank: fund, fund with conditions, reserve, reject) and the two officers decide: the Hong
  Kong side for every proposal, the Mainland side for all but the last few, so the budget view shows
  awarded money, commitments awaiting the partner, a released commitment and what remains.

The past call's panel met after its review window closed (about ten months ago), so the projects its
decisions start have a year of history behind them, as the projects demo then records.
"""

from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager, nullcontext
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.utils import timezone

from sciencebridge.funding.models import Call, HalfState, Side
from sciencebridge.funding.validation import budget_total

from .models import Recommendation, SideDecision
from .services import decisions as dsvc
from .services import panel as psvc

DEMO_CALLS = ("mhkjfs-2026", "jrs-2026", "mhkjfs-2025")
PAST_CALL = "mhkjfs-2025"
NOTES = {
    Recommendation.FUND: "Strong scores from all reviewers; the two teams are complementary. Recommended.",
    Recommendation.FUND_CONDITIONS: "Good proposal; the panel asks for a tighter equipment budget.",
    Recommendation.RESERVE: "Sound but less competitive this round; on the reserve list if money allows.",
    Recommendation.REJECT: "Below the funding line: limited collaboration between the two sides.",
}
CONDITIONS = "Reduce the equipment budget by 10% and add a joint data-management plan."
# After the past call's review (review demo: 5 days after closing, 21 days to review).
PAST_PANEL_AFTER_CLOSE = dt.timedelta(days=35)


@contextmanager
def at(moment):
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _officer(call, side):
    agency_id = call.scheme.side(side).agency_id
    return (
        get_user_model()
        .objects.filter(agency_id=agency_id, groups__name="programme_officer")
        .order_by("pk")
        .first()
    )


def _decide(call, half, recs) -> None:
    half.refresh_from_db()
    if half.state != HalfState.ELIGIBLE:
        return  # already closed by the partner's "do not fund"
    side = half.side
    rec = recs[half.pk][0]
    fund = rec in (Recommendation.FUND, Recommendation.FUND_CONDITIONS)
    amount = budget_total(half)
    ceiling = call.ceiling_for(side)
    if ceiling is not None:
        amount = min(amount, ceiling)
    if rec == Recommendation.FUND_CONDITIONS:
        amount = (amount * Decimal("0.9")).quantize(Decimal("1000"))
    remaining = dsvc.side_budget(call, side).amount - dsvc.committed_total(call, side)
    if fund and amount > remaining:
        fund = False  # the budget is spent: the reserve list starts here
    label = Recommendation(rec).label
    reason = (
        f"Panel ranked {recs[half.pk][1]}; {label}."
        if fund
        else f"Panel recommendation: {label}; not funded this round."
    )
    dsvc.decide(
        _officer(call, side),
        half,
        fund=fund,
        amount=amount if fund else None,
        reason=reason,
        conditions=CONDITIONS if rec == Recommendation.FUND_CONDITIONS else "",
    )


def seed(command, rng):
    t0 = time.monotonic()
    User = get_user_model()
    chair = User.objects.filter(username="panel.chair").first()
    calls = list(
        Call.objects.filter(code__in=DEMO_CALLS)
        .select_related("scheme")
        .prefetch_related("scheme__sides")
    )
    if chair is None or not calls:
        command.stdout.write("No demo chair or calls: no panel data.")
        return
    for call in calls:
        with at(call.closes_at + dt.timedelta(days=5)) if call.code == PAST_CALL else nullcontext():
            for side in (Side.HONG_KONG, Side.MAINLAND):
                officer = _officer(call, side)
                panel = psvc.panel_for(call, side)
                if officer is not None and panel.chair_id is None:
                    psvc.appoint_chair(officer, panel, chair)
    past = next((c for c in calls if c.code == PAST_CALL), None)
    if past is None or SideDecision.objects.filter(call=past).exists():
        command.stdout.write(
            "Panels appointed (past-call decisions already exist or no past call)."
        )
        return
    with at(past.closes_at + PAST_PANEL_AFTER_CLOSE):
        counts, n_recs = _panel_and_decisions(past, chair)
    summary = ", ".join(
        f"{b['label']}: {b['committed']} committed of {b['budget']}"
        for b in dsvc.budget_summary(past)
    )
    command.stdout.write(
        f"Decisions demo: {n_recs} panel recommendations; decisions {counts}; {summary} "
        f"({time.monotonic() - t0:.1f} s)."
    )


def _panel_and_decisions(past, chair):
    recs = {}
    for side in (Side.HONG_KONG, Side.MAINLAND):
        # As the chair sees it: proposals the chair has a conflict with are withheld (no recommendation,
        # so they stay undecided).
        view = psvc.panel_view(psvc.panel_for(past, side), viewer=chair)
        ranked = [
            r
            for r in view.rows
            if r.result.n and r.result.gradable and r.half.state == HalfState.ELIGIBLE
        ]
        n = len(ranked)
        for row in ranked:
            q = row.result.rank / max(n, 1)
            rec = (
                Recommendation.FUND
                if q <= 0.45
                else Recommendation.FUND_CONDITIONS
                if q <= 0.6
                else Recommendation.RESERVE
                if q <= 0.75
                else Recommendation.REJECT
            )
            psvc.record_recommendation(
                chair,
                row.half,
                recommendation=rec,
                notes=NOTES[rec],
                conditions=CONDITIONS if rec == Recommendation.FUND_CONDITIONS else "",
                result=row.result,
            )
            recs[row.half.pk] = (rec, row.result.rank)
    # Proposals in order of their best rank on either side; both halves must be at the decision stage.
    by_proposal: dict = {}
    for side in (Side.HONG_KONG, Side.MAINLAND):
        for half in psvc.panel_halves(past, side):
            by_proposal.setdefault(half.proposal_id, {})[side] = half
    pairs = [
        p for p in by_proposal.values() if len(p) == 2 and all(h.pk in recs for h in p.values())
    ]
    pairs.sort(key=lambda p: min(recs[h.pk][1] for h in p.values()))
    counts = {"awarded": 0, "declined": 0, "released": 0, "pending": 0}
    # The Hong Kong side decides every proposal first; the Mainland side all but the last few that Hong
    # Kong funded, so the budget view also shows commitments awaiting the partner.
    for pair in pairs:
        _decide(past, pair[Side.HONG_KONG], recs)
    hk_committed = [
        pair
        for pair in pairs
        if SideDecision.objects.filter(half=pair[Side.HONG_KONG], state="committed").exists()
    ]
    pending = (
        {id(p) for p in hk_committed[-(1 if len(hk_committed) < 8 else 3) :]}
        if hk_committed
        else set()
    )
    for pair in pairs:
        if id(pair) in pending:
            counts["pending"] += 1
            continue
        _decide(past, pair[Side.MAINLAND], recs)
    for d in SideDecision.objects.filter(call=past).exclude(state=""):
        key = {"awarded": "awarded", "declined": "declined", "released": "released"}.get(d.state)
        if key:
            counts[key] += 1
    return counts, len(recs)
