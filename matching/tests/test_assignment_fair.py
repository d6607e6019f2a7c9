"""Fairness mode vs brute force on tiny instances (exhaustive enumeration) and vs an
independent max-min MILP (HiGHS) on small ones."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.assignment import AssignmentProblem, check_assignment, solve
from matching.tests.test_assignment_optimal import CASES, make_instance, milp_model


def tiny_instance(
    seed: int, regions: bool, min_load: bool = False, locked: bool = False
) -> AssignmentProblem:
    rng = np.random.default_rng(seed)
    P, E = 3, 4
    mask = rng.random((P, E)) < 0.8
    vals = np.round(rng.random((P, E)), 2)
    rows, cols = np.nonzero(mask)
    A = sp.csr_matrix((vals[rows, cols], (rows, cols)), shape=(P, E))
    kw: dict = {"conflicts": sp.csr_matrix(rng.random((P, E)) < 0.1)}
    need = rng.integers(1, 4, P)
    if regions:
        kw["expert_regions"] = rng.choice(["HK", "ML"], E)
        kw["region_minimums"] = {"HK": (need >= 2).astype(int), "ML": (need >= 3).astype(int)}
    if min_load:
        kw["min_load"] = rng.integers(0, 2, E)
    if locked:  # one hand-locked pair and one declined pair among the usable candidates
        usable = mask & ~kw["conflicts"].toarray()
        r, c = np.nonzero(usable)
        if r.size >= 2:
            i, j = rng.choice(r.size, 2, replace=False)
            kw["fixed"] = np.array([[r[i], c[i]]])
            kw["forbidden"] = np.array([[r[j], c[j]]])
    problem = AssignmentProblem(A, need, rng.integers(1, 3, E), **kw)
    try:
        _ = problem.prepared
    except ValueError:  # the locked pair clashes with a region minimum: drop it
        kw.pop("fixed", None)
        problem = AssignmentProblem(A, need, rng.integers(1, 3, E), **kw)
    return problem


def brute_force(problem: AssignmentProblem):
    """All subsets of usable pairs: lexicographic (min penalty, max worst pair, max total),
    plus the best total at min penalty (the optimal mode)."""
    A = problem.affinity.tocoo()
    P, E = A.shape
    bad = problem.conflicts.toarray().copy()
    if problem.forbidden is not None:
        bad[problem.forbidden[:, 0], problem.forbidden[:, 1]] = True
    keep = ~bad[A.row, A.col]
    r, c, a = A.row[keep], A.col[keep], A.data[keep]
    n = r.size
    must = np.zeros(n, bool)
    if problem.fixed is not None:
        for fp, fe in np.asarray(problem.fixed).tolist():
            must |= (r == fp) & (c == fe)
    need = np.broadcast_to(problem.reviews_needed, (P,))
    cap = np.broadcast_to(problem.max_load, (E,))
    minl = np.zeros(E) if problem.min_load is None else np.asarray(problem.min_load)
    X = ((np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)  # (S, n)
    per_p = X.astype(int) @ (r[:, None] == np.arange(P)[None, :])  # (S, P)
    per_e = X.astype(int) @ (c[:, None] == np.arange(E)[None, :])  # (S, E)
    ok = (per_p <= need).all(1) & (per_e <= cap).all(1) & X[:, must].all(1)
    short = np.zeros(per_p.shape)
    if problem.region_minimums:
        er = np.asarray(problem.expert_regions)
        for lab, mins in problem.region_minimums.items():
            cnt = X.astype(int) @ ((r[:, None] == np.arange(P)[None, :]) & (er[c] == lab)[:, None])
            short += np.maximum(np.broadcast_to(mins, (P,)) - cnt, 0)
        ok &= ((per_p + short) <= need).all(1)
    penalty = (need - per_p).sum(1) + np.maximum(minl - per_e, 0).sum(1)
    total = X @ a
    worst = np.where(X, a[None, :], np.inf).min(1)
    best_pen = penalty[ok].min()
    cand = ok & (penalty == best_pen)
    best_total = total[cand].max()
    w = worst[cand].max()
    fair_total = total[cand & (worst == w)].max()
    return int(best_pen), float(best_total), float(w), float(fair_total)


@pytest.mark.parametrize("regions", [False, True])
@pytest.mark.parametrize("seed", range(25))
def test_fair_matches_brute_force(seed, regions):
    problem = tiny_instance(seed, regions)
    pen, best_total, worst, fair_total = brute_force(problem)
    fair = solve(problem, "fair")
    opt = solve(problem, "optimal")
    for res in (fair, opt):
        assert check_assignment(problem, res) == []
        assert res.penalty == pen
    assert opt.objective == pytest.approx(best_total, abs=1e-9)
    if np.isfinite(worst):
        assert fair.worst_case == pytest.approx(worst, abs=1e-12)
    assert fair.objective == pytest.approx(fair_total, abs=1e-9)
    assert fair.worst_case >= opt.worst_case - 1e-12 or not np.isfinite(worst)
    assert fair.objective <= opt.objective + 1e-9


@pytest.mark.parametrize("seed", range(15))
def test_fair_with_fixed_and_forbidden_matches_brute_force(seed):
    problem = tiny_instance(300 + seed, regions=True, locked=True)
    pen, best_total, worst, fair_total = brute_force(problem)
    fair, opt = solve(problem, "fair"), solve(problem, "optimal")
    for res in (fair, opt):
        assert check_assignment(problem, res) == []
        assert res.penalty == pen
    assert opt.objective == pytest.approx(best_total, abs=1e-9)
    if np.isfinite(worst):
        assert fair.worst_case == pytest.approx(worst, abs=1e-12)
    assert fair.objective == pytest.approx(fair_total, abs=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_fair_with_min_load_matches_brute_force(seed):
    problem = tiny_instance(100 + seed, regions=True, min_load=True)
    pen, _, worst, fair_total = brute_force(problem)
    fair = solve(problem, "fair")
    assert check_assignment(problem, fair) == []
    assert fair.penalty == pen
    if np.isfinite(worst):
        assert fair.worst_case == pytest.approx(worst, abs=1e-12)
    assert fair.objective == pytest.approx(fair_total, abs=1e-9)


def test_fair_improves_worst_case_on_crafted_instance():
    # optimal total prefers (0,0)=1.0, (1,1)=0.1 [1.1] over (0,1)=0.5, (1,0)=0.5 [1.0]
    A = sp.csr_matrix(np.array([[1.0, 0.5], [0.5, 0.1]]))
    problem = AssignmentProblem(A, reviews_needed=1, max_load=1)
    opt, fair = solve(problem, "optimal"), solve(problem, "fair")
    assert opt.objective == pytest.approx(1.1) and opt.worst_case == pytest.approx(0.1)
    assert fair.worst_case == pytest.approx(0.5) and fair.objective == pytest.approx(1.0)
    assert check_assignment(problem, fair) == []


def milp_fair_reference(problem: AssignmentProblem):
    """Independent max-min by MILP (HiGHS): min penalty, then max z with z <= a_i wherever
    x_i = 1 (big-M), then max total affinity using only pairs >= z*.  Returns
    (penalty, z*, total) or None when the optimum assigns nothing."""
    a, nv, cons, integrality, bounds, c1, need = milp_model(problem)
    r1 = milp(c1, constraints=cons, integrality=integrality, bounds=bounds)
    assert r1.status == 0
    best_cov = -r1.fun
    pen_row = LinearConstraint(-c1[None, :], best_cov - 0.5, np.inf)
    n = a.size
    if n == 0:
        return None
    big = float(a.max() - a.min()) + 1.0
    # add z as the last variable
    cons_z = [
        LinearConstraint(np.hstack([c.A, np.zeros((c.A.shape[0], 1))]), c.lb, c.ub) for c in cons
    ]
    cons_z.append(LinearConstraint(np.hstack([-c1, [0.0]])[None, :], best_cov - 0.5, np.inf))
    link = np.zeros((n, nv + 1))
    link[np.arange(n), np.arange(n)] = big
    link[:, -1] = 1.0
    cons_z.append(LinearConstraint(link, -np.inf, a + big))
    must_assign = np.zeros((1, nv + 1))
    must_assign[0, :n] = 1.0  # at least one pair, so z is meaningful
    cons_z.append(LinearConstraint(must_assign, 1, np.inf))
    bz = Bounds(np.r_[bounds.lb, a.min() - 1], np.r_[bounds.ub, a.max() + 1])
    cz = np.zeros(nv + 1)
    cz[-1] = -1.0
    r2 = milp(cz, constraints=cons_z, integrality=np.r_[integrality, 0], bounds=bz)
    if r2.status != 0:  # no assignment with at least one pair reaches the minimal penalty
        return None
    z = -r2.fun
    ub = bounds.ub.copy()
    ub[:n][a < z - 1e-9] = 0.0
    c2 = np.r_[-a, np.zeros(nv - n)]
    r3 = milp(
        c2, constraints=[*cons, pen_row], integrality=integrality, bounds=Bounds(bounds.lb, ub)
    )
    assert r3.status == 0
    return int(round(need.sum() - best_cov)), z, -r3.fun


@pytest.mark.parametrize("case", [0, 2, 3, 4, 6])
@pytest.mark.parametrize("seed", range(6))
def test_fair_matches_milp_max_min(case, seed):
    problem = make_instance(6000 + 13 * seed + case, **CASES[case])
    fair = solve(problem, "fair")
    assert check_assignment(problem, fair) == []
    ref = milp_fair_reference(problem)
    if ref is None:
        assert fair.n_pairs == 0 or fair.penalty > 0
        return
    pen, z, total = ref
    assert fair.penalty == pen
    assert fair.worst_case == pytest.approx(z, abs=1e-7)
    assert fair.objective == pytest.approx(total, abs=1e-6)
    assert fair.bound >= fair.objective - 1e-9 and fair.gap <= 1e-5
