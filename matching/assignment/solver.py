"""Optimal, fair and greedy assignment."""

from __future__ import annotations

import time

import numpy as np

from .network import assigned_pairs, build_network, dual_certificate, max_coverage, solve_network
from .problem import AssignmentProblem, PreparedProblem
from .reasons import explain_unassignable, explain_underloaded, seat_shortfalls
from .result import AssignmentResult

MODES = ("optimal", "fair", "greedy", "randomized")


def solve(
    problem: AssignmentProblem,
    mode: str = "optimal",
    *,
    certify: bool = True,
    q: float = 0.5,
    rng=None,
) -> AssignmentResult:
    """Assign reviewers.

    ``mode="optimal"``: maximise total affinity subject to coverage, loads, conflicts
    and region minimums (lexicographically after minimising empty seats + min-load
    shortfall); exact min-cost flow with a dual optimality certificate.

    ``mode="fair"``: first maximise the worst-case pair affinity (every assigned pair,
    of every proposal, is at least that good) at the same minimal penalty, then
    maximise total affinity subject to it.

    ``mode="greedy"``: baseline -- proposals in index order, each takes its best
    available experts.

    ``mode="randomized"``: no pair is assigned with probability above ``q``; the capped LP
    optimum, then one sample by dependent rounding (``rng``: seed or Generator); see
    :mod:`matching.assignment.randomized`.
    """
    if mode == "optimal":
        return solve_optimal(problem, certify=certify)
    if mode == "fair":
        return solve_fair(problem, certify=certify)
    if mode == "greedy":
        return solve_greedy(problem)
    if mode == "randomized":
        from .randomized import solve_randomized

        return solve_randomized(problem, q, rng)
    raise ValueError(f"mode must be one of {MODES}, got {mode!r}")


# ---------------------------------------------------------------------------- helpers
def _make_result(
    pp: PreparedProblem,
    mode: str,
    rows: np.ndarray,
    cols: np.ndarray,
    aff: np.ndarray,
    fixed: np.ndarray,
    bound: float | None,
    stats: dict,
) -> AssignmentResult:
    P, E = pp.n_proposals, pp.n_experts
    order = np.lexsort((cols, rows))
    rows, cols, aff, fixed = rows[order], cols[order], aff[order], fixed[order]
    loads = np.bincount(cols, minlength=E).astype(np.int64)
    n_assigned = np.bincount(rows, minlength=P).astype(np.int64)
    totals = np.bincount(rows, weights=aff, minlength=P)
    mins = np.full(P, np.inf)
    np.minimum.at(mins, rows, aff)
    mins[n_assigned == 0] = np.nan
    region_short, free_empty = seat_shortfalls(pp, rows, cols)
    empty = region_short.sum(axis=1) + np.maximum(free_empty, 0)
    load_short = np.maximum(pp.min_load - loads, 0)
    objective = float(aff.sum())
    gap = rel_gap = None
    if bound is not None:
        gap = max(bound - objective, 0.0)
        rel_gap = gap / max(abs(bound), 1e-12)
    worst = float(np.nanmin(mins)) if (n_assigned > 0).any() else float("nan")
    unassignable = explain_unassignable(pp, rows, cols, loads, mode)
    return AssignmentResult(
        mode=mode,
        proposals=rows,
        experts=cols,
        affinity=aff,
        fixed=fixed,
        n_proposals=P,
        n_experts=E,
        objective=objective,
        bound=bound,
        gap=gap,
        rel_gap=rel_gap,
        penalty=int(empty.sum() + load_short.sum()),
        empty_seats=empty,
        min_load_shortfall=load_short,
        proposal_total=totals,
        proposal_min=mins,
        n_assigned=n_assigned,
        loads=loads,
        worst_case=worst,
        unassignable=unassignable,
        stats=stats,
        underloaded=explain_underloaded(pp, loads, mode),
    )


#: penalty factors tried in turn (x the largest pair cost); ``None`` = provably safe.
PENALTY_FACTORS: tuple[int | None, ...] = (16, 1024, None)


