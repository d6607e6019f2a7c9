"""Reviewer assignment: exact min-cost-flow optimisation with an optimality certificate.

Public API::

    from matching.assignment import AssignmentProblem, solve, check_assignment, next_best_reviewer

    problem = AssignmentProblem(affinity=csr, reviews_needed=3, max_load=6, min_load=None,
                                expert_regions=regions, region_minimums={"HK": 1, "ML": 1},
                                conflicts=mask, fixed=locked_pairs, forbidden=declined_pairs)
    result = solve(problem, mode="optimal")      # or "fair" / "greedy"
    assert check_assignment(problem, result) == []
    result.objective, result.bound, result.gap, result.unassignable   # {proposal: reason}
    next_best_reviewer(problem, result, proposal, declined_expert)    # -> Suggestion | None
    explain_choices(problem, result, proposal)   # per reviewer: affinity, rank, why chosen

    X, terms = proposal_vectors(texts)               # similar applications, same reviewers
    groups = similar_groups(X, 0.5, terms=terms)     # [SimilarGroup(members, pairs, terms)]
    result = solve_grouped(problem, [g.members for g in groups])
    assert check_assignment(problem, result, groups=[g.members for g in groups]) == []
    result.shared                                    # {group: experts reviewing every member}

Modes
    ``optimal``  maximise total affinity (after minimising empty review seats and
                 minimum-load shortfall), proved optimal.
    ``fair``     maximise the affinity of the worst-served proposal first (a proposal
                 is served as well as its weakest assigned reviewer), then total
                 affinity subject to that (see :func:`solver.solve_fair`).
    ``greedy``   baseline for comparison (no bound).
    ``randomized`` every pair assigned with probability <= q (Jecmen et al. 2020): the capped
                 LP optimum, sampled by dependent rounding so each pair's probability is
                 exactly its LP value (``solve_fractional(problem, q).sample(rng)``).

Which library, and why: OR-Tools ``SimpleMinCostFlow`` (C++ cost-scaling push-relabel,
Apache-2.0, ``pip install ortools``).  With the constraints we support -- coverage,
maximum load, soft minimum load, per-proposal region minimums (as reserved seats) --
the problem is a *network flow*: its constraint matrix is totally unimodular, so the
min-cost integer flow is the optimum of the integer programme itself, with no
branch-and-bound and no rounding of an LP.  OR-Tools takes the whole network as NumPy
arrays (one call, no per-arc Python), solves a 10,000 x 20,000 round (~0.8 M arcs) in
a few seconds and a few hundred MB, and works in exact integer arithmetic.  A generic
LP (HiGHS through ``scipy.optimize.linprog``) on the same round needed 146 s and 1.1 GB
for the relaxation alone, against 19 s and 0.25 GB for the flow in the same run (see
``bench/RESULTS-assignment.md``); HiGHS is kept as an *independent* check in the tests
(MILP) and in ``bench/assignment.py --lp-check``.  Pure-Python graph libraries
(networkx) are far too slow at this size.
We do not take the solver's word for it: after each solve, node potentials are
computed by Bellman-Ford on the residual graph (vectorised NumPy); no negative cycle
proves optimality, and the potentials give a Lagrangian dual bound in the original
float affinities, reported as ``result.bound`` with ``result.gap = bound - objective``.

Framework-free (NumPy/SciPy/OR-Tools only).
"""

from .explain import Choice, explain_choices
from .groups import SimilarGroup, proposal_vectors, similar_groups, solve_grouped
from .problem import AssignmentProblem, PreparedProblem
from .randomized import FractionalAssignment, solve_fractional, solve_randomized
from .replace import Suggestion, next_best_reviewer, rank_replacements
from .result import AssignmentResult
from .solver import solve, solve_fair, solve_greedy, solve_optimal
from .validate import Violation, check_assignment

__all__ = [
    "AssignmentProblem",
    "AssignmentResult",
    "Choice",
    "SimilarGroup",
    "FractionalAssignment",
    "PreparedProblem",
    "Suggestion",
    "Violation",
    "check_assignment",
    "explain_choices",
    "next_best_reviewer",
    "rank_replacements",
    "solve",
    "solve_fair",
    "solve_greedy",
    "solve_grouped",
    "similar_groups",
    "proposal_vectors",
    "solve_fractional",
    "solve_optimal",
    "solve_randomized",
]
