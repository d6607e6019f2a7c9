"""Result of an assignment run."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(eq=False)
class AssignmentResult:
    """An assignment plus its quality figures.

    Pairs are parallel arrays sorted by (proposal, expert).  ``objective`` is the total
    affinity of all assigned pairs (fixed pairs included).  ``bound`` is a proven upper
    bound on the total affinity of any assignment with the same (minimal) penalty, so
    ``gap = bound - objective`` (absolute) and ``rel_gap`` certify optimality; both are
    ``None`` for the greedy baseline.

    ``penalty`` = empty review seats + minimum-load shortfall (the optimiser minimises
    it first).  ``proposal_total`` / ``proposal_min``: per-proposal sum and minimum of
    assigned affinities (``nan`` min when nothing is assigned).  ``worst_case`` is the
    minimum of ``proposal_min`` over proposals with at least one reviewer -- the
    quantity the fairness mode maximises.  ``unassignable`` maps every proposal that
    did not get all its reviewers (or region minimums) to the reason(s);
    ``underloaded`` maps every expert left below its minimum load to the reason.
    """

    mode: str
    proposals: np.ndarray
    experts: np.ndarray
    affinity: np.ndarray
    fixed: np.ndarray
    n_proposals: int
    n_experts: int
    objective: float
    bound: float | None
    gap: float | None
    rel_gap: float | None
    penalty: int
    empty_seats: np.ndarray  # (P,)
    min_load_shortfall: np.ndarray  # (E,)
    proposal_total: np.ndarray
    proposal_min: np.ndarray
    n_assigned: np.ndarray  # (P,)
    loads: np.ndarray  # (E,)
    worst_case: float
    unassignable: dict[int, str]
    stats: dict = field(default_factory=dict)
    underloaded: dict[int, str] = field(default_factory=dict)  # expert -> why below min_load
    #: group index -> experts shared by every member (``groups.solve_grouped`` only)
    shared: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def proposal_score(self) -> np.ndarray:
        """The per-proposal score the mode optimises: the weakest assigned affinity in
        fair mode (``nan`` if none), the total assigned affinity otherwise."""
        return self.proposal_min if self.mode == "fair" else self.proposal_total

    @property
    def n_pairs(self) -> int:
        return int(self.proposals.size)

    def experts_of(self, proposal: int) -> np.ndarray:
        lo, hi = np.searchsorted(self.proposals, [proposal, proposal + 1])
        return self.experts[lo:hi]

    def pairs(self) -> np.ndarray:
        """``(n, 2)`` int array of ``(proposal, expert)`` rows."""
        return np.column_stack([self.proposals, self.experts])

    def summary(self) -> str:
        parts = [f"{self.mode}: {self.n_pairs} pairs, objective {self.objective:.4f}"]
        if self.bound is not None:
            parts.append(f"bound {self.bound:.4f}, gap {self.gap:.2e}")
        parts.append(f"worst-case pair {self.worst_case:.4f}")
        parts.append(
            f"empty seats {int(self.empty_seats.sum())}, unassignable {len(self.unassignable)}"
        )
        return "; ".join(parts)
