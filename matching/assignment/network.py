"""Min-cost-flow network for reviewer assignment, built from arrays (no per-pair loops).

Nodes
    ``p``            proposal ``p`` (``0 <= p < P``); supply = its *free* seats
                     ``need_p - sum_r min_pr`` (seats any region may fill)
    ``P + e``        expert ``e``; supply ``-min_load_e`` (lower-bound transform)
    ``T = P + E``    sink; supply ``-(sum need) + sum min_load``
    ``T + 1 + k``    region sub-node ``(p, r)`` for every proposal/region with a
                     minimum ``min_pr > 0``; supply ``min_pr``

Arcs (``kind``)
    PAIR       ``p`` or ``(p, r(e)) -> e``   cap 1, cost ``-round(scale * a_pe)``
    TO_SUB     ``p -> (p, r)``               cap free seats, cost 0
    FREE_SLACK ``p -> T``                    cap free seats, cost ``M`` (empty seat)
    REG_SLACK  ``(p, r) -> T``               cap ``min_pr``, cost ``M`` (empty reserved seat)
    EXPERT     ``e -> T``                    cap ``max_load - min_load``, cost 0
    LOAD_SLACK ``T -> e``                    cap ``min_load``, cost ``M`` (min-load shortfall)

This is the standard lower-bound transformation: the region minimum is a lower bound
``min_pr`` on the arc ``p -> (p, r)`` and the minimum load a lower bound on
``e -> T``; both lower bounds are moved into node supplies, and the slack arcs keep
the flow feasible whatever the data.  The optimum must first minimise the *penalty*
(empty seats + min-load shortfall) and then maximise affinity.  The safe ``M`` (larger
than the affinity any alternating path can gain) guarantees that but slows cost scaling
down, so the solver first computes the minimal penalty by max-flow
(:func:`max_coverage`), solves with a moderate ``M`` and accepts the flow if it reaches
that penalty (then it is lexicographically optimal: any assignment with the same penalty
is priced with the same ``M``), else retries with larger ones up to the safe value.

The flow problem is solved exactly in integers by OR-Tools' cost-scaling push-relabel
(``SimpleMinCostFlow``).  Optimality is then *certified* independently: node potentials
are computed by Bellman-Ford on the residual graph (vectorised NumPy); convergence
proves there is no negative cycle, i.e. the integer flow is optimal, and the potentials
give a Lagrangian dual bound that is valid for *any* potentials (weak duality).  The
bound is evaluated with the unrounded float costs, so it bounds the true float optimum.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from .problem import PreparedProblem

PAIR, TO_SUB, FREE_SLACK, REG_SLACK, EXPERT, LOAD_SLACK = range(6)

_INT_LIMIT = 2**62


@dataclass(eq=False)
class FlowNetwork:
    n_nodes: int
    tail: np.ndarray  # int32
    head: np.ndarray  # int32
    cap: np.ndarray  # int64
    cost: np.ndarray  # int64 (scaled)
    kind: np.ndarray  # int8
    supply: np.ndarray  # int64 per node
    n_pairs: int  # pair arcs are arcs [0, n_pairs)
    pair_rows: np.ndarray
    pair_cols: np.ndarray
    pair_aff: np.ndarray
    scale: float  # integer cost = round(scale * affinity)
    big_m: int  # integer penalty per empty seat / min-load unit
    big_m_float: float
    stats: dict = field(default_factory=dict)


def build_network(
    pp: PreparedProblem,
    pair_mask: np.ndarray | None = None,
    objective: str = "affinity",
    resolution: float = 1e7,
    penalty_factor: int | None = None,
) -> FlowNetwork:
    """Build the flow network for the free pairs of ``pp``.

    ``pair_mask`` restricts the free pairs (fairness thresholds).  ``objective``:
    ``"affinity"`` (penalty M per empty seat, minus scaled affinity per pair) or
    ``"coverage"`` (pairs cost 0, slack cost 1: minimises only the penalty).
    ``resolution`` is the integer value given to the largest |affinity|.
    ``penalty_factor``: integer penalty per empty seat = ``penalty_factor`` x the largest
    integer pair cost; ``None`` = the safe value (longer than any alternating path), which
    provably makes the optimum lexicographic.  A smaller penalty makes cost scaling much
    faster; the caller must then check that the penalty reached is the minimal one
    (:func:`max_coverage`), which makes the result lexicographically optimal too.
    """
    t0 = time.perf_counter()
    P, E = pp.n_proposals, pp.n_experts
    rows, cols, aff = pp.free_rows, pp.free_cols, pp.free_aff
    if pair_mask is not None:
        rows, cols, aff = rows[pair_mask], cols[pair_mask], aff[pair_mask]
    need = pp.need_res
    m = pp.minima_res
    free_seats = need - m.sum(axis=1)
    sink = P + E

    has_sub = m > 0
    sub_p, sub_r = np.nonzero(has_sub)
    n_sub = sub_p.size
    sub_id = np.full(m.shape, -1, dtype=np.int64)
    sub_id[sub_p, sub_r] = sink + 1 + np.arange(n_sub)
    n_nodes = sink + 1 + n_sub

    # pair arcs: from the region sub-node if the expert's region has a minimum there
    if n_sub and rows.size:
        sid = sub_id[rows, pp.region_codes[cols]]
        pair_tail = np.where(sid >= 0, sid, rows)
        del sid
    else:
        pair_tail = rows

    n_pairs = rows.size
    amax = float(np.abs(aff).max()) if n_pairs else 1.0
    amax = amax if amax > 0 else 1.0
    # penalty must dominate the affinity change along any simple alternating path
    path_len = 2 * min(P + n_sub, E) + 2
    if objective == "affinity":
        scale = resolution / amax
        # keep |cost| * (n_nodes + 1) well inside int64 (OR-Tools scales costs by n)
        while True:
            c_max = int(np.ceil(amax * scale)) + 1
            big_m = c_max * path_len + 1
            if penalty_factor is not None:
                big_m = min(big_m, c_max * int(penalty_factor) + 1)
            if big_m * (n_nodes + 1) * 4 < _INT_LIMIT or scale < 1e-300:
                break
            scale /= 2.0
        pair_cost = aff * -scale
        np.rint(pair_cost, out=pair_cost)
        big_m_f = big_m / scale
    elif objective == "coverage":
        scale, big_m, big_m_f = 1.0, 1, 1.0
        pair_cost = 0
    else:
        raise ValueError(objective)

    props = np.arange(P, dtype=np.int64)
    exps = np.arange(E, dtype=np.int64)
    minl = np.minimum(pp.min_load_res, pp.cap_res)
    parts = [
        # tail, head, cap, cost, kind (pair arcs first, written straight into the arrays below)
        (sub_p, sub_id[sub_p, sub_r], free_seats[sub_p], 0, TO_SUB),
        (props, sink, free_seats, big_m, FREE_SLACK),
        (sub_id[sub_p, sub_r], sink, m[sub_p, sub_r], big_m, REG_SLACK),
        (P + exps, sink, pp.cap_res - minl, 0, EXPERT),
    ]
    if minl.any():
        le = np.flatnonzero(minl)
        parts.append((np.full(le.size, sink), P + le, minl[le], big_m, LOAD_SLACK))
    n_arcs = n_pairs + sum(len(p[0]) for p in parts)
    tail = np.empty(n_arcs, np.int32)
    head = np.empty(n_arcs, np.int32)
    cap = np.empty(n_arcs, np.int64)
    cost = np.empty(n_arcs, np.int64)
    kind = np.empty(n_arcs, np.int8)
    tail[:n_pairs] = pair_tail
    np.add(cols, P, out=head[:n_pairs], casting="unsafe")
    cap[:n_pairs] = 1
    cost[:n_pairs] = pair_cost
    kind[:n_pairs] = PAIR
    del pair_tail, pair_cost
    at = n_pairs
    for t_, h_, c_, w_, k_ in parts:
        n = len(t_)
        tail[at : at + n] = t_
        head[at : at + n] = h_
        cap[at : at + n] = c_
        cost[at : at + n] = w_
        kind[at : at + n] = k_
        at += n
    supply = np.zeros(n_nodes, np.int64)
    supply[:P] = free_seats
    supply[sink + 1 :] = m[sub_p, sub_r]
    supply[P : P + E] = -minl
    supply[sink] = -need.sum() + minl.sum()

    return FlowNetwork(
        n_nodes=n_nodes,
        tail=tail,
        head=head,
        cap=cap,
        cost=cost,
        kind=kind,
        supply=supply,
        n_pairs=n_pairs,
        pair_rows=rows,
        pair_cols=cols,
        pair_aff=aff,
        scale=scale,
        big_m=big_m,
        big_m_float=big_m_f,
        stats={"build_s": time.perf_counter() - t0, "n_nodes": n_nodes, "n_arcs": int(tail.size)},
    )


@dataclass(eq=False)
class FlowSolution:
    flow: np.ndarray  # int64 per arc
    cost: int  # integer optimum
    cost_float: float  # same flow priced with float costs
    penalty: int  # empty seats + min-load shortfall (units of slack flow)
    solve_s: float


def solve_network(net: FlowNetwork) -> FlowSolution:
    t0 = time.perf_counter()
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(net.tail, net.head, net.cap, net.cost)
    smcf.set_nodes_supplies(np.arange(net.n_nodes, dtype=np.int32), net.supply)
    status = smcf.solve()
    if status != smcf.OPTIMAL:  # pragma: no cover - slack arcs keep every network feasible
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flow = np.asarray(smcf.flows(np.arange(net.tail.size, dtype=np.int32)), dtype=np.int64)
    cost = int(smcf.optimal_cost())
    del smcf  # OR-Tools' copy of the network: free it before anything else is allocated
    if cost != int(flow @ net.cost):
        raise RuntimeError("inconsistent min-cost flow result")
    penalty = int(flow[net.kind >= FREE_SLACK][net.cost[net.kind >= FREE_SLACK] != 0].sum())
    return FlowSolution(
        flow=flow,
        cost=cost,
        cost_float=float(
            -(flow[: net.n_pairs] @ net.pair_aff)
            + (flow[net.n_pairs :] @ net.cost[net.n_pairs :]) / net.scale
        ),
        penalty=penalty,
        solve_s=time.perf_counter() - t0,
    )


@dataclass(eq=False)
class DualCertificate:
    converged: bool  # Bellman-Ford converged => no negative residual cycle => optimal
    rounds: int
    bound_int: int  # Lagrangian lower bound on the integer flow cost
    bound_float: float  # lower bound on the float-cost flow LP (valid for any potentials)
    seconds: float
    min_reduced_cost: int = 0  # over residual arcs: >= 0 is the optimality condition


def _float_costs(net: FlowNetwork, arcs: np.ndarray) -> np.ndarray:
    """Unrounded costs of the given arcs: ``-affinity`` for pair arcs, ``cost / scale`` else."""
    out = net.cost[arcs] / net.scale
    is_pair = arcs < net.n_pairs
    out[is_pair] = -net.pair_aff[arcs[is_pair]]
    return out


def dual_certificate(
    net: FlowNetwork, sol: FlowSolution, max_rounds: int | None = None
) -> DualCertificate:
    """Potentials by Bellman-Ford on the residual graph, then the dual bound.

    Starting from distance 0 at every node (a virtual source), each round relaxes the residual
    arcs of the nodes whose distance changed in the previous round, all at once
    (``np.minimum.at``: a gather, an add and an unbuffered scatter-min, O(arcs), no sort).
    With ``pi = -dist`` every residual arc must then have a non-negative reduced cost -- the
    optimality condition -- which is checked in one vectorised pass over all arcs
    (``min_reduced_cost``).

    The bounds use weak duality, valid for *any* potentials:
    ``LB = sum(supply * pi) + sum(cap * min(reduced cost, 0))``.  Only arcs with a reduced
    cost <= 0 can contribute; in the float costs (unrounded affinities) an arc whose integer
    reduced cost is >= 1 stays positive (rounding moves it by at most 0.5 / scale), so the
    float bound is evaluated on the arcs with integer reduced cost <= 0 only.
    """
    t0 = time.perf_counter()
    if max_rounds is None:  # Bellman-Ford converges within n rounds unless a negative cycle
        max_rounds = net.n_nodes + 1
    flow, cap = sol.flow, net.cap
    fw = flow < cap
    bw = np.flatnonzero(flow > 0)
    t = np.concatenate([net.tail[fw], net.head[bw]])
    h = np.concatenate([net.head[fw], net.tail[bw]])
    c = np.concatenate([net.cost[fw], -net.cost[bw]])
    del fw
    dist = np.zeros(net.n_nodes, np.int64)
    active = None  # every node, in the first round
    rounds = 0
    converged = False
    while rounds < max_rounds:
        rounds += 1
        if active is None:
            new = dist.copy()
            np.minimum.at(new, h, dist[t] + c)
        else:
            sel = np.flatnonzero(active[t])
            if sel.size == 0:
                converged = True
                break
            ts = t[sel]
            new = dist.copy()
            np.minimum.at(new, h[sel], dist[ts] + c[sel])
            del sel, ts
        active = new < dist
        dist = new
        if not active.any():
            converged = True
            break
    del t, h, c
    pi = -dist
    # one pass over every arc: reduced costs, optimality condition, integer bound
    reduced = net.cost - pi[net.tail]
    reduced += pi[net.head]
    residual_fw_bad = (flow < cap) & (reduced < 0)
    residual_bw_bad = (flow > 0) & (reduced > 0)
    min_rc = 0
    if residual_fw_bad.any() or residual_bw_bad.any():
        min_rc = int(
            min(reduced[residual_fw_bad].min(initial=0), (-reduced[residual_bw_bad]).min(initial=0))
        )
    del residual_fw_bad, residual_bw_bad
    tight = np.flatnonzero(reduced <= 0)
    bound_int = int((net.supply * pi).sum() + (cap[tight] * reduced[tight]).sum())
    del reduced
    pif = pi.astype(np.float64) / net.scale
    red_f = _float_costs(net, tight) - pif[net.tail[tight]] + pif[net.head[tight]]
    bound_float = float((net.supply * pif).sum() + (cap[tight] * np.minimum(red_f, 0)).sum())
    return DualCertificate(
        converged and min_rc >= 0, rounds, bound_int, bound_float, time.perf_counter() - t0, min_rc
    )


def assigned_pairs(net: FlowNetwork, sol: FlowSolution) -> np.ndarray:
    """Boolean mask over the network's pair arrays: pairs carrying flow."""
    return sol.flow[: net.n_pairs] > 0


