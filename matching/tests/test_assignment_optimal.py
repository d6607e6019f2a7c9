"""Optimal mode vs an independent MILP (HiGHS) on many small random instances."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from matching.assignment import AssignmentProblem, check_assignment, solve


def make_instance(
    seed: int,
    P: int = 12,
    E: int = 10,
    density: float = 0.5,
    regions: bool = True,
    conflicts: bool = True,
    fixed: bool = False,
    forbidden: bool = False,
    min_load: bool = False,
    need_hi: int = 4,
    load_hi: int = 4,
) -> AssignmentProblem:
    rng = np.random.default_rng(seed)
    mask = rng.random((P, E)) < density
    vals = np.round(rng.random((P, E)), 3)  # ties happen
    A = sp.csr_matrix(np.where(mask, vals, 0.0))
    # keep explicit candidates even where the rounded value is 0
    rows, cols = np.nonzero(mask)
    A = sp.csr_matrix((vals[rows, cols], (rows, cols)), shape=(P, E))
    need = rng.integers(1, need_hi, P)
    max_load = rng.integers(0, load_hi, E)
    kw: dict = {}
    if regions:
        kw["expert_regions"] = rng.choice(np.array(["HK", "ML", "OTHER"]), E, p=[0.4, 0.4, 0.2])
        hk = (need >= 2).astype(int) * (rng.random(P) < 0.7)
        ml = (need >= 2).astype(int) * (rng.random(P) < 0.7)
        kw["region_minimums"] = {"HK": hk, "ML": ml}
    if conflicts:
        kw["conflicts"] = sp.csr_matrix(rng.random((P, E)) < 0.15)
    conf = kw["conflicts"].toarray() if conflicts else np.zeros((P, E), bool)
    usable = mask & ~conf
    if fixed:
        # a few usable pairs, respecting need and load
        r, c = np.nonzero(usable)
        pick = rng.permutation(r.size)[:3]
        fr, fc = [], []
        used_p = np.zeros(P, int)
        used_e = np.zeros(E, int)
        for i in pick:
            if used_p[r[i]] < 1 and used_e[c[i]] < max_load[c[i]]:
                fr.append(r[i])
                fc.append(c[i])
                used_p[r[i]] += 1
                used_e[c[i]] += 1
        kw["fixed"] = (np.array(fr, int), np.array(fc, int))
    if forbidden:
        r, c = np.nonzero(usable)
        pick = rng.permutation(r.size)[:4]
        fixed_keys = set()
        if fixed:
            fixed_keys = set(zip(*[a.tolist() for a in kw["fixed"]], strict=True))
        pairs = [(r[i], c[i]) for i in pick if (r[i], c[i]) not in fixed_keys]
        kw["forbidden"] = np.array(pairs, int).reshape(-1, 2)
    if min_load:
        kw["min_load"] = np.minimum(rng.integers(0, 3, E), max_load)
    try:
        pr = AssignmentProblem(A, need, max_load, **kw)
        _ = pr.prepared  # validates; fixed may clash with regions
    except ValueError:
        kw.pop("fixed", None)
        pr = AssignmentProblem(A, need, max_load, **kw)
    return pr


def milp_model(problem: AssignmentProblem):
    """The assignment as a MILP built from the raw inputs (independent of the solver).

    Variables: ``x`` (one per usable stored pair, binary), ``y`` (reserved-seat shortfall
    per proposal/region minimum), ``s`` (min-load shortfall per expert).  Returns
    ``(a, n_vars, constraints, integrality, bounds, coverage_cost, need)`` where
    ``coverage_cost @ v`` = -(filled seats) + shortfall, and ``a`` the pair affinities
    (the first ``len(a)`` variables)."""
    A = sp.csr_matrix(problem.affinity)
    P, E = A.shape
    need = np.broadcast_to(np.asarray(problem.reviews_needed), (P,)).astype(int)
    cap = np.broadcast_to(np.asarray(problem.max_load), (E,)).astype(int)
    minl = np.zeros(E, int) if problem.min_load is None else np.broadcast_to(problem.min_load, (E,))
    coo = A.tocoo()
    rows, cols, a = coo.row, coo.col, coo.data
    bad = np.zeros((P, E), bool)
    if problem.conflicts is not None:
        bad |= sp.csr_matrix(problem.conflicts).toarray().astype(bool)
    if problem.forbidden is not None:
        fb = np.asarray(problem.forbidden).reshape(-1, 2)
        bad[fb[:, 0], fb[:, 1]] = True
    keep = ~bad[rows, cols]
    rows, cols, a = rows[keep], cols[keep], a[keep]
    n = rows.size
    lb = np.zeros(n)
    if problem.fixed is not None:
        fixed = set(zip(*[np.asarray(x).tolist() for x in problem.fixed], strict=True))
        for i in range(n):
            if (rows[i], cols[i]) in fixed:
                lb[i] = 1
    regs = sorted(problem.region_minimums or {})
    er = np.asarray(problem.expert_regions) if problem.expert_regions is not None else None
    pr_pairs = [
        (p, r)
        for p in range(P)
        for r in regs
        if np.broadcast_to(problem.region_minimums[r], (P,))[p] > 0
    ]
    ny = len(pr_pairs)
    nv = n + ny + E  # x, y (region shortfall), s (min-load shortfall)
    cons = []
    M1 = np.zeros((P, nv))
    M1[rows, np.arange(n)] = 1
    for k, (p, _r) in enumerate(pr_pairs):
        M1[p, n + k] = 1
    cons.append(LinearConstraint(M1, -np.inf, need))
    if ny:
        M2 = np.zeros((ny, nv))
        lo = np.zeros(ny)
        for k, (p, r) in enumerate(pr_pairs):
            M2[k, np.flatnonzero((rows == p) & (er[cols] == r))] = 1
            M2[k, n + k] = 1
            lo[k] = np.broadcast_to(problem.region_minimums[r], (P,))[p]
        cons.append(LinearConstraint(M2, lo, np.inf))
    M3 = np.zeros((E, nv))
    M3[cols, np.arange(n)] = 1
    cons.append(LinearConstraint(M3, -np.inf, cap))
    M4 = M3.copy()
    M4[np.arange(E), n + ny + np.arange(E)] = 1
    cons.append(LinearConstraint(M4, minl, np.inf))
    integrality = np.r_[np.ones(n), np.zeros(ny + E)]
    bounds = Bounds(np.r_[lb, np.zeros(ny + E)], np.r_[np.ones(n), np.full(ny + E, np.inf)])
    c1 = np.r_[-np.ones(n), np.zeros(ny), np.ones(E)]
    return a, nv, cons, integrality, bounds, c1, need


def milp_reference(problem: AssignmentProblem) -> tuple[int, float]:
    """Lexicographic (max seats - min-load shortfall, then max affinity), from raw inputs."""
    a, nv, cons, integrality, bounds, c1, need = milp_model(problem)
    r1 = milp(c1, constraints=cons, integrality=integrality, bounds=bounds)
    assert r1.status == 0
    best_cov = -r1.fun
    cons.append(LinearConstraint(-c1[None, :], best_cov - 0.5, np.inf))
    c2 = np.r_[-a, np.zeros(nv - a.size)]
    r2 = milp(c2, constraints=cons, integrality=integrality, bounds=bounds)
    assert r2.status == 0
    penalty = int(round(need.sum() - best_cov))
    return penalty, -r2.fun


CASES = [
    dict(regions=False, conflicts=False),
    dict(regions=False, conflicts=True),
    dict(regions=True, conflicts=True),
    dict(regions=True, conflicts=True, fixed=True, forbidden=True),
    dict(regions=True, conflicts=True, min_load=True),
    dict(regions=True, conflicts=True, density=0.2),  # many infeasible proposals
    dict(regions=False, conflicts=True, load_hi=2, need_hi=5),  # load exhaustion
]


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("seed", range(12))
def test_optimal_matches_milp(case, seed):
    problem = make_instance(seed * 31 + case, **CASES[case])
    res = solve(problem, "optimal")
    assert check_assignment(problem, res) == []
    penalty, best = milp_reference(problem)
    assert res.penalty == penalty
    assert res.objective == pytest.approx(best, abs=1e-6)
    # certificate: integer dual bound equals the integer optimum, float bound tight
    assert res.stats["certified_optimal"]
    assert res.bound >= res.objective - 1e-9
    assert res.gap <= 1e-5


@pytest.mark.parametrize("seed", range(6))
def test_optimal_larger_random(seed):
    problem = make_instance(1000 + seed, P=40, E=25, density=0.35)
    res = solve(problem, "optimal")
    assert check_assignment(problem, res) == []
    penalty, best = milp_reference(problem)
    assert (res.penalty, res.objective) == (penalty, pytest.approx(best, abs=1e-6))
    assert res.stats["certified_optimal"]


def test_negative_and_scaled_affinities():
    problem = make_instance(7, regions=True)
    A = problem.affinity.copy()
    A.data = (A.data - 0.3) * 1e4  # negative values and a large scale
    p2 = AssignmentProblem(
        A,
        problem.reviews_needed,
        problem.max_load,
        conflicts=problem.conflicts,
        expert_regions=problem.expert_regions,
        region_minimums=problem.region_minimums,
        allow_negative_affinity=True,
    )
    res = solve(p2, "optimal")
    assert check_assignment(p2, res) == []
    penalty, best = milp_reference(p2)
    assert res.penalty == penalty
    assert res.objective == pytest.approx(best, rel=1e-9, abs=1e-3)


def lsa_reference(problem: AssignmentProblem) -> tuple[int, float]:
    """Second independent solver, for experts of load 1 and no region rule: the Hungarian
    algorithm (``scipy.optimize.linear_sum_assignment``) on the matrix expanded to one row
    per review seat, plus one dummy "empty seat" column per row.  A filled seat is worth
    ``W`` more than any affinity difference, so coverage is maximised first."""
    A = sp.csr_matrix(problem.affinity).toarray()
    stored = sp.csr_matrix(problem.affinity).copy()
    stored.data[:] = 1
    usable = stored.toarray().astype(bool)
    if problem.conflicts is not None:
        usable &= ~sp.csr_matrix(problem.conflicts).toarray().astype(bool)
    P, E = A.shape
    need = np.broadcast_to(np.asarray(problem.reviews_needed), (P,)).astype(int)
    W = 10.0 * (np.abs(A).sum() + 1)
    seat_of = np.repeat(np.arange(P), need)
    n_seats = seat_of.size
    big = 1e9 * W
    cost = np.full((n_seats, E + n_seats), big)
    cost[:, :E] = np.where(usable[seat_of], -(A[seat_of] + W), big)
    cost[np.arange(n_seats), E + np.arange(n_seats)] = 0.0  # the seat stays empty
    r, c = linear_sum_assignment(cost)
    filled = c < E
    aff = float(A[seat_of[r[filled]], c[filled]].sum())
    return int(n_seats - filled.sum()), aff


@pytest.mark.parametrize("seed", range(20))
def test_optimal_matches_hungarian_on_expanded_matrix(seed):
    rng = np.random.default_rng(4000 + seed)
    P, E = int(rng.integers(3, 9)), int(rng.integers(4, 16))
    mask = rng.random((P, E)) < 0.6
    vals = np.round(rng.random((P, E)), 3)
    rows, cols = np.nonzero(mask)
    A = sp.csr_matrix((vals[rows, cols], (rows, cols)), shape=(P, E))
    problem = AssignmentProblem(
        A,
        reviews_needed=rng.integers(1, 4, P),
        max_load=1,
        conflicts=sp.csr_matrix(rng.random((P, E)) < 0.1),
    )
    res = solve(problem, "optimal")
    assert check_assignment(problem, res) == []
    penalty, best = lsa_reference(problem)
    assert res.penalty == penalty
    assert res.objective == pytest.approx(best, abs=1e-6)
    assert res.stats["certified_optimal"] and res.gap <= 1e-5


@pytest.mark.parametrize("k", [5, 40, 1100])
def test_long_augmenting_chain_keeps_coverage_first(k):
    """Filling the last seat costs the whole chain its affinity: p_i likes e_i (1.0) but can
    shift to e_{i+1} (0.0); proposal q's only candidate is e_0.  Coverage comes first, so
    the optimum shifts the whole chain (objective 0, no empty seat).  For long chains the
    moderate penalty weight is not enough and the solver must retry with a larger one."""
    P, E = k + 2, k + 2  # proposals p_0..p_k and q = k + 1; experts e_0..e_{k+1}
    i = np.arange(k + 1)
    rows = np.r_[i, i, k + 1]
    cols = np.r_[i, i + 1, 0]
    vals = np.r_[np.ones(k + 1), np.zeros(k + 1), 0.0]
    A = sp.csr_matrix((vals, (rows, cols)), shape=(P, E))
    problem = AssignmentProblem(A, reviews_needed=1, max_load=1)
    res = solve(problem, "optimal")
    assert check_assignment(problem, res) == []
    assert res.penalty == 0 and res.objective == pytest.approx(0.0)
    assert res.stats["certified_optimal"] and res.gap <= 1e-6
    expected_attempts = 1 if k + 1 < 16 else (2 if k + 1 < 1024 else 3)
    assert res.stats["flow_attempts"] == expected_attempts
    fair = solve(problem, "fair")
    assert check_assignment(problem, fair) == [] and fair.penalty == 0
    if k < 100:
        assert milp_reference(problem) == (0, pytest.approx(0.0))


@pytest.mark.parametrize("seed", range(4))
def test_certificate_rejects_a_suboptimal_flow(seed):
    """The dual certificate is not a rubber stamp: fed the *worst* full assignment of the same
    network (solved with the pair costs negated), it finds a negative residual cycle."""
    from matching.assignment.network import (
        FlowSolution,
        build_network,
        dual_certificate,
        solve_network,
    )

    problem = make_instance(3000 + seed, P=12, E=9, density=0.8)
    net = build_network(problem.prepared, objective="affinity")
    best = solve_network(net)
    good = dual_certificate(net, best)
    assert good.converged and good.min_reduced_cost >= 0 and good.bound_int == best.cost
    worst_net = build_network(problem.prepared, objective="affinity")
    worst_net.cost[: worst_net.n_pairs] *= -1
    worst = solve_network(worst_net)
    flow = worst.flow
    cost = int(flow @ net.cost)
    assert cost > best.cost  # really worse in the original costs
    bad = dual_certificate(net, FlowSolution(flow, cost, 0.0, worst.penalty, 0.0))
    assert not bad.converged or bad.min_reduced_cost < 0
    assert bad.bound_int <= best.cost < cost  # the bound stays a valid lower bound