def _flow_assignment(
    pp: PreparedProblem,
    pair_mask: np.ndarray | None,
    certify: bool,
    stats: dict,
    prefix: str = "",
    target: int | None = None,
):
    """Lexicographic optimum (min penalty, then max affinity) over the masked pairs.

    The penalty per empty seat only has to dominate affinity *for the optimum*: we
    solve the min-cost flow with a moderate penalty weight (fast cost scaling) and accept
    it if it reaches the minimal penalty ``target`` -- then no assignment with the same
    penalty has more affinity, since both are priced with the same weight.  ``target``
    is computed by max-flow only when the flow leaves some penalty (a penalty of 0 is
    minimal as it stands).  Otherwise retry with a larger weight, up to the provably
    sufficient one.
    """
    build_s = solve_s = coverage_s = 0.0
    attempts = 0
    for factor in PENALTY_FACTORS:
        attempts += 1
        net = build_network(pp, pair_mask=pair_mask, objective="affinity", penalty_factor=factor)
        sol = solve_network(net)
        build_s += net.stats["build_s"]
        solve_s += sol.solve_s
        if target is None and sol.penalty > 0:
            # The minimal penalty by max-flow, only when it is not trivially 0 (a flow that
            # fills every seat and every minimum load is minimal as it stands).
            t1 = time.perf_counter()
            target = max_coverage(pp, pair_mask)
            coverage_s += time.perf_counter() - t1
        if sol.penalty == (target or 0):
            break
        if factor is None:  # pragma: no cover - the safe weight is always lexicographic
            raise RuntimeError("min-cost flow missed the minimal penalty")
    stats[f"{prefix}coverage_s"] = coverage_s
    stats[f"{prefix}penalty_factor"] = factor
    stats[f"{prefix}flow_attempts"] = attempts
    chosen = assigned_pairs(net, sol)
    stats.update(
        {
            f"{prefix}build_s": build_s,
            f"{prefix}solve_s": solve_s,
            f"{prefix}n_nodes": net.stats["n_nodes"],
            f"{prefix}n_arcs": net.stats["n_arcs"],
            f"{prefix}scale": net.scale,
            f"{prefix}penalty_weight": net.big_m_float,
            f"{prefix}int_cost": sol.cost,
        }
    )
    bound = None
    if certify:
        cert = dual_certificate(net, sol)
        stats.update(
            {
                f"{prefix}certificate_s": cert.seconds,
                f"{prefix}bellman_ford_rounds": cert.rounds,
                f"{prefix}certified_optimal": bool(cert.converged and cert.bound_int == sol.cost),
                f"{prefix}int_dual_bound": cert.bound_int,
            }
        )
        # any assignment with the same penalty has affinity <= -LB + M * penalty
        bound = -cert.bound_float + net.big_m_float * sol.penalty + float(pp.fixed_aff.sum())
    return net, chosen, bound, sol


def _with_fixed(pp: PreparedProblem, rows, cols, aff):
    nf = pp.fixed_rows.size
    return (
        np.concatenate([rows, pp.fixed_rows]),
        np.concatenate([cols, pp.fixed_cols]),
        np.concatenate([aff, pp.fixed_aff]),
        np.concatenate([np.zeros(rows.size, bool), np.ones(nf, bool)]),
    )


# ---------------------------------------------------------------------------- optimal
def solve_optimal(problem: AssignmentProblem, *, certify: bool = True) -> AssignmentResult:
    t0 = time.perf_counter()
    pp = problem.prepared
    stats: dict = {"prepare_s": time.perf_counter() - t0}
    net, chosen, bound, _ = _flow_assignment(pp, None, certify, stats)
    rows, cols, aff, fixed = _with_fixed(
        pp, net.pair_rows[chosen], net.pair_cols[chosen], net.pair_aff[chosen]
    )
    stats["total_s"] = time.perf_counter() - t0
    return _make_result(pp, "optimal", rows, cols, aff, fixed, bound, stats)


# ---------------------------------------------------------------------------- fair
def _min_penalty(pp: PreparedProblem, pair_mask: np.ndarray | None) -> int:
    return max_coverage(pp, pair_mask)


