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


def _declined(values: dict) -> str:
    d = values.get("declined", 0)
    return f" ({d} declined/forbidden excluded)" if d else ""


#: Each clause of a shortfall in English, by kind; ``values`` as ``Shortfall.parts`` carry them
#: (``region``: the region's label, ``region_name``: its name in the problem's ``region_names``).
_ENGLISH = {
    "no_region_candidate": lambda v: (
        f"no conflict-free {v['region_name']} reviewer among candidates{_declined(v)}"
    ),
    "few_region_candidates": lambda v: (
        f"only {v['n']} conflict-free {v['region_name']} candidates for {v['required']} "
        f"required {v['region_name']} reviewers{_declined(v)}"
    ),
    "region_loads_exhausted": lambda v: (
        f"expert loads exhausted: {_all(v['n'], v['region_name'] + ' ')} at maximum load"
    ),
    "region_heuristic": lambda v: (
        f"{v['region_name']} seat left empty by the {v['mode']} heuristic although candidates "
        "have spare load"
    ),
    "few_candidates": lambda v: (
        f"only {v['n']} conflict-free candidates for {v['need']} reviews{_declined(v)}"
    ),
    "loads_exhausted": lambda v: f"expert loads exhausted: {_all(v['n'], '')} at maximum load",
    "heuristic": lambda v: (
        f"seat left empty by the {v['mode']} heuristic although candidates have spare load"
    ),
}


class Shortfall(str):
    """Why a proposal did not get all its reviewers: English text (clauses joined by "; "), and
    ``parts``, each clause as ``(kind, values)``, so a caller can word it in another language."""

    parts: tuple[tuple[str, dict], ...]

    def __new__(cls, parts):
        parts = tuple(parts)
        self = super().__new__(cls, "; ".join(_ENGLISH[kind](values) for kind, values in parts))
        self.parts = parts
        return self


def explain_unassignable(
    pp: PreparedProblem,
    rows: np.ndarray,
    cols: np.ndarray,
    loads: np.ndarray,
    mode: str = "optimal",
) -> dict[int, Shortfall]:
    """Reason for every proposal with an empty seat (a ``Shortfall``: text and its parts).

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
    out: dict[int, Shortfall] = {}
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
        parts: list[tuple[str, dict]] = []
        for r in np.flatnonzero(region_short[p]).tolist():
            region = {"region": pp.region_labels[r], "region_name": pp.region_name(r)}
            req = int(pp.minima[p, r])
            n_r = int((c_reg == r).sum())
            if n_r < req:
                if n_r == 0:
                    parts.append(("no_region_candidate", {**region, "declined": declined}))
                else:
                    parts.append(
                        (
                            "few_region_candidates",
                            {**region, "n": n_r, "required": req, "declined": declined},
                        )
                    )
            elif not open_[c_reg == r].any():
                parts.append(("region_loads_exhausted", {**region, "n": n_r}))
            else:
                parts.append(("region_heuristic", {**region, "mode": mode}))
        if free_empty[p] > 0:
            n_c = int(c_exp.size)
            if n_c < need:
                parts.append(("few_candidates", {"n": n_c, "need": need, "declined": declined}))
            elif not open_.any():
                parts.append(("loads_exhausted", {"n": n_c}))
            else:
                parts.append(("heuristic", {"mode": mode}))
        out[p] = Shortfall(parts)
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
