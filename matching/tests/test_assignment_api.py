"""Greedy baseline, fixed/forbidden pairs, unassignable reasons, replacements, validation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.sparse as sp

from matching.assignment import (
    AssignmentProblem,
    check_assignment,
    next_best_reviewer,
    rank_replacements,
    solve,
)
from matching.tests.test_assignment_optimal import CASES, make_instance


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("seed", range(8))
def test_greedy_never_beats_optimal(case, seed):
    problem = make_instance(500 + seed * 7 + case, **CASES[case])
    opt, gr = solve(problem, "optimal"), solve(problem, "greedy")
    assert check_assignment(problem, gr) == []
    assert check_assignment(problem, opt) == []
    assert gr.bound is None
    # lexicographic: fewer empty seats first, then affinity
    assert gr.penalty >= opt.penalty
    if gr.penalty == opt.penalty:
        assert gr.objective <= opt.objective + 1e-9
    # optimal's combined objective dominates
    w = opt.stats["penalty_weight"]
    assert gr.objective - w * gr.penalty <= opt.objective - w * opt.penalty + 1e-6


@pytest.mark.parametrize("mode", ["optimal", "fair", "greedy"])
@pytest.mark.parametrize("seed", range(6))
def test_fixed_pairs_stay_and_forbidden_never_used(mode, seed):
    problem = make_instance(900 + seed, P=20, E=12, fixed=True, forbidden=True, regions=True)
    res = solve(problem, mode)
    assert check_assignment(problem, res) == []
    got = set(zip(res.proposals.tolist(), res.experts.tolist(), strict=True))
    fr, fc = problem.fixed
    assert set(zip(fr.tolist(), fc.tolist(), strict=True)) <= got
    assert res.fixed.sum() == len(fr)
    fb = problem.forbidden
    assert not set(map(tuple, fb.tolist())) & got


def test_fixed_pair_outside_candidates_and_low_affinity_counts_in_fairness():
    A = sp.csr_matrix(np.array([[0.9, 0.8, 0.0], [0.7, 0.6, 0.5]]))
    A.eliminate_zeros()  # (0, 2) is not a candidate
    problem = AssignmentProblem(A, reviews_needed=2, max_load=2, fixed=np.array([[0, 2]]))
    for mode in ("optimal", "fair", "greedy"):
        res = solve(problem, mode)
        assert check_assignment(problem, res) == []
        assert 2 in res.experts_of(0).tolist()
        assert res.worst_case == 0.0  # the fixed pair has affinity 0


def test_reasons_are_precise():
    # expert 1 (HK) has max load 1 and is fixed on proposal 3 -> proposal 2 has no HK left
    A = sp.csr_matrix(
        np.array(
            [
                [0.0, 0.0, 0.9, 0.8, 0.7, 0.0],
                [0.5, 0.0, 0.4, 0.0, 0.0, 0.0],
                [0.0, 0.6, 0.5, 0.4, 0.3, 0.2],
                [0.9, 0.3, 0.0, 0.6, 0.0, 0.4],
            ]
        )
    )
    regions = np.array(["HK", "HK", "ML", "ML", "ML", "ML"])
    problem = AssignmentProblem(
        A,
        reviews_needed=3,
        max_load=[2, 1, 3, 3, 3, 3],
        expert_regions=regions,
        region_minimums={"HK": 1, "ML": 1},
        fixed=np.array([[3, 1]]),
    )
    for mode in ("optimal", "fair"):
        res = solve(problem, mode)
        assert check_assignment(problem, res) == []
        u = res.unassignable
        assert set(u) == {0, 1, 2}
        assert u[0] == "no conflict-free Hong Kong reviewer among candidates"
        assert u[1] == "only 2 conflict-free candidates for 3 reviews"
        assert (
            u[2]
            == "expert loads exhausted: the only conflict-free Hong Kong candidate is at maximum load"
        )
        # each clause also as a kind and its values, for callers that word it in other languages
        assert u[0].parts == (
            ("no_region_candidate", {"region": "HK", "region_name": "Hong Kong", "declined": 0}),
        )
        assert u[1].parts == (("few_candidates", {"n": 2, "need": 3, "declined": 0}),)
        assert u[2].parts == (
            ("region_loads_exhausted", {"region": "HK", "region_name": "Hong Kong", "n": 1}),
        )
        # the rest is still assigned: proposal 0 gets its 2 Mainland reviewers (HK seat empty)
        assert sorted(res.experts_of(0).tolist()) == [2, 3]
        assert sorted(res.experts_of(1).tolist()) == [0, 2]
        assert len(res.experts_of(2)) == 2 and res.empty_seats[2] == 1
        assert res.empty_seats.tolist() == [1, 1, 1, 0]


def test_conflict_reason_and_mask_respected():
    A = sp.csr_matrix(np.array([[0.9, 0.8, 0.7], [0.1, 0.2, 0.3]]))
    conflicts = sp.csr_matrix(np.array([[True, False, False], [False, False, False]]))
    problem = AssignmentProblem(A, reviews_needed=3, max_load=2, conflicts=conflicts)
    res = solve(problem)
    assert check_assignment(problem, res) == []
    assert 0 not in res.experts_of(0).tolist()
    assert res.unassignable[0] == "only 2 conflict-free candidates for 3 reviews"
    assert 1 not in res.unassignable


def test_load_exhausted_reason():
    A = sp.csr_matrix(np.ones((3, 2)))
    problem = AssignmentProblem(A, reviews_needed=2, max_load=2)
    res = solve(problem)
    assert check_assignment(problem, res) == []
    assert res.penalty == 2 and len(res.unassignable) in (1, 2)
    for reason in res.unassignable.values():
        assert (
            reason == "expert loads exhausted: all 2 conflict-free candidates are at maximum load"
        )


def test_declined_counted_in_reason():
    A = sp.csr_matrix(np.array([[0.9, 0.8, 0.7]]))
    problem = AssignmentProblem(A, reviews_needed=3, max_load=1, forbidden=[(0, 1)])
    res = solve(problem)
    assert (
        res.unassignable[0]
        == "only 2 conflict-free candidates for 3 reviews (1 declined/forbidden excluded)"
    )
    assert res.unassignable[0].parts == (("few_candidates", {"n": 2, "need": 3, "declined": 1}),)


def test_next_best_reviewer_respects_region_load_conflict():
    A = sp.csr_matrix(
        np.array(
            [
                [0.9, 0.85, 0.8, 0.7, 0.95, 0.3],
                [0.9, 0.1, 0.1, 0.1, 0.1, 0.1],
            ]
        )
    )
    regions = np.array(["HK", "HK", "ML", "ML", "HK", "ML"])
    conflicts = [(0, 4)]
    problem = AssignmentProblem(
        A,
        reviews_needed=[3, 1],
        max_load=[1, 1, 1, 1, 1, 1],
        conflicts=conflicts,
        expert_regions=regions,
        region_minimums={"HK": [1, 0], "ML": [1, 0]},
    )
    res = solve(problem)
    assert check_assignment(problem, res) == []
    assert sorted(res.experts_of(0).tolist()) in ([0, 1, 2], [1, 2, 3])
    current = res.pairs()
    # HK reviewer 1 declines on proposal 0 -> seat must go to an HK expert with spare load;
    # 4 is in conflict, 0 may be loaded by proposal 1 -> possibly none
    hk_on_0 = [e for e in res.experts_of(0).tolist() if regions[e] == "HK"]
    declined = hk_on_0[0]
    s = next_best_reviewer(problem, current, 0, exclude=[declined])
    others_hk = [e for e in hk_on_0 if e != declined]
    loads = res.loads
    if others_hk:  # a HK reviewer remains: free seat, any spare-load candidate
        assert s is None or loads[s.expert] < 1
    else:
        assert s is None or (regions[s.expert] == "HK" and s.expert != 4 and loads[s.expert] < 1)
    # Mainland 2 declines: the replacement must be Mainland unless another ML remains
    ml_on_0 = [e for e in res.experts_of(0).tolist() if regions[e] == "ML"]
    s2 = next_best_reviewer(problem, current, 0, exclude=[ml_on_0[0]])
    if len(ml_on_0) == 1:
        assert s2 is not None and regions[s2.expert] == "ML" and s2.fills_region == "ML"
        assert s2.expert not in res.experts_of(0).tolist()
    ranked = rank_replacements(problem, current, 0, exclude=[ml_on_0[0]], limit=5)
    assert [x.affinity for x in ranked] == sorted((x.affinity for x in ranked), reverse=True)
    assert all(x.expert != 4 for x in ranked)


def test_next_best_reviewer_simple():
    A = sp.csr_matrix(np.array([[0.9, 0.8, 0.7, 0.6]]))
    problem = AssignmentProblem(A, reviews_needed=2, max_load=1, forbidden=[(0, 2)])
    res = solve(problem)
    assert sorted(res.experts_of(0).tolist()) == [0, 1]
    s = next_best_reviewer(problem, res, 0, exclude=[0])
    assert s.expert == 3 and s.affinity == pytest.approx(0.6)  # 2 is forbidden
    assert next_best_reviewer(problem, res, 0, exclude=[0, 3]) is None


def test_check_assignment_detects_violations():
    problem = make_instance(3, P=15, E=10, regions=True, conflicts=True)
    res = solve(problem)
    assert check_assignment(problem, res) == []
    conf = problem.prepared.conflict_keys[0]
    P, E = problem.shape
    bad = dataclasses.replace(
        res,
        proposals=np.r_[res.proposals, conf // E],
        experts=np.r_[res.experts, conf % E],
        affinity=np.r_[res.affinity, 0.0],
    )
    kinds = {v.kind for v in check_assignment(problem, bad)}
    assert "conflict" in kinds
    over = dataclasses.replace(
        res,
        proposals=np.r_[res.proposals, res.proposals[:1]],
        experts=np.r_[res.experts, res.experts[:1]],
        affinity=np.r_[res.affinity, res.affinity[:1]],
    )
    assert "duplicate" in {v.kind for v in check_assignment(problem, over)}
    lied = dataclasses.replace(res, unassignable={}, objective=res.objective + 1)
    kinds = {v.kind for v in check_assignment(problem, lied)}
    assert "objective" in kinds
    if res.unassignable:
        assert "unassignable" in kinds


def test_check_assignment_detects_load_and_region_violations():
    A = sp.csr_matrix(np.ones((2, 2)))
    problem = AssignmentProblem(
        A, reviews_needed=1, max_load=1, expert_regions=["HK", "ML"], region_minimums={"HK": 1}
    )
    res = solve(problem)
    assert check_assignment(problem, res) == []
    bad = dataclasses.replace(
        res, proposals=np.array([0, 1]), experts=np.array([1, 1]), affinity=np.array([1.0, 1.0])
    )
    kinds = {v.kind for v in check_assignment(problem, bad)}
    assert {"load", "region"} <= kinds


def test_input_validation():
    A = sp.csr_matrix(np.ones((2, 2)))
    with pytest.raises(ValueError, match="conflict of interest"):
        _ = AssignmentProblem(A, 1, 1, conflicts=[(0, 0)], fixed=[(0, 0)]).prepared
    with pytest.raises(ValueError, match="more fixed reviews than max_load"):
        _ = AssignmentProblem(A, 1, 1, fixed=[(0, 0), (1, 0)]).prepared
    with pytest.raises(ValueError, match="region minimums exceed"):
        _ = AssignmentProblem(
            A, 1, 1, expert_regions=["HK", "ML"], region_minimums={"HK": 1, "ML": 1}
        ).prepared
    with pytest.raises(TypeError):
        _ = AssignmentProblem(np.ones((2, 2))).prepared
    with pytest.raises(ValueError):
        solve(AssignmentProblem(A, 1, 1), mode="nope")


def test_empty_and_degenerate_inputs():
    A = sp.csr_matrix((3, 4))
    problem = AssignmentProblem(A, reviews_needed=2, max_load=1)
    for mode in ("optimal", "fair", "greedy"):
        res = solve(problem, mode)
        assert check_assignment(problem, res) == []
        assert res.n_pairs == 0 and len(res.unassignable) == 3
        assert res.unassignable[0] == "only 0 conflict-free candidates for 2 reviews"
    zero_need = AssignmentProblem(sp.csr_matrix(np.ones((2, 2))), reviews_needed=0, max_load=1)
    res = solve(zero_need)
    assert res.n_pairs == 0 and res.unassignable == {} and check_assignment(zero_need, res) == []


def _independent_best_replacement(problem, res, p, declined):
    """Brute force from the raw inputs: best valid expert for proposal p once `declined` left."""
    A = problem.affinity.toarray()
    stored = problem.affinity.toarray() != 0
    stored |= sp.csr_matrix(problem.affinity).astype(bool).toarray()
    P, E = A.shape
    bad = sp.csr_matrix(problem.conflicts).toarray().astype(bool)
    if problem.forbidden is not None:
        for a, b in np.asarray(problem.forbidden).reshape(-1, 2).tolist():
            bad[a, b] = True
    pairs = [
        (a, b)
        for a, b in zip(res.proposals.tolist(), res.experts.tolist(), strict=True)
        if (a, b) != (p, declined)
    ]
    loads = np.zeros(E, int)
    for _, b in pairs:
        loads[b] += 1
    mine = [b for a, b in pairs if a == p]
    need = int(np.broadcast_to(problem.reviews_needed, (P,))[p])
    cap = np.broadcast_to(problem.max_load, (E,))
    regions = problem.expert_regions
    mins = {k: int(np.broadcast_to(v, (P,))[p]) for k, v in (problem.region_minimums or {}).items()}
    best = None
    for x in range(E):
        if not stored[p, x] or bad[p, x] or x == declined or x in mine or loads[x] >= cap[x]:
            continue
        team = [*mine, x]
        short = sum(max(m - sum(regions[y] == k for y in team), 0) for k, m in mins.items())
        if len(team) + short > need:
            continue
        if best is None or A[p, x] > best[1]:
            best = (x, A[p, x])
    return best


@pytest.mark.parametrize("seed", range(15))
def test_next_best_reviewer_matches_brute_force(seed):
    problem = make_instance(
        7000 + seed, P=14, E=12, regions=True, conflicts=True, forbidden=True, fixed=True
    )
    res = solve(problem, "optimal")
    assert check_assignment(problem, res) == []
    rng = np.random.default_rng(seed)
    free = np.flatnonzero(~res.fixed)
    for i in rng.permutation(free)[:6].tolist():
        p, e = int(res.proposals[i]), int(res.experts[i])
        got = next_best_reviewer(problem, res, p, e)  # one expert id, positional
        want = _independent_best_replacement(problem, res, p, e)
        if want is None:
            assert got is None
            continue
        assert got is not None and got.affinity == pytest.approx(want[1])
        assert got.expert != e and got.expert not in res.experts_of(p).tolist()
        assert got.load < got.max_load
        # the replacement keeps the assignment valid
        rows = np.r_[np.delete(res.proposals, i), p]
        cols = np.r_[np.delete(res.experts, i), got.expert]
        A = problem.affinity
        new = dataclasses.replace(
            res,
            proposals=rows,
            experts=cols,
            affinity=np.asarray(A[rows, cols]).ravel(),
        )
        kinds = {v.kind for v in check_assignment(problem, new)}
        assert not kinds & {"conflict", "forbidden", "load", "region", "candidate", "duplicate"}


def test_suggestion_explains_itself():
    A = sp.csr_matrix(np.array([[0.9, 0.8, 0.7, 0.6]]))
    problem = AssignmentProblem(
        A,
        reviews_needed=2,
        max_load=[1, 1, 1, 3],
        expert_regions=["HK", "ML", "ML", "HK"],
        region_minimums={"HK": 1, "ML": 1},
    )
    res = solve(problem)
    assert sorted(res.experts_of(0).tolist()) == [0, 1]
    s = next_best_reviewer(problem, res, 0, 0)  # the HK reviewer declines
    assert s.expert == 3 and s.fills_region == "HK"  # 2 is Mainland: the HK seat must be kept
    assert s.reason == (
        "highest-affinity conflict-free Hong Kong expert with spare load "
        "(affinity 0.600, load 0/3); fills the reserved Hong Kong seat"
    )
    assert next_best_reviewer(problem, res, 0, [0, 3]) is None


def test_minimum_load_is_met_when_possible_and_explained_otherwise():
    # 2 proposals x 1 review; experts 0 and 1 both want 1 review, expert 2 is the best
    A = sp.csr_matrix(np.array([[0.5, 0.4, 0.9, 0.0], [0.3, 0.6, 0.8, 0.0]]))
    A.eliminate_zeros()  # expert 3 has no candidate proposal at all
    problem = AssignmentProblem(A, reviews_needed=1, max_load=2, min_load=[1, 1, 0, 1])
    res = solve(problem)
    assert check_assignment(problem, res) == []
    # minimum loads first: 0 and 1 get one review each although 2 is better everywhere
    assert res.experts_of(0).tolist() == [0] and res.experts_of(1).tolist() == [1]
    assert res.min_load_shortfall.tolist() == [0, 0, 0, 1]
    assert res.underloaded == {
        3: "only 0 conflict-free candidate proposals for a minimum load of 1"
    }
    # three experts want a review, only two seats exist
    p2 = AssignmentProblem(A, reviews_needed=1, max_load=2, min_load=[1, 1, 1, 0])
    res2 = solve(p2)
    assert check_assignment(p2, res2) == [] and res2.penalty == 1
    (e,) = res2.underloaded
    assert res2.underloaded[e].startswith("0 of minimum 1 assigned: no review can move")
    gr = solve(p2, "greedy")
    assert check_assignment(p2, gr) == []
    assert all("greedy" in r for r in gr.underloaded.values())
