"""Randomized assignment with a per-pair probability cap (Jecmen et al., NeurIPS 2020).

No one can engineer who reviews whom if no pair is certain: every (proposal, expert) pair is
assigned with probability at most ``q``.  Two steps:

1. **The LP.**  Maximise the expected total affinity over *fractional* assignments ``x`` with
   ``0 <= x_pe <= q`` and the usual constraints (reviews needed, loads, region seats; empty seats
   and minimum-load shortfall minimised first).  With ``q = a / D`` this is still a network flow
   -- every capacity and supply multiplied by ``D``, pair arcs capacity ``a`` -- so the exact
   integer min-cost flow gives the LP optimum ``x = flow / D`` (totally unimodular matrix), with
   the same machinery and certificate as the deterministic mode.
2. **Sampling.**  Dependent rounding of the fractional *flow* (the flow-network form of the
   bipartite dependent rounding of Gandhi, Khuller, Parthasarathy and Srinivasan, JACM 2006,
   which Jecmen et al. use): while some arc carries a non-integral flow, take a cycle of such
   arcs (one always exists: supplies are integral, so a node with one fractional arc has
   another), and push ``+alpha`` around it with probability ``beta / (alpha + beta)``, else
   ``-beta``, where ``alpha`` / ``beta`` are the largest pushes either way that keep every arc
   within its next integers.  Each step keeps every arc's expected flow (a martingale), makes at
   least one arc integral and keeps flow conservation at every node exactly -- so the result is
   an integral flow of the original network (every reviewer count, load, reserved region seat
   and minimum load respected, in every sample) and ``P(pair assigned) = x_pe`` exactly.  All
   arithmetic is in integers (units of ``1/D``).

Fixed pairs stay assigned with probability 1 (they are outside the optimisation).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import scipy.sparse as sp

from .network import FREE_SLACK, PAIR, build_network, solve_network
from .problem import AssignmentProblem, PreparedProblem
from .result import AssignmentResult


@dataclass(eq=False)
class FractionalAssignment:
    """The LP optimum with the cap: ``units[i] / denominator`` is the probability that pair
    ``(rows[i], cols[i])`` is assigned."""

    problem: AssignmentProblem
    q: Fraction
    denominator: int
    rows: np.ndarray
    cols: np.ndarray
    aff: np.ndarray
    units: np.ndarray  # int64 in [0, q * denominator], the pair arcs' flow
    arc_tail: np.ndarray  # the whole network (pair arcs first), for the rounding
    arc_head: np.ndarray
    arc_flow: np.ndarray  # int64, units of 1 / denominator
    expected_objective: float  # LP value: expected total affinity (fixed pairs included)
    expected_penalty: float  # expected empty seats + min-load shortfall
    stats: dict = field(default_factory=dict)

    @property
    def marginals(self) -> sp.csr_matrix:
        """P x E sparse matrix of assignment probabilities (fixed pairs: 1)."""
        pp = self.problem.prepared
        keep = self.units > 0
        r = np.concatenate([self.rows[keep], pp.fixed_rows])
        c = np.concatenate([self.cols[keep], pp.fixed_cols])
        v = np.concatenate([self.units[keep] / self.denominator, np.ones(pp.fixed_rows.size)])
        return sp.csr_matrix((v, (r, c)), shape=(pp.n_proposals, pp.n_experts))

    def sample(self, rng: np.random.Generator | int | None = None) -> AssignmentResult:
        """One deterministic assignment drawn so that each pair's probability is its marginal."""
        from .solver import _make_result, _with_fixed

        rng = np.random.default_rng(rng)
        t0 = time.perf_counter()
        flow = round_flow(self.arc_tail, self.arc_head, self.arc_flow, self.denominator, rng)
        chosen = flow[: self.rows.size] == self.denominator
        pp = self.problem.prepared
        rows, cols, aff, fixed = _with_fixed(
            pp, self.rows[chosen], self.cols[chosen], self.aff[chosen]
        )
        stats = dict(self.stats)
        stats.update(
            {
                "sample_s": time.perf_counter() - t0,
                "q": float(self.q),
                "expected_objective": self.expected_objective,
            }
        )
        return _make_result(pp, "randomized", rows, cols, aff, fixed, None, stats)


