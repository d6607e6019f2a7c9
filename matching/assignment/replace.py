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
    exclude: Iterable[int] = (),
    limit: int = 10,
) -> list[Suggestion]:
    """Best conflict-free candidates for ``proposal_index``, best first.

    ``current_assignment``: an :class:`AssignmentResult`, an ``(n, 2)`` pair array or
    ``(proposals, experts)``.  ``exclude``: experts to drop (the decliner, and anyone
    else not to ask); they are removed from the proposal's current reviewers too, and
    their freed load is counted.  A suggestion must be a non-forbidden, non-conflicting
    candidate, not already on the proposal, with spare load, and -- if the proposal now
    misses a region minimum and has no free seat left -- of a region whose reserved
    seat is empty.
    """
    pp = problem.prepared
    E = pp.n_experts
    p = int(proposal_index)
    excl = np.unique(np.asarray(list(exclude), dtype=np.int64))
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
        )
        for i in idx
    ]


def next_best_reviewer(
    problem: AssignmentProblem, current_assignment, proposal_index: int, exclude: Iterable[int] = ()
) -> Suggestion | None:
    """The single best replacement (see :func:`rank_replacements`), or ``None``."""
    ranked = rank_replacements(problem, current_assignment, proposal_index, exclude, limit=1)
    return ranked[0] if ranked else None