def solve_fair(problem: AssignmentProblem, *, certify: bool = True) -> AssignmentResult:
    """Lexicographic max-min fairness.

    Per-proposal score = the *minimum* affinity among its assigned reviewers (its
    weakest review); the worst-served proposal is the one with the lowest score.  This
    bottleneck objective is solvable exactly in polynomial time (a proposal's total is
    not: max-min of totals is NP-hard), and it is what a programme officer sees as "the
    worst match we made".  Steps:

    1. ``P*`` = minimal penalty (empty seats + min-load shortfall) with all pairs.
    2. Binary search over the sorted distinct affinities for the largest threshold
       ``tau`` such that using only pairs with affinity ``>= tau`` still reaches ``P*``
       (each probe is a min-cost flow with 0/1 costs, i.e. a feasibility flow).
    3. ``W = min(tau, min fixed affinity)``; maximise total affinity with the optimal
       min-cost flow restricted to pairs ``>= W`` (with its own dual certificate).
    """
    t0 = time.perf_counter()
    pp = problem.prepared
    stats: dict = {"prepare_s": time.perf_counter() - t0}
    aff = pp.free_aff
    target = _min_penalty(pp, None)
    values = np.unique(aff)
    lo, hi = 0, values.size - 1  # values[lo] always feasible (it keeps every pair)
    probes = 0
    if values.size:
        while lo < hi:
            mid = (lo + hi + 1) // 2
            probes += 1
            if _min_penalty(pp, aff >= values[mid]) == target:
                lo = mid
            else:
                hi = mid - 1
        tau = float(values[lo])
    else:
        tau = float("inf")
    fixed_min = float(pp.fixed_aff.min()) if pp.fixed_aff.size else float("inf")
    threshold = min(tau, fixed_min)
    stats.update({"search_s": time.perf_counter() - t0, "probes": probes, "penalty_target": target})
    stats["threshold"] = threshold
    mask = aff >= threshold if np.isfinite(threshold) else None
    net, chosen, bound, sol = _flow_assignment(pp, mask, certify, stats, target=target)
    if sol.penalty != target:  # cannot happen: the threshold was verified feasible
        raise RuntimeError("fair mode lost coverage")
    rows, cols, a, fixed = _with_fixed(
        pp, net.pair_rows[chosen], net.pair_cols[chosen], net.pair_aff[chosen]
    )
    stats["total_s"] = time.perf_counter() - t0
    return _make_result(pp, "fair", rows, cols, a, fixed, bound, stats)


# ---------------------------------------------------------------------------- greedy
def solve_greedy(problem: AssignmentProblem) -> AssignmentResult:
    """Baseline: proposals in index order; each fills its region-reserved seats with
    the best available experts of that region, then its other seats with the best
    remaining available experts."""
    t0 = time.perf_counter()
    pp = problem.prepared
    P = pp.n_proposals
    loads = pp.max_load - pp.cap_res  # fixed pairs already count
    cap = pp.max_load
    rows, cols, aff = pp.free_rows, pp.free_cols, pp.free_aff
    # sort once: by proposal, then affinity descending
    order = np.lexsort((-aff, rows))
    rows, cols, aff = rows[order], cols[order], aff[order]
    indptr = np.searchsorted(rows, np.arange(P + 1))
    regions = pp.region_codes
    out_r: list[np.ndarray] = []
    out_c: list[np.ndarray] = []
    out_a: list[np.ndarray] = []
    for p in range(P):
        need = int(pp.need_res[p])
        lo, hi = indptr[p], indptr[p + 1]
        if need == 0 or lo == hi:
            continue
        ce, ca = cols[lo:hi], aff[lo:hi]
        avail = loads[ce] < cap[ce]
        take = np.zeros(ce.size, bool)
        for r in np.flatnonzero(pp.minima_res[p]).tolist():
            idx = np.flatnonzero(avail & (regions[ce] == r))[: pp.minima_res[p, r]]
            take[idx] = True
        rest = need - int(pp.minima_res[p].sum())
        if rest > 0:
            idx = np.flatnonzero(avail & ~take)[:rest]
            take[idx] = True
        sel = ce[take]
        loads[sel] += 1
        out_r.append(np.full(sel.size, p, np.int64))
        out_c.append(sel)
        out_a.append(ca[take])
    cat = lambda xs, dt: np.concatenate(xs) if xs else np.zeros(0, dt)  # noqa: E731
    rows_, cols_, aff_, fixed = _with_fixed(
        pp, cat(out_r, np.int64), cat(out_c, np.int64), cat(out_a, float)
    )
    stats = {"total_s": time.perf_counter() - t0}
    return _make_result(pp, "greedy", rows_, cols_, aff_, fixed, None, stats)
