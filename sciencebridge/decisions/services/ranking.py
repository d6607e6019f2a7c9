"""Panel maths, framework-free: weighted review scores, spread between reviewers, and calibration of
harsh or lenient reviewers. Plain tuples in, plain dataclasses out (tested with hand-checked numbers).

Method
------
1. *Weighted score of one review*: the weighted mean of its criterion scores, with the scheme's
   criterion weights, ``sum(w_c * s_c) / sum(w_c)`` over the criteria the reviewer scored.
2. *Raw score of a proposal*: the mean of its reviews' weighted scores; *spread*: the highest minus the
   lowest weighted score (and the sample standard deviation).
3. *Calibration* (additive reviewer offsets): every weighted score is modelled as
   ``score(reviewer, proposal) = quality(proposal) + offset(reviewer) + noise`` and the offsets are
   fitted by least squares over **all** of the reviewer's reviews in the call, with a ridge penalty
   ``shrinkage * offset²`` (equivalent to ``shrinkage`` imaginary reviews with offset 0). A harsh
   reviewer gets a negative offset, a lenient one a positive offset; a reviewer with few reviews is
   pulled towards 0, so one review is never "corrected" on thin evidence. Because each proposal's
   quality is estimated at the same time, a reviewer who simply drew strong proposals is not mistaken
   for a lenient one (unlike the naive "reviewer mean minus overall mean").
   The fit alternates the two closed-form updates until nothing moves by more than ``tol``:
   ``quality(p) = mean over p's reviews of (score - offset(r))`` and
   ``offset(r) = sum over r's reviews of (score - quality(p)) / (n_r + shrinkage)``.
4. *Calibrated score* of a review: ``score - offset(reviewer)``, kept on the scale of the scores when
   one is given (``scale=(1, 10)``: a review of 10 by a harsh reviewer stays 10, never 10.96 — a score
   cannot be better than the best mark); of a proposal: their mean, so it stays on the scale too.
   Proposals are ranked by calibrated score (ties: raw score, then key); both ranks are reported.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

DEFAULT_SHRINKAGE = 1.0


def weighted_score(
    scores: Mapping[Hashable, float], weights: Mapping[Hashable, float]
) -> float | None:
    """Weighted mean of the criterion scores given; criteria without a weight count with weight 1.
    ``None`` when no criterion was scored (or all weights are 0)."""
    num = den = 0.0
    for crit, s in scores.items():
        if s is None:
            continue
        w = float(weights.get(crit, 1.0))
        num += w * float(s)
        den += w
    return num / den if den > 0 else None


@dataclass(frozen=True)
class ReviewScore:
    item: Hashable  # the proposal half (or any key)
    reviewer: Hashable
    score: float  # the review's weighted score


@dataclass
class ReviewResult:
    reviewer: Hashable
    raw: float
    calibrated: float


@dataclass
class ItemResult:
    item: Hashable
    n: int
    raw: float
    calibrated: float
    spread: float
    sd: float | None
    raw_rank: int = 0
    rank: int = 0
    reviews: list[ReviewResult] = field(default_factory=list)
    #: False: too few valid reviews to grade (ranked after every gradable item, never above one)
    gradable: bool = True


@dataclass
class ReviewerOffset:
    reviewer: Hashable
    n: int
    mean: float
    offset: float


@dataclass
class PanelResult:
    items: list[ItemResult]  # in calibrated rank order
    reviewers: dict[Hashable, ReviewerOffset]
    iterations: int
    shrinkage: float


def fit_offsets(
    reviews: Iterable[ReviewScore],
    *,
    shrinkage: float = DEFAULT_SHRINKAGE,
    tol: float = 1e-9,
    max_iter: int = 1000,
) -> tuple[dict, dict, int]:
    """Least-squares fit of ``score = quality(item) + offset(reviewer)`` with a ridge penalty on the
    offsets. Returns ``(quality, offset, iterations)``. Vectorised (NumPy): a call of 10,000 proposals
    with 3 reviews each is fitted in well under a second."""
    if shrinkage < 0:
        raise ValueError("shrinkage must be >= 0")
    reviews = list(reviews)
    if not reviews:
        return {}, {}, 0
    item_keys: dict = {}
    rev_keys: dict = {}
    ii = np.fromiter(
        (item_keys.setdefault(r.item, len(item_keys)) for r in reviews),
        dtype=np.int64,
        count=len(reviews),
    )
    rr = np.fromiter(
        (rev_keys.setdefault(r.reviewer, len(rev_keys)) for r in reviews),
        dtype=np.int64,
        count=len(reviews),
    )
    score = np.fromiter((float(r.score) for r in reviews), dtype=float, count=len(reviews))
    n_item = np.bincount(ii, minlength=len(item_keys)).astype(float)
    n_rev = np.bincount(rr, minlength=len(rev_keys)).astype(float)
    offset = np.zeros(len(rev_keys))
    iterations = 0
    for _step in range(max_iter):
        iterations += 1
        quality = np.bincount(ii, weights=score - offset[rr], minlength=len(item_keys)) / n_item
        new = np.bincount(rr, weights=score - quality[ii], minlength=len(rev_keys)) / (
            n_rev + shrinkage
        )
        if shrinkage == 0:
            # Without a penalty the offsets are determined only up to a constant: pin their mean at 0.
            new -= new.mean()
        moved = float(np.max(np.abs(new - offset)))
        offset = new
        if moved <= tol:
            break
    quality = np.bincount(ii, weights=score - offset[rr], minlength=len(item_keys)) / n_item
    return (
        {k: float(quality[i]) for k, i in item_keys.items()},
        {k: float(offset[i]) for k, i in rev_keys.items()},
        iterations,
    )


def _sd(values: list[float]) -> float | None:
    if len(values) < 2:
        return None
    m = sum(values) / len(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


def rank_panel(
    reviews: Iterable[ReviewScore],
    *,
    shrinkage: float = DEFAULT_SHRINKAGE,
    items: Iterable[Hashable] = (),
    scale: tuple[float, float] | None = None,
    not_gradable: Iterable[Hashable] = (),
) -> PanelResult:
    """Rank the items of one panel. ``items`` lists items to include even without reviews (they come
    last, with n = 0 and NaN scores). ``scale``: ``(lowest, highest)`` mark; each calibrated review
    score is clamped to it. ``not_gradable``: items with too few valid reviews to grade; their
    reviews still calibrate their reviewers, but they are ranked after every gradable item (and
    before the items without reviews), flagged ``gradable=False``, so a high score from too few
    reviews never puts a proposal above one that was graded."""
    not_gradable = set(not_gradable)
    reviews = list(reviews)
    _, offset, iterations = fit_offsets(reviews, shrinkage=shrinkage)
    if scale is None:

        def calibrate(r):
            return r.score - offset[r.reviewer]
    else:
        lo, hi = scale

        def calibrate(r):
            return min(hi, max(lo, r.score - offset[r.reviewer]))

    by_item: dict = defaultdict(list)
    by_rev: dict = defaultdict(list)
    for r in reviews:
        by_item[r.item].append(r)
        by_rev[r.reviewer].append(r.score)
    results = []
    for item, rs in by_item.items():
        raw = [r.score for r in rs]
        cal = [calibrate(r) for r in rs]
        results.append(
            ItemResult(
                item=item,
                n=len(rs),
                raw=sum(raw) / len(raw),
                calibrated=sum(cal) / len(cal),
                spread=max(raw) - min(raw),
                sd=_sd(raw),
                reviews=[
                    ReviewResult(r.reviewer, r.score, c) for r, c in zip(rs, cal, strict=True)
                ],
            )
        )
    for item in items:
        if item not in by_item:
            results.append(
                ItemResult(
                    item=item, n=0, raw=math.nan, calibrated=math.nan, spread=math.nan, sd=None
                )
            )

    def key(attr):
        return lambda x: (
            x.n == 0,
            x.item in not_gradable,
            -getattr(x, attr) if x.n else 0.0,
            -x.raw if x.n else 0.0,
            str(x.item),
        )

    for res in results:
        res.gradable = res.item not in not_gradable
    for pos, res in enumerate(sorted(results, key=key("raw")), 1):
        res.raw_rank = pos
    ordered = sorted(results, key=key("calibrated"))
    for pos, res in enumerate(ordered, 1):
        res.rank = pos
    reviewers = {
        rev: ReviewerOffset(rev, len(ss), sum(ss) / len(ss), offset[rev])
        for rev, ss in by_rev.items()
    }
    return PanelResult(
        items=ordered, reviewers=reviewers, iterations=iterations, shrinkage=shrinkage
    )
