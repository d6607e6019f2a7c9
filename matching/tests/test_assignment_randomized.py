"""Randomized assignment (per-pair probability cap q): LP marginals, exact sampling, constraints."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from matching.assignment import (
    AssignmentProblem,
    check_assignment,
    solve,
    solve_fractional,
)
from matching.assignment.randomized import round_flow
from matching.tests.test_assignment_optimal import make_instance


def _lp_reference(problem: AssignmentProblem, q: float) -> float:
    """Independent check of the capped LP with HiGHS (no regions, every seat fillable)."""
    from scipy.optimize import linprog

    pp = problem.prepared
    r, c, a = pp.free_rows, pp.free_cols, pp.free_aff
    n = r.size
    A_eq = sp.csr_matrix((np.ones(n), (r, np.arange(n))), (pp.n_proposals, n))
    A_ub = sp.csr_matrix((np.ones(n), (c, np.arange(n))), (pp.n_experts, n))
    res = linprog(
        -a, A_ub=A_ub, b_ub=pp.cap_res, A_eq=A_eq, b_eq=pp.need_res, bounds=(0, q), method="highs"
    )
    assert res.status == 0
    return -res.fun


def _dense_problem(seed=0, P=6, E=8, need=2, load=2, regions=False):
    rng = np.random.default_rng(seed)
    A = sp.csr_matrix(np.round(rng.random((P, E)), 3) + 0.01)
    kw = {}
    if regions:
        kw = {"expert_regions": np.array(["HK", "ML"] * (E // 2)), "region_minimums": {"HK": 1}}
    return AssignmentProblem(A, reviews_needed=need, max_load=load, **kw)


@pytest.mark.parametrize("q", [0.5, 0.4, 1 / 3])
def test_lp_respects_the_cap_and_matches_highs(q):
    problem = _dense_problem(1)
    frac = solve_fractional(problem, q)
    x = frac.marginals.toarray()
    assert x.max() <= q + 1e-12
    assert np.allclose(x.sum(axis=1), 2)  # every seat filled in expectation
    assert (x.sum(axis=0) <= 2 + 1e-12).all()
    assert frac.expected_objective == pytest.approx(_lp_reference(problem, q), abs=1e-6)
    # the cap costs affinity: below the deterministic optimum, equal to it at q = 1
    opt = solve(problem, "optimal").objective
    assert frac.expected_objective <= opt + 1e-9
    assert solve_fractional(problem, 1.0).expected_objective == pytest.approx(opt, abs=1e-6)


@pytest.mark.parametrize(("q", "regions"), [(0.5, False), (0.4, True)])
def test_sample_frequencies_equal_the_marginals(q, regions):
    """Over 4,000 seeded samples every pair's frequency is within 5 binomial standard errors
    (<= 0.04) of its LP probability.  A sampler that ignores the marginals -- the deterministic
    optimum (frequencies 0 or 1 where x = 0.5 or 0.4) or independent coin flips per seat -- misses
    by far more than that, and with 48 pairs a correct sampler fails with probability < 1e-4."""
    problem = _dense_problem(2, regions=regions)
    frac = solve_fractional(problem, q)
    x = frac.marginals.toarray()
    assert ((x > 0) & (x < 1)).sum() >= 10  # really fractional, not a trivial case
    rng = np.random.default_rng(12345)
    n = 4000
    counts = np.zeros_like(x)
    for _ in range(n):
        res = frac.sample(rng)
        counts[res.proposals, res.experts] += 1
    freq = counts / n
    se = np.sqrt(np.maximum(x * (1 - x), 1e-12) / n)
    assert np.abs(freq - x).max() <= 0.04
    assert (np.abs(freq - x) <= 5 * se + 1e-9).all()
    # and no pair above the cap by more than sampling noise
    assert freq.max() <= q + 0.04


@pytest.mark.parametrize("seed", range(6))
def test_every_sample_respects_every_hard_constraint(seed):
    problem = make_instance(
        700 + seed,
        P=14,
        E=10,
        density=0.7,
        regions=True,
        fixed=seed % 2 == 0,
        forbidden=True,
        min_load=seed % 3 == 0,
    )
    frac = solve_fractional(problem, 0.5)
    rng = np.random.default_rng(seed)
    fr, fc = problem.fixed if problem.fixed is not None else ([], [])
    for _ in range(30):
        res = frac.sample(rng)
        assert check_assignment(problem, res) == []
        got = set(zip(res.proposals.tolist(), res.experts.tolist(), strict=True))
        assert set(zip(np.asarray(fr).tolist(), np.asarray(fc).tolist(), strict=True)) <= got


def test_solve_mode_randomized_is_reproducible_with_a_seed():
    problem = _dense_problem(3)
    a = solve(problem, "randomized", q=0.5, rng=7)
    b = solve(problem, "randomized", q=0.5, rng=7)
    assert a.pairs().tolist() == b.pairs().tolist()
    assert a.mode == "randomized" and a.stats["q"] == 0.5
    assert check_assignment(problem, a) == []
    draws = {
        tuple(map(tuple, solve(problem, "randomized", rng=s).pairs().tolist())) for s in range(20)
    }
    assert len(draws) > 1  # really random


def test_q_outside_0_1_is_an_error():
    problem = _dense_problem(4)
    for bad in (0, -0.1, 1.5):
        with pytest.raises(
            ValueError, match=r"q \(the per-pair probability cap\) must be in \(0, 1\]"
        ):
            solve_fractional(problem, bad)


def test_round_flow_keeps_conservation_on_a_cycle():
    # two proposals (0, 1), two experts (2, 3), each pair carrying half a unit (D = 2)
    tail = np.array([0, 0, 1, 1])
    head = np.array([2, 3, 2, 3])
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(50):
        v = round_flow(tail, head, np.ones(4, np.int64), 2, rng)
        assert set(v.tolist()) <= {0, 2}
        assert v[0] + v[1] == 2 and v[2] + v[3] == 2 and v[0] + v[2] == 2
        seen.add(tuple(v.tolist()))
    assert seen == {(2, 0, 0, 2), (0, 2, 2, 0)}
