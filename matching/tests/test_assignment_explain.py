"""Per-reviewer explanations ("why was this expert chosen")."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from matching.assignment import AssignmentProblem, check_assignment, explain_choices, solve
from matching.tests.test_assignment_optimal import make_instance


@pytest.mark.parametrize("mode", ["optimal", "fair"])
@pytest.mark.parametrize("seed", range(8))
def test_explanations_are_consistent_with_optimality(mode, seed):
    problem = make_instance(8000 + seed, P=20, E=14, regions=True, conflicts=True, fixed=True)
    res = solve(problem, mode)
    assert check_assignment(problem, res) == []
    A = problem.affinity.toarray()
    for p in range(problem.n_proposals):
        choices = explain_choices(problem, res, p)
        assert sorted(c.expert for c in choices) == sorted(res.experts_of(p).tolist())
        for c in choices:
            assert c.affinity == pytest.approx(A[p, c.expert])
            assert 1 <= c.rank <= c.n_candidates and c.reason
            if c.fixed:
                assert c.reason.startswith("locked by hand")
                continue
            # without minimum loads, an optimal (or fair) result never leaves out a better
            # candidate with spare load unless the region rule forbids the swap
            assert c.better_other == 0
            assert c.reason.startswith(f"rank {c.rank} of {c.n_candidates}")


def test_explanation_text():
    A = sp.csr_matrix(np.array([[0.9, 0.8, 0.7, 0.6], [0.95, 0.1, 0.1, 0.1]]))
    problem = AssignmentProblem(
        A,
        reviews_needed=[2, 1],
        max_load=1,
        expert_regions=["HK", "HK", "ML", "ML"],
        region_minimums={"HK": [1, 0], "ML": [1, 0]},
    )
    res = solve(problem)
    assert res.experts_of(0).tolist() == [1, 2] and res.experts_of(1).tolist() == [0]
    c1, c2 = explain_choices(problem, res, 0)
    assert c1.expert == 1 and c1.reason == (
        "rank 2 of 4 conflict-free candidates (affinity 0.800); "
        "1 better-ranked candidate is at maximum load; counts towards the Hong Kong minimum"
    )
    assert c2.expert == 2 and c2.better_at_max_load == 1 and c2.better_region == 0
    # expert 1 (HK, 0.8) is better than 2 (ML, 0.7) but swapping would leave no Mainland
    # reviewer -- it is assigned anyway, so nothing is "left out"
    assert c2.reason.endswith("counts towards the Mainland minimum")


def test_region_rule_explanation():
    A = sp.csr_matrix(np.array([[0.9, 0.8, 0.3]]))
    problem = AssignmentProblem(
        A,
        reviews_needed=2,
        max_load=1,
        expert_regions=["HK", "HK", "ML"],
        region_minimums={"ML": 1},
    )
    res = solve(problem)
    assert res.experts_of(0).tolist() == [0, 2]
    weak = explain_choices(problem, res, 0)[1]
    assert weak.expert == 2 and weak.better_region == 1
    assert "1 better-ranked candidate would break the region minimum" in weak.reason
