"""Review rows for the scale benchmark (bench/scale.py): published runs, accepted seats, submitted reviews.

Written with bulk_create straight into the tables, as a past review round would have left them; the
workflow services are exercised by the tests, not here.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from sciencebridge.experts.models import ExpertProfile
from sciencebridge.funding.models import Call, HalfState, ProposalHalf

from .models import (
    Assignment,
    AssignmentRun,
    AssignmentState,
    Recommendation,
    Review,
    ReviewScore,
    ReviewState,
    RunState,
)
from .services.scoring import unit_key

BATCH = 5000


def generate(n_reviews: int, rng: random.Random) -> None:
    now = timezone.now()
    experts = {
        "HK": list(ExpertProfile.objects.filter(region="HK").values_list("id", flat=True)),
        "ML": list(ExpertProfile.objects.filter(region="ML").values_list("id", flat=True)),
    }
    reviewable = [HalfState.ELIGIBLE, HalfState.FUNDED, HalfState.NOT_FUNDED]
    halves = list(
        ProposalHalf.objects.filter(state__in=reviewable).values_list(
            "id", "proposal_id", "side", "proposal__call_id"
        )
    )
    rng.shuffle(halves)
    per_half = 3
    halves = halves[: -(-n_reviews // per_half)]
    runs = {}
    for call in Call.objects.filter(pk__in={h[3] for h in halves}):
        for side in ("HK", "ML"):
            runs[(call.pk, side)] = AssignmentRun.objects.create(
                call=call,
                side=side,
                state=RunState.PUBLISHED,
                objective=0.0,
                published_at=now,
                parameters={"generated": "bench/scale.py"},
            )
    criteria = defaultdict(list)
    for call in Call.objects.filter(pk__in={h[3] for h in halves}).prefetch_related(
        "scheme__criteria"
    ):
        criteria[call.pk] = list(call.scheme.criteria.all())
    made = 0
    recommendations = [r for r, _ in Recommendation.choices]
    for start in range(0, len(halves), BATCH // per_half):
        chunk = halves[start : start + BATCH // per_half]
        seats = []
        for half_id, proposal_id, side, call_id in chunk:
            pool = experts["HK"] + experts["ML"] if rng.random() < 0.3 else experts[side]
            for expert_id in rng.sample(pool, per_half):
                if made >= n_reviews:
                    break
                seats.append(
                    Assignment(
                        run=runs[(call_id, side)],
                        proposal_id=proposal_id,
                        half_id=half_id,
                        expert_id=expert_id,
                        affinity=round(rng.uniform(0.3, 0.95), 4),
                        state=AssignmentState.SUBMITTED,
                        invited_at=now,
                        responded_at=now,
                        token=secrets.token_urlsafe(24),
                    )
                )
                made += 1
        Assignment.objects.bulk_create(seats, batch_size=BATCH)
        reviews, scores = [], []
        for seat in seats:
            crit = criteria[seat.run.call_id]
            marks = [(c, rng.randint(3, 10)) for c in crit]
            total_w = sum((c.weight for c, _ in marks), Decimal(0)) or Decimal(1)
            weighted = (sum((c.weight * m for c, m in marks), Decimal(0)) / total_w).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            reviews.append(
                Review(
                    assignment=seat,
                    state=ReviewState.SUBMITTED,
                    submitted_at=now,
                    weighted_score=weighted,
                    recommendation=rng.choice(recommendations),
                    comments_to_applicant="Generated review comment.",
                )
            )
        Review.objects.bulk_create(reviews, batch_size=BATCH)
        for review in reviews:
            for c in criteria[review.assignment.run.call_id]:
                scores.append(ReviewScore(review=review, criterion=c, score=rng.randint(3, 10)))
        ReviewScore.objects.bulk_create(scores, batch_size=BATCH)
        print(f"    {made:>7,} reviews", end="\r", flush=True)
        if made >= n_reviews:
            break
    print()
    add_run_notes(runs, halves, rng)


def add_run_notes(runs: dict, halves: list, rng: random.Random) -> None:
    """What a real run records for each of its units (``AssignmentRun.notes``): the candidates it
    considered and, for about a third, an expert excluded for a conflict of interest. A national
    run's notes are then hundreds of KB, as the run's page and the seat lists meet them."""
    notes = defaultdict(dict)
    for half_id, _proposal_id, side, call_id in halves:
        excluded = []
        if rng.random() < 0.3:
            excluded.append(
                {
                    "expert": f"Scale Expert {rng.randint(1, 50_000)}",
                    "reasons": [{"kind": "same_institution", "institution": "hku"}],
                }
            )
        notes[(call_id, side)][unit_key(None, half_id)] = {
            "candidates": 40,
            "excluded": excluded,
        }
    for key, run in runs.items():
        run.notes = notes.get(key, {})
        run.save(update_fields=["notes"])


def bench_jobs(timed) -> None:
    """Heavy review jobs on the generated data: the panel ranking of the largest call side."""
    from sciencebridge.decisions.services import panel as panel_svc

    call = Call.objects.filter(assignment_runs__isnull=False).distinct().order_by("code").first()
    if call is None:
        print("  (no generated reviews: run `generate` first)")
        return
    for side in ("HK", "ML"):
        with timed(f"panel ranking with calibration, {call.code} {side}"):
            view = panel_svc.panel_view(panel_svc.panel_for(call, side), viewer=None)
        print(f"    {len(view.rows)} proposals ranked")
