"""The expertise gold standard's metric (Stelmakh et al. 2023), lower is better.

For each participant, every pair of rated papers (a, b) with different ratings is weighted by
|r_a - r_b|. A pair the scores order the wrong way costs its full weight, a tie costs half.
Loss = total cost / total weight. "Easy" pairs: one rating >= 4 and the other <= 2; "hard" pairs:
both >= 4 and different; accuracy = share ordered correctly (ties count half).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ParticipantCost:
    """Additive pieces of the metric for one participant (so they can be pooled or bootstrapped)."""

    cost: float
    weight: float
    easy_correct: float
    easy_n: int
    hard_correct: float
    hard_n: int


def participant_cost(ratings: Sequence[float], scores: Sequence[float]) -> ParticipantCost:
    r = np.asarray(ratings, dtype=float)
    s = np.asarray(scores, dtype=float)
    i, j = np.triu_indices(len(r), k=1)
    dr = r[i] - r[j]
    keep = dr != 0
    i, j, dr = i[keep], j[keep], dr[keep]
    ds = s[i] - s[j]
    # 1 if the engine orders the pair like the ratings, 0.5 on a tie, 0 if reversed
    agree = np.where(ds == 0, 0.5, (np.sign(ds) == np.sign(dr)).astype(float))
    w = np.abs(dr)
    hi, lo = np.maximum(r[i], r[j]), np.minimum(r[i], r[j])
    easy = (hi >= 4) & (lo <= 2)
    hard = lo >= 4
    return ParticipantCost(
        cost=float((w * (1 - agree)).sum()),
        weight=float(w.sum()),
        easy_correct=float(agree[easy].sum()),
        easy_n=int(easy.sum()),
        hard_correct=float(agree[hard].sum()),
        hard_n=int(hard.sum()),
    )


@dataclass(frozen=True)
class Summary:
    loss: float
    ci_low: float
    ci_high: float
    easy_acc: float
    hard_acc: float
    n_participants: int


def pooled(costs: Sequence[ParticipantCost]) -> tuple[float, float, float]:
    """(loss, easy accuracy, hard accuracy) pooled over participants."""
    c = sum(x.cost for x in costs)
    w = sum(x.weight for x in costs)
    en = sum(x.easy_n for x in costs)
    hn = sum(x.hard_n for x in costs)
    easy = sum(x.easy_correct for x in costs) / en if en else float("nan")
    hard = sum(x.hard_correct for x in costs) / hn if hn else float("nan")
    return (c / w if w else float("nan")), easy, hard


def bootstrap_ci(
    costs: Sequence[ParticipantCost], n_boot: int = 2000, alpha: float = 0.05, seed: int = 0
) -> tuple[float, float]:
    """Percentile interval of the pooled loss, resampling participants with replacement."""
    c = np.array([x.cost for x in costs])
    w = np.array([x.weight for x in costs])
    if len(c) == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(c), size=(n_boot, len(c)))
    ws = w[idx].sum(axis=1)
    losses = c[idx].sum(axis=1) / np.where(ws > 0, ws, np.nan)
    lo, hi = np.nanpercentile(losses, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def summarise(costs: Sequence[ParticipantCost], n_boot: int = 2000, seed: int = 0) -> Summary:
    loss, easy, hard = pooled(costs)
    lo, hi = bootstrap_ci(costs, n_boot=n_boot, seed=seed)
    return Summary(loss, lo, hi, easy, hard, len(costs))
