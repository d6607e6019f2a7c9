"""Why each reviewer was chosen: per-proposal explanations for the programme officer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .problem import AssignmentProblem
from .result import AssignmentResult


@dataclass(frozen=True)
class Choice:
    expert: int
    affinity: float
    rank: int  # 1 = best conflict-free candidate of the proposal (by affinity)
    n_candidates: int  # conflict-free, non-forbidden candidates of the proposal
    region: object
    fixed: bool
    better_at_max_load: int  # better-ranked candidates not chosen because at maximum load
    better_region: int  # better-ranked candidates whose swap-in would break a region minimum
    better_other: int  # better-ranked candidates not chosen for another reason (see below)
    reason: str


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def explain_choices(
    problem: AssignmentProblem, result: AssignmentResult, proposal: int
) -> list[Choice]:
    """One :class:`Choice` per reviewer assigned to ``proposal``, best first.

    The explanation is computed from the data: the reviewer's rank among the
    proposal's conflict-free candidates, and for every candidate with a strictly higher
    affinity that was not chosen, whether it is at maximum load in this assignment (its
    reviews are worth more elsewhere), or swapping it in would break the proposal's
    region minimum.  In an optimal or fair result any other better candidate can only
    have been left out to keep this reviewer's minimum load; in the greedy baseline it
    is the heuristic's order.
    """
    pp = problem.prepared
    p = int(proposal)
    lo, hi = np.searchsorted(pp.cand_rows, [p, p + 1])
    ce, ca = pp.cand_cols[lo:hi], pp.cand_aff[lo:hi]
    order = np.lexsort((ce, -ca))
    ce, ca = ce[order], ca[order]
    rank_of = {int(e): i for i, e in enumerate(ce.tolist())}
    mine = result.experts_of(p)
    lo_r, hi_r = np.searchsorted(result.proposals, [p, p + 1])
    fixed_mine = np.asarray(result.fixed[lo_r:hi_r], bool)
    aff_mine = np.asarray(result.affinity[lo_r:hi_r], float)
    chosen = np.isin(ce, mine)
    full = result.loads[ce] >= pp.max_load[ce]
    codes = pp.region_codes
    counts = np.bincount(codes[mine], minlength=pp.n_regions)
    need, minima = int(pp.need[p]), pp.minima[p]
    other_why = (
        "better-ranked candidates are left out by the greedy order"
        if result.mode == "greedy"
        else "better-ranked candidates are left out to keep this reviewer's minimum load"
    )
    out: list[Choice] = []
    for e, a, fx in zip(mine.tolist(), aff_mine.tolist(), fixed_mine.tolist(), strict=True):
        rank = rank_of.get(e, -1) + 1
        skipped = (ca > a) & ~chosen
        # would swapping candidate c in for e break a region minimum?
        swapped = np.tile(counts, (ce.size, 1))
        swapped[:, codes[e]] -= 1
        swapped[np.arange(ce.size), codes[ce]] += 1
        breaks = mine.size + np.maximum(minima - swapped, 0).sum(axis=1) > need
        n_full = int((skipped & full).sum())
        n_region = int((skipped & ~full & breaks).sum())
        n_other = int((skipped & ~full & ~breaks).sum())
        region = pp.region_labels[pp.region_codes[e]]
        if fx:
            reason = "locked by hand (accepted or fixed before the run)"
        else:
            reason = f"rank {rank} of {ce.size} conflict-free candidates (affinity {a:.3f})"
            if n_full == 0 and n_region == 0 and n_other == 0:
                reason += "; every better-ranked candidate is also assigned"
            if n_full:
                reason += "; " + _plural(
                    n_full,
                    "better-ranked candidate is at maximum load",
                    "better-ranked candidates are at maximum load",
                )
            if n_region:
                reason += "; " + _plural(
                    n_region,
                    "better-ranked candidate would break the region minimum",
                    "better-ranked candidates would break the region minimum",
                )
            if n_other:
                reason += f"; {n_other} " + other_why
            if pp.expert_regions_given and pp.minima[p, pp.region_codes[e]] > 0:
                reason += f"; counts towards the {pp.region_name(pp.region_codes[e])} minimum"
        out.append(
            Choice(
                expert=e,
                affinity=a,
                rank=rank,
                n_candidates=int(ce.size),
                region=region,
                fixed=fx,
                better_at_max_load=n_full,
                better_region=n_region,
                better_other=n_other,
                reason=reason,
            )
        )
    out.sort(key=lambda c: (-c.affinity, c.expert))
    return out
