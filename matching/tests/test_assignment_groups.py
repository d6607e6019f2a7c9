"""Overseas reviewer minimums, similar-proposal groups and shared reviewer sets, against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from matching.assignment import (
    AssignmentProblem,
    check_assignment,
    proposal_vectors,
    similar_groups,
    solve,
    solve_grouped,
)
from matching.assignment.groups import similar_pairs


# ----------------------------------------------------------------------------- brute force
def brute_force(problem: AssignmentProblem, groups=None):
    """Every assignment of a tiny instance: the lexicographic best (fewest empty seats, then most
    shared (member, expert) pairs in ``groups``, then most affinity). Returns the triple."""
    pp = problem.prepared
    P = pp.n_proposals
    options = []
    for p in range(P):
        lo, hi = np.searchsorted(pp.cand_rows, [p, p + 1])
        cols = pp.cand_cols[lo:hi].tolist()
        k = int(pp.need[p])
        opts = []
        for size in range(min(k, len(cols)), -1, -1):
            opts.extend(itertools.combinations(cols, size))
        options.append(opts)
    A = pp.affinity.toarray()
    best = None
    for combo in itertools.product(*options):
        loads = np.zeros(pp.n_experts, int)
        for c in combo:
            loads[list(c)] += 1
        if (loads > pp.max_load).any():
            continue
        empty = 0
        for p, c in enumerate(combo):
            regions = pp.region_codes[list(c)] if c else np.zeros(0, int)
            reserved_short = 0
            for r in range(pp.n_regions):
                reserved_short += max(0, int(pp.minima[p, r]) - int((regions == r).sum()))
            others = sum(
                max(0, int((regions == r).sum()) - int(pp.minima[p, r]))
                for r in range(pp.n_regions)
            )
            free = int(pp.need[p]) - int(pp.minima[p].sum())
            if others > free:  # a reserved seat taken by another region
                empty = None
                break
            empty += reserved_short + (free - others)
        if empty is None:
            continue
        shared = 0
        for g in groups or []:
            common = set(combo[g[0]])
            for p in g[1:]:
                common &= set(combo[p])
            shared += len(common) * len(g)
        aff = sum(A[p, e] for p, c in enumerate(combo) for e in c)
        key = (-empty, shared, round(aff, 9))
        if best is None or key > best:
            best = key
    return best


def tiny(seed, P=4, E=5, need=2, load=3, density=0.85, regions=None, minimums=None):
    rng = np.random.default_rng(seed)
    mask = rng.random((P, E)) < density
    rows, cols = np.nonzero(mask)
    vals = np.round(rng.random(rows.size), 3)
    A = sp.csr_matrix((vals, (rows, cols)), shape=(P, E))
    return AssignmentProblem(
        affinity=A,
        reviews_needed=need,
        max_load=load,
        expert_regions=regions,
        region_minimums=minimums,
    )


# ----------------------------------------------------------------------------- overseas minimum
@pytest.mark.parametrize("seed", range(12))
def test_overseas_minimum_is_honoured_and_optimal(seed):
    regions = np.array(["HK", "OV", "OV", "HK", "OV", "HK"])
    problem = tiny(seed, P=3, E=6, need=3, load=2, regions=regions, minimums={"OV": 2})
    result = solve(problem)
    assert check_assignment(problem, result) == []
    for p in range(3):
        got = result.experts_of(p)
        n_ov = int((regions[got] == "OV").sum())
        # two seats are reserved for overseas reviewers: filled by them or left empty
        assert n_ov + result.empty_seats[p] >= 2 or got.size + result.empty_seats[p] == 3
        assert int((regions[got] != "OV").sum()) <= 1
    empty, _shared, aff = brute_force(problem)
    assert -empty == result.penalty
    assert result.objective == pytest.approx(aff, abs=1e-9)


def test_overseas_seat_stays_empty_rather_than_taken_by_a_local_expert():
    # the only overseas expert is a candidate of proposal 0 only
    A = sp.csr_matrix(np.array([[0.1, 0.9, 0.8], [0.0, 0.9, 0.8]]))
    A = sp.csr_matrix((A.data, A.indices, A.indptr), shape=(2, 3))
    problem = AssignmentProblem(
        affinity=sp.csr_matrix(([0.1, 0.9, 0.8, 0.9, 0.8], ([0, 0, 0, 1, 1], [0, 1, 2, 1, 2]))),
        reviews_needed=2,
        max_load=5,
        expert_regions=["OV", "HK", "HK"],
        region_minimums={"OV": 1},
        region_names={"OV": "overseas"},
    )
    result = solve(problem)
    assert check_assignment(problem, result) == []
    assert result.experts_of(0).tolist() == [0, 1]  # the overseas reviewer, although weakest
    assert result.experts_of(1).tolist() == [1]  # one HK reviewer; the overseas seat stays empty
    assert "overseas" in result.unassignable[1]


# ----------------------------------------------------------------------------- detection
TEXTS = [
    "Graphene battery anode materials for fast charging lithium cells",
    "Fast charging lithium battery anodes made of graphene composites",
    "Coral reef bleaching under ocean warming in the South China Sea",
    "Ocean warming and coral bleaching of reefs in the South China Sea",
    "Medieval manuscripts of Cantonese opera",
]


def test_similar_groups_link_similar_proposals_and_explain_why():
    X, terms = proposal_vectors(TEXTS)
    groups = similar_groups(X, 0.3, terms=terms)
    assert sorted(g.members for g in groups) == [[0, 1], [2, 3]]
    reef = next(g for g in groups if g.members == [2, 3])
    assert reef.pairs[0][:2] == (2, 3) and reef.max_similarity >= 0.3
    shared = [t for t, _w in reef.terms]
    assert "coral" in shared and "reef" in shared
    assert "opera" not in {t for g in groups for t, _w in g.terms}
    # a stricter threshold keeps only the pair with the same words (after stemming)
    assert [g.members for g in similar_groups(X, 0.99, terms=terms)] == [[2, 3]]


def test_chinese_texts_are_segmented_before_comparing():
    X, terms = proposal_vectors(
        ["石墨烯电池负极材料的快速充电研究", "快速充电的石墨烯电池负极材料", "珊瑚礁白化与海洋变暖"]
    )
    groups = similar_groups(X, 0.3, terms=terms)
    assert [g.members for g in groups] == [[0, 1]]
    assert {"电池", "充电"} <= {t for t, _w in groups[0].terms}


def test_similar_pairs_match_the_dense_product_blockwise():
    rng = np.random.default_rng(3)
    X = sp.random(60, 40, density=0.15, random_state=rng, format="csr")
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1))).ravel()
    norms[norms == 0] = 1
    X = sp.diags(1 / norms) @ X
    i, j, s = similar_pairs(X, 0.2, block=7)
    dense = (X @ X.T).toarray()
    want = {(a, b) for a in range(60) for b in range(a + 1, 60) if dense[a, b] >= 0.2 - 1e-12}
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == want
    assert np.allclose(s, dense[i, j])


def test_group_size_is_capped_most_similar_pairs_first():
    X = np.ones((5, 3)) / np.sqrt(3)  # all identical
    groups = similar_groups(X, 0.5, max_size=2)
    assert all(len(g.members) <= 2 for g in groups) and len(groups) == 2
    with pytest.raises(ValueError):
        similar_groups(X, 0.0)


# ----------------------------------------------------------------------------- shared reviewers
@pytest.mark.parametrize("seed", range(10))
def test_groups_share_reviewers_and_match_brute_force_with_ample_loads(seed):
    problem = tiny(seed, P=4, E=5, need=2, load=4)
    groups = [[0, 1], [2, 3]]
    result = solve_grouped(problem, groups)
    assert check_assignment(problem, result, groups=groups) == []
    empty, shared, aff = brute_force(problem, groups)
    got_shared = sum(
        len(set(result.experts_of(g[0])) & set(result.experts_of(g[1]))) * 2 for g in groups
    )
    assert result.penalty == -empty
    assert got_shared == shared
    assert result.objective == pytest.approx(aff, abs=1e-9)


def test_shared_set_is_the_whole_group_when_loads_allow():
    A = sp.csr_matrix(
        np.array(
            [
                [0.9, 0.8, 0.1, 0.2],
                [0.1, 0.2, 0.9, 0.8],
                [0.5, 0.5, 0.5, 0.5],
            ]
        )
    )
    problem = AssignmentProblem(affinity=A, reviews_needed=2, max_load=3)
    plain = solve(problem)
    assert plain.experts_of(0).tolist() == [0, 1] and plain.experts_of(1).tolist() == [2, 3]
    result = solve_grouped(problem, [[0, 1]])
    assert check_assignment(problem, result, groups=[[0, 1]]) == []
    assert result.experts_of(0).tolist() == result.experts_of(1).tolist()
    assert result.shared[0].size == 2
    assert result.stats["groups"][0]["status"] == "full"


def test_loads_come_first_a_group_gives_up_its_shared_set_rather_than_leave_seats_empty():
    # expert 0 is the only candidate of proposal 2; sharing it with group [0, 1] (load 1) would
    # leave proposal 2 without a reviewer
    A = sp.csr_matrix(([0.9, 0.9, 0.1, 0.1, 0.5], ([0, 1, 0, 1, 2], [0, 0, 1, 2, 0])), shape=(3, 3))
    problem = AssignmentProblem(affinity=A, reviews_needed=1, max_load=np.array([2, 1, 1]))
    result = solve_grouped(problem, [[0, 1]])
    assert check_assignment(problem, result, groups=[[0, 1]]) == []
    assert result.penalty == solve(problem).penalty == 0
    assert 0 not in result.shared
    assert result.stats["groups"][0]["status"] == "none"
    assert result.stats["groups"][0]["dropped_for_coverage"]


def test_check_assignment_catches_a_false_shared_claim_and_a_missed_share():
    A = sp.csr_matrix(np.array([[0.9, 0.1, 0.5], [0.1, 0.9, 0.5]]))
    problem = AssignmentProblem(affinity=A, reviews_needed=2, max_load=4)
    result = solve(problem)  # no sharing asked: every expert fits, nothing is missed
    assert check_assignment(problem, result, groups=[[0, 1]]) == []
    result.shared = {0: np.array([0])}  # expert 0 does not review proposal 1
    kinds = [v.kind for v in check_assignment(problem, result, groups=[[0, 1]])]
    assert kinds == ["group"]
    # expert 2 has room for both members, each of which has an empty seat: not sharing it is lazy
    full = AssignmentProblem(
        affinity=sp.csr_matrix(np.array([[0.9, 0.1, 0.5], [0.1, 0.9, 0.5]])),
        reviews_needed=2,
        max_load=2,
    )
    lazy = solve(
        AssignmentProblem(
            affinity=full.affinity,
            reviews_needed=2,
            max_load=2,
            forbidden=[[0, 1], [1, 0], [0, 2], [1, 2]],
        )
    )
    assert [v.kind for v in check_assignment(full, lazy, groups=[[0, 1]])] == ["group"]
