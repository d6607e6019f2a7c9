"""Replacement suggestions when an assigned reviewer declines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .problem import AssignmentProblem
from .result import AssignmentResult


@dataclass(frozen=True)
class Suggestion:
    expert: int
    affinity: float
    region: object  # the expert's region label
    fills_region: object | None  # region whose reserved seat it fills, if any
    load: int = 0  # the expert's current load (before this review)
    max_load: int = 0
    region_name: str = ""

    @property
    def reason(self) -> str:
        """Why this expert was chosen, for the programme officer."""
        who = f"{self.region_name} expert" if self.region_name else "expert"
        text = (
            f"highest-affinity conflict-free {who} with spare load "
            f"(affinity {self.affinity:.3f}, load {self.load}/{self.max_load})"
        )
        if self.fills_region is not None:
            text += f"; fills the reserved {self.region_name} seat"
        return text


def _as_experts(excluded_expert) -> list[int]:
    if excluded_expert is None:
        return []
    if np.ndim(excluded_expert) == 0:
        return [int(excluded_expert)]
    return [int(e) for e in excluded_expert]


def _pairs(assignment) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(assignment, AssignmentResult):
        return assignment.proposals, assignment.experts
    if isinstance(assignment, tuple) and len(assignment) == 2:
        return np.asarray(assignment[0], np.int64), np.asarray(assignment[1], np.int64)
    arr = np.asarray(assignment, np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def rank_replacements(
    problem: AssignmentProblem,
    current_assignment,
    proposal_index: int,
    excluded_expert: int | Iterable[int] | None = None,
    limit: int = 10,
    *,
    exclude: Iterable[int] = (),
) -> list[Suggestion]:
    """Best conflict-free candidates for ``proposal_index``, best first.

    ``current_assignment``: an :class:`AssignmentResult`, an ``(n, 2)`` pair array or
    ``(proposals, experts)``.  ``excluded_expert`` (one expert id or several) and
    ``exclude``: experts to drop (the decliner, and anyone else not to ask); they are
    removed from the proposal's current reviewers too, and their freed load is counted.  A suggestion must be a non-forbidden, non-conflicting
    candidate, not already on the proposal, with spare load, and -- if the proposal now
    misses a region minimum and has no free seat left -- of a region whose reserved
    seat is empty.
    """
    pp = problem.prepared
    E = pp.n_experts
    p = int(proposal_index)
    excl = np.unique(np.asarray(_as_experts(excluded_expert) + list(exclude), dtype=np.int64))
    rows, cols = _pairs(current_assignment)
    drop = (rows == p) & np.isin(cols, excl)
    rows, cols = rows[~drop], cols[~drop]
    loads = np.bincount(cols, minlength=E)
    mine = cols[rows == p]
    lo, hi = np.searchsorted(pp.cand_rows, [p, p + 1])
    ce, ca = pp.cand_cols[lo:hi], pp.cand_aff[lo:hi]
    ok = ~np.isin(ce, excl) & ~np.isin(ce, mine) & (loads[ce] < pp.max_load[ce])
    counts = np.bincount(pp.region_codes[mine], minlength=pp.n_regions)
    short = np.maximum(pp.minima[p] - counts, 0)
    free = int(pp.need[p]) - mine.size - int(short.sum())
    reg = pp.region_codes[ce]
    if free <= 0:
        ok &= short[reg] > 0
    idx = np.flatnonzero(ok)
    idx = idx[np.argsort(-ca[idx], kind="stable")][:limit]
    return [
        Suggestion(
            expert=int(ce[i]),
            affinity=float(ca[i]),
            region=pp.region_labels[reg[i]],
            fills_region=pp.region_labels[reg[i]] if short[reg[i]] > 0 else None,
            load=int(loads[ce[i]]),
            max_load=int(pp.max_load[ce[i]]),
            region_name=pp.region_name(int(reg[i])) if pp.expert_regions_given else "",
        )
        for i in idx
    ]


def next_best_reviewer(
    problem: AssignmentProblem,
    current_assignment,
    proposal_index: int,
    excluded_expert: int | Iterable[int] | None = None,
    *,
    exclude: Iterable[int] = (),
) -> Suggestion | None:
    """The best conflict-free replacement for ``excluded_expert`` on ``proposal_index``.

    Typical use: expert ``e`` declined (or declared a conflict on opening) proposal
    ``p``: ``next_best_reviewer(problem, result, p, e)``.  The suggestion is the
    highest-affinity candidate that is not in conflict, not forbidden, not excluded,
    not already reviewing ``p``, below its maximum load (``e``'s freed load counts),
    and -- when ``p`` would otherwise miss a region minimum -- of the missing region.
    ``None`` if nobody qualifies (see :func:`rank_replacements`).
    """
    ranked = rank_replacements(
        problem, current_assignment, proposal_index, excluded_expert, limit=1, exclude=exclude
    )
    return ranked[0] if ranked else None
