"""Independent validation of an assignment against its problem."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .problem import AssignmentProblem
from .reasons import seat_shortfalls
from .result import AssignmentResult


@dataclass(frozen=True)
class Violation:
    kind: str  # "index", "duplicate", "candidate", "conflict", "forbidden", "fixed", "coverage",
    # "load", "region", "affinity", "unassignable", "objective", "report" (a reported
    # figure -- loads, empty seats, min-load shortfall, penalty -- inconsistent)
    message: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.message}"


def check_assignment(
    problem: AssignmentProblem,
    result: AssignmentResult,
    atol: float = 1e-6,
    *,
    groups=None,
) -> list[Violation]:
    """Verify every hard constraint and the consistency of the reported figures.

    Returns an empty list when the assignment is valid.  Checks: indices in range, no
    duplicate pairs, every pair a candidate (stored in ``affinity``) or fixed, no
    conflict and no forbidden pair, all fixed pairs present, per-proposal count <=
    reviews needed, per-expert load <= max load, reserved region seats not taken by
    other regions, reported affinities/objective/loads/empty seats/min-load shortfall
    consistent, and ``unassignable`` listing exactly the proposals with an empty seat.

    ``groups`` (lists of proposal indices, as given to ``groups.solve_grouped``): every reviewer
    in ``result.shared[g]`` reviews every member of group ``g``, and no group is left short of
    shared reviewers while an expert could simply be added to all its members (a candidate of
    every member, on none of them, with room for the whole group, and every member with an empty
    seat that expert's region may fill).
    """
    pp = problem.prepared
    P, E = pp.n_proposals, pp.n_experts
    v: list[Violation] = []
    rows = np.asarray(result.proposals, np.int64)
    cols = np.asarray(result.experts, np.int64)
    if rows.shape != cols.shape or rows.shape != np.shape(result.affinity):
        return [Violation("index", "pair arrays differ in length")]
    if rows.size and (rows.min() < 0 or rows.max() >= P or cols.min() < 0 or cols.max() >= E):
        return [Violation("index", "pair index out of range")]
    keys = rows * E + cols
    uk, cnt = np.unique(keys, return_counts=True)
    for k in uk[cnt > 1][:10].tolist():
        v.append(Violation("duplicate", f"pair (proposal {k // E}, expert {k % E}) assigned twice"))

    def isin(a: np.ndarray, sorted_b: np.ndarray) -> np.ndarray:
        if sorted_b.size == 0:
            return np.zeros(a.shape, bool)
        pos = np.searchsorted(sorted_b, a)
        pos[pos == sorted_b.size] = 0
        return sorted_b[pos] == a

    A = pp.affinity
    stored_keys = np.sort(
        np.repeat(np.arange(P, dtype=np.int64), np.diff(A.indptr)) * E + A.indices
    )
    fixed_keys = np.sort(pp.fixed_rows * E + pp.fixed_cols)
    is_fixed = isin(keys, fixed_keys)
    for k in keys[~isin(keys, stored_keys) & ~is_fixed][:10].tolist():
        v.append(
            Violation("candidate", f"pair (proposal {k // E}, expert {k % E}) is not a candidate")
        )
    for k in keys[isin(keys, pp.conflict_keys)][:10].tolist():
        v.append(
            Violation(
                "conflict", f"pair (proposal {k // E}, expert {k % E}) is a conflict of interest"
            )
        )
    for k in keys[isin(keys, pp.forbidden_keys)][:10].tolist():
        v.append(Violation("forbidden", f"pair (proposal {k // E}, expert {k % E}) is forbidden"))
    for k in fixed_keys[~isin(fixed_keys, np.sort(keys))][:10].tolist():
        v.append(Violation("fixed", f"fixed pair (proposal {k // E}, expert {k % E}) missing"))

    n_assigned = np.bincount(rows, minlength=P)
    for p in np.flatnonzero(n_assigned > pp.need)[:10].tolist():
        v.append(
            Violation("coverage", f"proposal {p}: {n_assigned[p]} reviewers > {pp.need[p]} needed")
        )
    loads = np.bincount(cols, minlength=E)
    for e in np.flatnonzero(loads > pp.max_load)[:10].tolist():
        v.append(Violation("load", f"expert {e}: load {loads[e]} > max {pp.max_load[e]}"))
    region_short, free_empty = seat_shortfalls(pp, rows, cols)
    for p in np.flatnonzero(free_empty < 0)[:10].tolist():
        v.append(
            Violation(
                "region", f"proposal {p}: seats reserved for a region filled by other regions"
            )
        )

    # reported figures
    true_aff = np.asarray(A[rows, cols]).ravel() if rows.size else np.zeros(0)
    if not np.allclose(true_aff, result.affinity, atol=atol, rtol=0):
        v.append(Violation("affinity", "reported pair affinities differ from the matrix"))
    if abs(float(true_aff.sum()) - result.objective) > atol * max(1, rows.size):
        v.append(
            Violation(
                "objective", f"objective {result.objective} != sum of affinities {true_aff.sum()}"
            )
        )
    if result.bound is not None and result.bound < result.objective - 1e-6 * max(
        1.0, abs(result.objective)
    ):
        v.append(Violation("objective", f"bound {result.bound} below objective {result.objective}"))
    if not np.array_equal(np.asarray(result.loads), loads):
        v.append(Violation("report", "reported loads inconsistent"))
    empty = region_short.sum(axis=1) + np.maximum(free_empty, 0)
    if not np.array_equal(np.asarray(result.empty_seats), empty):
        v.append(Violation("report", "reported empty seats inconsistent"))
    short = np.maximum(pp.min_load - loads, 0)
    if not np.array_equal(np.asarray(result.min_load_shortfall), short):
        v.append(Violation("report", "reported min-load shortfall inconsistent"))
    if result.penalty != int(empty.sum() + short.sum()):
        v.append(Violation("report", "reported penalty inconsistent"))
    listed = set(result.unassignable)
    actual = set(np.flatnonzero(empty > 0).tolist())
    for p in sorted(actual - listed)[:10]:
        v.append(
            Violation("unassignable", f"proposal {p} has {empty[p]} empty seat(s) but no reason")
        )
    for p in sorted(listed - actual)[:10]:
        v.append(Violation("unassignable", f"proposal {p} listed unassignable but fully covered"))
    if set(result.underloaded) != set(np.flatnonzero(short > 0).tolist()):
        v.append(Violation("report", "underloaded experts inconsistent with min-load shortfall"))
    for p, reason in result.unassignable.items():
        if not reason:
            v.append(Violation("unassignable", f"proposal {p}: empty reason"))
    if groups is not None:
        v.extend(_check_groups(pp, result, groups, keys, loads, region_short, free_empty, isin))
    return v


def _check_groups(pp, result, groups, keys, loads, region_short, free_empty, isin) -> list:
    E = pp.n_experts
    out: list[Violation] = []
    assigned = np.sort(keys)
    for g, members in enumerate(groups):
        m = np.unique(np.asarray(members, np.int64))
        shared = np.asarray(result.shared.get(g, np.zeros(0, np.int64)), np.int64)
        for e in shared.tolist():
            missing = m[~isin(m * E + e, assigned)]
            if missing.size:
                out.append(
                    Violation(
                        "group",
                        f"group {g}: shared expert {e} does not review proposal {int(missing[0])}",
                    )
                )
        if m.size < 2 or shared.size >= int(pp.need[m].min()):
            continue
        # could one more expert trivially be shared by the whole group?
        common = None
        for p in m.tolist():
            lo, hi = np.searchsorted(pp.cand_rows, [p, p + 1])
            cols = pp.cand_cols[lo:hi]
            common = cols if common is None else np.intersect1d(common, cols)
        if common is None or not common.size:
            continue
        on_member = np.zeros(common.size, bool)
        for p in m.tolist():
            on_member |= isin(p * E + common, assigned)
        room = loads[common] + m.size <= pp.max_load[common]
        for e in common[~on_member & room].tolist():
            r = pp.region_codes[e]
            if all(free_empty[p] > 0 or region_short[p, r] > 0 for p in m.tolist()):
                out.append(
                    Violation(
                        "group",
                        f"group {g}: expert {e} has room for every member and each has an empty "
                        "seat, but is not shared",
                    )
                )
                break
    return out