def solve_fractional(problem: AssignmentProblem, q: float, max_denominator: int = 100):
    """The LP optimum with every pair's probability capped at ``q`` (0 < q <= 1)."""
    if not 0 < float(q) <= 1:
        raise ValueError(f"q (the per-pair probability cap) must be in (0, 1], got {q!r}")
    t0 = time.perf_counter()
    qf = Fraction(q).limit_denominator(max_denominator)
    if qf <= 0:
        raise ValueError(f"q={q!r} is too small for a denominator of {max_denominator}")
    D, Q = qf.denominator, qf.numerator
    pp: PreparedProblem = problem.prepared
    # the provably safe penalty weight: lexicographic (fewest empty seats first) per unit of flow
    net = build_network(pp, objective="affinity", penalty_factor=None)
    net.cap[net.kind != PAIR] *= D
    net.cap[: net.n_pairs] = Q
    net.supply *= D
    sol = solve_network(net)
    units = sol.flow[: net.n_pairs].copy()
    aff = net.pair_aff
    expected = float(units @ aff) / D + float(pp.fixed_aff.sum())
    slack = net.kind >= FREE_SLACK
    penalty = float(sol.flow[slack][net.cost[slack] != 0].sum()) / D
    return FractionalAssignment(
        problem=problem,
        q=qf,
        denominator=D,
        rows=net.pair_rows,
        cols=net.pair_cols,
        aff=aff,
        units=units,
        arc_tail=net.tail.astype(np.int64),
        arc_head=net.head.astype(np.int64),
        arc_flow=sol.flow,
        expected_objective=expected,
        expected_penalty=penalty,
        stats={"lp_s": time.perf_counter() - t0, "denominator": D, "n_arcs": int(net.tail.size)},
    )


def solve_randomized(
    problem: AssignmentProblem, q: float = 0.5, rng: np.random.Generator | int | None = None
) -> AssignmentResult:
    """One randomized assignment: the capped LP, then one dependent-rounding sample."""
    return solve_fractional(problem, q).sample(rng)


def round_flow(
    tail: np.ndarray, head: np.ndarray, flow: np.ndarray, D: int, rng: np.random.Generator
) -> np.ndarray:
    """Randomly round a flow given in units of ``1/D`` (integral supplies) to multiples of ``D``,
    keeping each arc's expectation and conservation at every node.  Returns the new flow."""
    v = np.asarray(flow, dtype=np.int64).copy()
    frac = np.flatnonzero(v % D != 0)
    adj: dict[int, set[int]] = {}
    for e in frac.tolist():
        adj.setdefault(int(tail[e]), set()).add(e)
        adj.setdefault(int(head[e]), set()).add(e)
    while adj:
        # walk along fractional arcs until a node repeats: the cycle is the part after its
        # first visit (every node on a fractional arc has at least two, so the walk goes on)
        node = next(iter(adj))
        nodes, arcs, seen = [node], [], {node: 0}
        prev = -1
        while True:
            e = next(x for x in adj[node] if x != prev)
            arcs.append(e)
            node = int(head[e]) if int(tail[e]) == node else int(tail[e])
            if node in seen:
                cut = seen[node]
                cyc_nodes, cyc = nodes[cut:], arcs[cut:]
                break
            seen[node] = len(nodes)
            nodes.append(node)
            prev = e
        cyc = np.asarray(cyc, dtype=np.int64)
        forward = tail[cyc] == np.asarray(cyc_nodes, dtype=np.int64)  # traversed tail -> head
        rem = v[cyc] % D
        up = np.where(forward, D - rem, rem)  # push along the traversal direction
        down = np.where(forward, rem, D - rem)  # push against it
        alpha, beta = int(up.min()), int(down.min())
        sign = np.where(forward, 1, -1)
        if rng.random() * (alpha + beta) < beta:
            v[cyc] += alpha * sign
        else:
            v[cyc] -= beta * sign
        for e in cyc[v[cyc] % D == 0].tolist():
            for end in (int(tail[e]), int(head[e])):
                arcs_at = adj.get(end)
                if arcs_at is not None:
                    arcs_at.discard(e)
                    if not arcs_at:
                        del adj[end]
    return v
