"""Reviewer assignment: exact min-cost-flow optimisation with an optimality certificate.

Public API::

    from matching.assignment import AssignmentProblem, solve, check_assignment, next_best_reviewer

    problem = AssignmentProblem(affinity=csr, reviews_needed=3, max_load=6,
                                expert_regions=regions, region_minimums={"HK": 1, "ML": 1},
                                conflicts=mask, fixed=locked_pairs, forbidden=declined_pairs)
    result = solve(problem, mode="optimal")      # or "fair" / "greedy"
    assert check_assignment(problem, result) == []
    result.objective, result.bound, result.gap, result.unassignable

Framework-free (NumPy/SciPy/OR-Tools only).
"""

from .problem import AssignmentProblem, PreparedProblem
from .replace import Suggestion, next_best_reviewer, rank_replacements
from .result import AssignmentResult
from .solver import solve, solve_fair, solve_greedy, solve_optimal
from .validate import Violation, check_assignment

__all__ = [
    "AssignmentProblem",
    "AssignmentResult",
    "PreparedProblem",
    "Suggestion",
    "Violation",
    "check_assignment",
    "next_best_reviewer",
    "rank_replacements",
    "solve",
    "solve_fair",
    "solve_greedy",
    "solve_optimal",
]