def max_coverage(pp: PreparedProblem, pair_mask: np.ndarray | None = None) -> int:
    """Minimal penalty (empty seats + min-load shortfall) using only ``pair_mask`` pairs.

    Pure max-flow (OR-Tools push-relabel): a super-source feeds every proposal and
    region node with its seats, the slack arcs are dropped, and each expert arc
    ``e -> T`` gets capacity ``max_load`` (``F_all`` = most seats that can be filled)
    or, in a second max-flow, ``min_load`` (``F_min`` = most reviews that can count
    towards minimum loads).  Both maxima are reached by one flow (augmenting paths
    never reduce the flow on arcs into the sink, so continuing the second max-flow
    with the full capacities keeps ``F_min`` and reaches ``F_all``), hence
    ``penalty = seats - F_all + sum(min_load) - F_min``.
    """
    net = build_network(pp, pair_mask=pair_mask, objective="coverage")
    keep = (net.kind == PAIR) | (net.kind == TO_SUB)
    src = net.n_nodes
    sink = pp.n_proposals + pp.n_experts
    exps = np.arange(pp.n_experts, dtype=np.int64)
    has_seats = net.supply > 0
    has_seats[pp.n_proposals : sink + 1] = False  # experts and sink (its supply may be > 0)
    pos = np.flatnonzero(has_seats)  # proposal and region nodes with seats
    seats = int(net.supply[pos].sum())
    minl = np.minimum(pp.min_load_res, pp.cap_res)

    def flow_value(expert_cap: np.ndarray) -> int:
        tails = np.concatenate([net.tail[keep], np.full(pos.size, src), pp.n_proposals + exps])
        heads = np.concatenate([net.head[keep], pos, np.full(exps.size, sink)])
        caps = np.concatenate([net.cap[keep], net.supply[pos], expert_cap])
        smf = max_flow.SimpleMaxFlow()
        smf.add_arcs_with_capacity(
            tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64)
        )
        status = smf.solve(src, sink)
        if status != smf.OPTIMAL:  # pragma: no cover
            raise RuntimeError(f"max flow failed with status {status}")
        return int(smf.optimal_flow())

    penalty = seats - flow_value(pp.cap_res)
    if minl.any():
        penalty += int(minl.sum()) - flow_value(minl)
    return penalty
