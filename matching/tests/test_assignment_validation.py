"""Input validation of the assignment problem: every lax input is a clear error."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from matching.assignment import AssignmentProblem, check_assignment, solve


def _prepared(*args, **kwargs):
    return AssignmentProblem(*args, **kwargs).prepared


A = sp.csr_matrix(np.array([[0.9, 0.5, 0.2], [0.4, 0.8, 0.6]]))


@pytest.mark.parametrize("fmt", ["coo", "csr-unsorted", "csr-sorted", "csc"], ids=lambda f: f)
def test_duplicate_pair_is_an_error_not_a_sum(fmt):
    rows, cols, vals = [0, 1, 0, 1], [2, 0, 2, 1], [0.3, 0.5, 0.4, 0.7]  # (0, 2) twice
    coo = sp.coo_matrix((vals, (rows, cols)), shape=(2, 3))
    if fmt == "coo":
        m = coo
    elif fmt == "csc":
        m = sp.csc_matrix((np.array(vals), (np.array(rows), np.array(cols))), shape=(2, 3))
        # SciPy sums duplicates when building from (data, (row, col)); build them in directly
        m = sp.csc_matrix(
            (np.array([0.5, 0.7, 0.3, 0.4]), np.array([1, 1, 0, 0]), np.array([0, 1, 2, 4])),
            shape=(2, 3),
        )
    else:
        indptr = np.array([0, 2, 4])
        idx = np.array([2, 2, 0, 1]) if fmt == "csr-sorted" else np.array([2, 2, 1, 0])
        m = sp.csr_matrix((np.array([0.3, 0.4, 0.5, 0.7]), idx, indptr), shape=(2, 3))
    with pytest.raises(ValueError, match=r"pair \(proposal 0, expert 2\) is stored more than once"):
        _prepared(m, reviews_needed=1, max_load=1)


def test_distinct_pairs_and_explicit_zeros_are_accepted():
    m = sp.csr_matrix((np.array([0.0, 0.5]), np.array([0, 1]), np.array([0, 1, 2])), shape=(2, 2))
    res = solve(AssignmentProblem(m, reviews_needed=1, max_load=1))
    assert res.n_pairs == 2  # the explicit 0 is a candidate
    coo = sp.coo_matrix(([0.1, 0.2], ([0, 1], [1, 1])), shape=(2, 2))
    assert _prepared(coo, reviews_needed=1, max_load=2).cand_rows.size == 2


def test_negative_affinity_is_an_error():
    m = A.copy()
    m.data[4] = -0.25  # (1, 1)
    with pytest.raises(
        ValueError, match=r"affinity must be >= 0: pair \(proposal 1, expert 1\) has -0.25"
    ):
        _prepared(m, reviews_needed=1, max_load=1)


def test_negative_affinity_allowed_on_request_and_shift_invariant():
    m = A.copy()
    m.data -= 0.5
    signed = solve(AssignmentProblem(m, reviews_needed=2, max_load=1, allow_negative_affinity=True))
    shifted = solve(AssignmentProblem(A, reviews_needed=2, max_load=1))
    assert signed.pairs().tolist() == shifted.pairs().tolist()
    assert signed.objective == pytest.approx(shifted.objective - 0.5 * shifted.n_pairs)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_affinity_is_an_error(bad):
    m = A.copy()
    m.data[0] = bad
    with pytest.raises(ValueError, match="non-finite"):
        _prepared(m, reviews_needed=1, max_load=1)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("max_load", -1, r"max_load must be a whole number >= 0, got -1"),
        ("reviews_needed", -2, r"reviews_needed must be a whole number >= 0, got -2"),
        ("reviews_needed", 2.7, r"reviews_needed must be a whole number >= 0, got 2.7"),
        ("max_load", 1.5, r"max_load must be a whole number >= 0, got 1.5"),
        ("min_load", -1, r"min_load must be a whole number >= 0, got -1"),
        ("reviews_needed", np.nan, r"reviews_needed must be a whole number >= 0, got nan"),
        ("reviews_needed", "3", r"reviews_needed must be a whole number >= 0, got '3'"),
        ("max_load", True, r"max_load must be a whole number >= 0, got True"),
        (
            "reviews_needed",
            [1, 2.5],
            r"reviews_needed must be a whole number >= 0, got 2.5 \(entry 1\)",
        ),
        ("max_load", [1, -3, 2], r"max_load must be a whole number >= 0, got -3 \(entry 1\)"),
    ],
)
def test_counts_must_be_whole_non_negative_numbers(field, value, message):
    kwargs = {"reviews_needed": 1, "max_load": 1, field: value}
    with pytest.raises(ValueError, match=message):
        _prepared(A, **kwargs)


def test_region_minimum_must_be_a_whole_number():
    with pytest.raises(
        ValueError, match=r"region_minimums\['HK'\] must be a whole number >= 0, got 0.5"
    ):
        _prepared(
            A,
            reviews_needed=2,
            max_load=1,
            expert_regions=["HK", "ML", "HK"],
            region_minimums={"HK": 0.5},
        )


def test_whole_floats_and_numpy_ints_are_accepted():
    problem = AssignmentProblem(
        A, reviews_needed=2.0, max_load=np.int32(2), min_load=np.array([0.0, 0, 0])
    )
    res = solve(problem)
    assert check_assignment(problem, res) == []
    assert res.n_pairs == 4
