"""Explain why proposals did not get all their reviewers."""

from __future__ import annotations

import numpy as np

from .problem import PreparedProblem


def seat_shortfalls(
    pp: PreparedProblem, rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per proposal: ``(region_short (P, R), free_empty (P,))``.

    ``region_short[p, r] = max(0, min_pr - n_pr)``: seats reserved for region ``r``
    left empty.  ``free_empty[p] = need_p - n_p - sum_r region_short[p, r]``: other
    seats left empty (negative if the reserved-seat rule is violated).
    """
    P, R = pp.minima.shape
    counts = np.zeros((P, R), np.int64)
    np.add.at(counts, (rows, pp.region_codes[cols]), 1)
    region_short = np.maximum(pp.minima - counts, 0)
    free_empty = pp.need - counts.sum(axis=1) - region_short.sum(axis=1)
    return region_short, free_empty


def _all(n: int, region: str) -> str:
    if n == 1:
        return f"the only conflict-free {region}candidate is"
    return f"all {n} conflict-free {region}candidates are"


def explain_unassignable(
    pp: PreparedProblem,
    rows: np.ndarray,
    cols: np.ndarray,
    loads: np.ndarray,
    mode: str = "optimal",
) -> dict[int, str]:
    """Reason for every proposal with an empty seat.

    The reason is derived from the data, not from the solver: too few conflict-free
    candidates overall, too few in a required region, or every remaining candidate
    already at maximum load ("expert loads exhausted").  For the optimal and fair
    modes the last case always holds (otherwise the seat could be filled, contradicting
    maximal coverage); a heuristic may leave a seat empty although a candidate has
    spare load, which is reported as such.
    """
    region_short, free_empty = seat_shortfalls(pp, rows, cols)
    todo = np.flatnonzero((region_short.sum(axis=1) > 0) | (free_empty > 0))
    if todo.size == 0:
        return {}
    cr, cc = pp.cand_rows, pp.cand_cols
    indptr = np.searchsorted(cr, np.arange(pp.n_proposals + 1))
    assigned_keys = np.sort(rows * pp.n_experts + cols)
    spare = loads < pp.max_load
    out: dict[int, str] = {}
    for p in todo.tolist():
        c_exp = cc[indptr[p] : indptr[p + 1]]
        c_reg = pp.region_codes[c_exp]
        keys = p * pp.n_experts + c_exp
        pos = np.searchsorted(assigned_keys, keys)
        pos[pos == assigned_keys.size] = 0
        is_assigned = (
            assigned_keys[pos] == keys if assigned_keys.size else np.zeros(keys.size, bool)
        )
        open_ = ~is_assigned & spare[c_exp]
        need = int(pp.need[p])
        declined = int(pp.n_forbidden_removed[p])
        suffix = f" ({declined} declined/forbidden excluded)" if declined else ""
        reasons = []
        for r in np.flatnonzero(region_short[p]).tolist():
            name = pp.region_name(r)
            req = int(pp.minima[p, r])
            n_r = int((c_reg == r).sum())
            if n_r < req:
                if n_r == 0:
                    reasons.append(f"no conflict-free {name} reviewer among candidates{suffix}")
                else:
                    reasons.append(
                        f"only {n_r} conflict-free {name} candidates for {req} required {name} reviewers{suffix}"
                    )
            elif not open_[c_reg == r].any():
                reasons.append(f"expert loads exhausted: {_all(n_r, name + ' ')} at maximum load")
            else:
                reasons.append(
                    f"{name} seat left empty by the {mode} heuristic although candidates have spare load"
                )
        if free_empty[p] > 0:
            n_c = int(c_exp.size)
            if n_c < need:
                reasons.append(f"only {n_c} conflict-free candidates for {need} reviews{suffix}")
            elif not open_.any():
                reasons.append(f"expert loads exhausted: {_all(n_c, '')} at maximum load")
            else:
                reasons.append(
                    f"seat left empty by the {mode} heuristic although candidates have spare load"
                )
        out[p] = "; ".join(reasons)
    return out


def explain_underloaded(
    pp: PreparedProblem, loads: np.ndarray, mode: str = "optimal"
) -> dict[int, str]:
    """Reason for every expert left below its minimum load."""
    short = np.flatnonzero(loads < pp.min_load)
    if short.size == 0:
        return {}
    n_cand = np.bincount(pp.cand_cols, minlength=pp.n_experts)
    out: dict[int, str] = {}
    for e in short.tolist():
        m, n = int(pp.min_load[e]), int(n_cand[e])
        if n < m:
            out[e] = (
                f"only {n} conflict-free candidate proposal{'s' if n != 1 else ''} "
                f"for a minimum load of {m}"
            )
        elif mode == "greedy":
            out[e] = (
                f"minimum load {m} not considered by the greedy baseline ({int(loads[e])} assigned)"
            )
        else:
            out[e] = (
                f"{int(loads[e])} of minimum {m} assigned: no review can move to this expert "
                "without leaving a seat empty, breaking a region minimum or leaving another "
                "expert below minimum"
            )
    return out
