"""Benchmark the reviewer-assignment solver on a synthetic national-scale round.

    .venv/bin/python bench/assignment.py            # 10,000 proposals x 20,000 experts
    .venv/bin/python bench/assignment.py --small    # 1,000 x 2,000 quick run
    .venv/bin/python bench/assignment.py vs-bare    # engine / bare OR-Tools solve ratio, same run

Synthetic data (fully vectorised): topic embeddings with a Zipf-skewed topic
popularity among proposals (so hot-topic experts are contested), affinity =
rescaled cosine similarity, each proposal keeps its top-k experts (k varies in
[k_min, k_max]); a few percent of the candidate pairs are flagged as conflicts in a
separate mask; half the experts are Hong Kong, half Mainland; every proposal needs
3 reviews with at least 1 HK and 1 Mainland reviewer; expert load <= 6.  A small
share of proposals gets only a couple of candidates (all from one region), to
exercise the "unassignable" reasons.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching.assignment import AssignmentProblem, check_assignment, solve  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def make_problem(
    P: int,
    E: int,
    k_min: int,
    k_max: int,
    seed: int = 0,
    n_topics: int = 200,
    dim: int = 48,
    skew: float = 0.6,
    min_load: int = 0,
):
    rng = np.random.default_rng(seed)
    centroids = rng.standard_normal((n_topics, dim)).astype(np.float32)
    zipf = 1.0 / np.arange(1, n_topics + 1) ** skew
    zipf /= zipf.sum()

    def embed(n, topic_p):
        t1 = rng.choice(n_topics, n, p=topic_p)
        t2 = rng.choice(n_topics, n, p=topic_p)
        x = (
            centroids[t1]
            + 0.5 * centroids[t2]
            + 0.6 * rng.standard_normal((n, dim)).astype(np.float32)
        )
        return x / np.linalg.norm(x, axis=1, keepdims=True)

    props = embed(P, zipf)  # skewed demand
    experts = embed(E, np.full(n_topics, 1.0 / n_topics))  # uniform supply
    k = rng.integers(k_min, k_max + 1, P)
    kmax = int(k.max())
    idx = np.empty((P, kmax), np.int64)
    val = np.empty((P, kmax), np.float32)
    chunk = 250  # keeps the similarity block (250 x E float32) small
    for s in range(0, P, chunk):  # chunked top-k, vectorised inside
        sim = props[s : s + chunk] @ experts.T
        part = np.argpartition(-sim, kmax, axis=1)[:, :kmax]
        idx[s : s + chunk] = part
        val[s : s + chunk] = np.take_along_axis(sim, part, axis=1)
    keep = (
        np.arange(kmax)[None, :] < k[:, None]
    )  # (values inside a row are unordered; k < kmax drops random ones)
    order = np.argsort(-val, axis=1)  # so keep the best k
    idx = np.take_along_axis(idx, order, axis=1)
    val = np.take_along_axis(val, order, axis=1)
    regions = np.where(rng.random(E) < 0.5, "HK", "ML")
    # a few "thin" proposals: only their 2 best candidates; a few others: Mainland-only
    thin = rng.random(P) < 0.002
    keep[thin, 2:] = False
    ml_only = (rng.random(P) < 0.002) & ~thin
    keep[ml_only] &= regions[idx[ml_only]] == "ML"
    rows = np.repeat(np.arange(P), keep.sum(axis=1))
    aff = np.clip((val[keep].astype(np.float64) + 1.0) / 2.0, 0.0, 1.0)
    A = sp.csr_matrix((aff, (rows, idx[keep])), shape=(P, E))
    # conflicts: 3% of candidate pairs plus as many random non-candidate pairs
    nnz = A.nnz
    c_sel = rng.random(nnz) < 0.03
    crow = np.r_[rows[c_sel], rng.integers(0, P, c_sel.sum())]
    ccol = np.r_[A.indices[c_sel], rng.integers(0, E, c_sel.sum())]
    conflicts = sp.csr_matrix((np.ones(crow.size, bool), (crow, ccol)), shape=(P, E))
    conflicts.sum_duplicates()
    problem = AssignmentProblem(
        affinity=A,
        reviews_needed=3,
        max_load=6,
        min_load=min_load or None,
        conflicts=conflicts,
        expert_regions=regions,
        region_minimums={"HK": 1, "ML": 1},
    )
    return problem, int(c_sel.sum()), int(thin.sum()), int(ml_only.sum())


def lp_relaxation_bound(problem: AssignmentProblem, weight: float, penalty: int) -> float:
    """Independent check: LP relaxation of the same model with HiGHS (scipy.optimize.linprog).

    maximise  sum a x - weight * (empty seats)  over  x in [0, 1], y (reserved-seat
    shortfall) >= 0 with  sum_e x_pe + sum_r y_pr <= need_p,  sum_{e in r} x_pe + y_pr >= min_pr,
    sum_p x_pe <= cap_e.  Returns the affinity upper bound at the given penalty.
    """
    from scipy.optimize import linprog

    pp = problem.prepared
    P, E = pp.n_proposals, pp.n_experts
    r, c, a = pp.free_rows, pp.free_cols, pp.free_aff
    n = r.size
    sub_p, sub_r = np.nonzero(pp.minima_res)
    ny = sub_p.size
    ones = np.ones(n)
    sub_of = -np.ones(pp.minima_res.shape, np.int64)
    sub_of[sub_p, sub_r] = np.arange(ny)
    k = sub_of[r, pp.region_codes[c]]
    A_need = sp.hstack(
        [
            sp.csr_matrix((ones, (r, np.arange(n))), (P, n)),
            sp.csr_matrix((np.ones(ny), (sub_p, np.arange(ny))), (P, ny)),
        ]
    )
    A_reg = sp.hstack(
        [sp.csr_matrix((-ones[k >= 0], (k[k >= 0], np.flatnonzero(k >= 0))), (ny, n)), -sp.eye(ny)]
    )
    A_cap = sp.hstack([sp.csr_matrix((ones, (c, np.arange(n))), (E, n)), sp.csr_matrix((E, ny))])
    A_ub = sp.vstack([A_need, A_reg, A_cap]).tocsc()
    b_ub = np.r_[pp.need_res, -pp.minima_res[sub_p, sub_r], pp.cap_res]
    cost = -np.r_[a + weight, np.zeros(ny)]
    bounds = np.c_[np.zeros(n + ny), np.r_[np.ones(n), pp.minima_res[sub_p, sub_r]]]
    res = linprog(cost, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(res.message)
    # LP value = max (aff + weight * seats filled) = max (aff - weight * penalty) + weight * seats
    lp_combined = -res.fun - weight * pp.need_res.sum()
    return lp_combined + weight * penalty + float(pp.fixed_aff.sum())


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["vs-bare"]:
        from bench.assignment_vs_bare import main as vs_bare

        return vs_bare(argv[1:])
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--small", action="store_true", help="1,000 proposals x 2,000 experts")
    ap.add_argument("--proposals", type=int, default=None)
    ap.add_argument("--experts", type=int, default=None)
    ap.add_argument("--k-min", type=int, default=50)
    ap.add_argument("--k-max", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skew", type=float, default=0.6, help="Zipf exponent of topic demand")
    ap.add_argument("--skip-fair", action="store_true")
    ap.add_argument("--min-load", type=int, default=0, help="optional minimum load per expert")
    ap.add_argument(
        "--lp-check", action="store_true", help="also solve the LP relaxation with HiGHS"
    )
    ap.add_argument(
        "--randomized",
        type=float,
        default=None,
        metavar="Q",
        help="also the randomized mode with per-pair probability cap Q (e.g. 0.5)",
    )
    ap.add_argument("--samples", type=int, default=5, help="randomized samples drawn")
    args = ap.parse_args(argv)
    P = args.proposals or (1000 if args.small else 10_000)
    E = args.experts or (2000 if args.small else 20_000)

    t = time.perf_counter()
    problem, n_conf, n_thin, n_ml = make_problem(
        P, E, args.k_min, args.k_max, args.seed, skew=args.skew, min_load=args.min_load
    )
    gen_s = time.perf_counter() - t
    print(
        f"instance: {P} proposals x {E} experts, {problem.affinity.nnz} candidate pairs "
        f"(k={args.k_min}..{args.k_max}), {n_conf} candidate pairs in conflict, {n_thin} thin + {n_ml} Mainland-only proposals; "
        f"generated in {gen_s:.1f}s, RSS {peak_rss_mb():.0f} MB"
    )

    t = time.perf_counter()
    _ = problem.prepared
    prep_s = time.perf_counter() - t
    rows: list[tuple] = []

    with Phase() as ph:
        opt = solve(problem, "optimal")
    st = opt.stats
    v = check_assignment(problem, opt)
    print("\n== optimal (OR-Tools SimpleMinCostFlow + Bellman-Ford dual certificate) ==")
    print(
        f"prepare (validate/normalise) {prep_s:.2f}s, minimal empty seats by max-flow "
        f"{st['coverage_s']:.2f}s, network build {st['build_s']:.2f}s "
        f"({st['n_nodes']} nodes, {st['n_arcs']} arcs), solve {st['solve_s']:.2f}s, "
        f"({st['flow_attempts']} attempt(s)), certificate {st['certificate_s']:.2f}s "
        f"({st['bellman_ford_rounds']} Bellman-Ford rounds); "
        f"total {ph.wall:.2f}s wall, {ph.cpu:.2f}s CPU"
    )
    print(
        f"objective {opt.objective:.4f}  bound {opt.bound:.4f}  gap {opt.gap:.3e} (rel {opt.rel_gap:.2e})  "
        f"certified optimal (integer): {st['certified_optimal']}"
    )
    print(
        f"pairs {opt.n_pairs}, empty seats {int(opt.empty_seats.sum())}, unassignable {len(opt.unassignable)}, "
        f"worst-case pair {opt.worst_case:.4f}, {served(opt)}, violations {len(v)}"
    )
    kinds: dict[str, int] = {}
    for r in opt.unassignable.values():
        for part in r.split("; "):
            key = (
                part.split(":")[0]
                if part.startswith("expert loads")
                else " ".join(part.split()[:3])
            )
            kinds[key] = kinds.get(key, 0) + 1
    print(
        "  reasons: "
        + ", ".join(f"{k!r} x{n}" for k, n in sorted(kinds.items(), key=lambda x: -x[1]))
    )
    shown = set()
    for p, r in opt.unassignable.items():
        if r.split(":")[0] not in shown:
            shown.add(r.split(":")[0])
            print(f"  e.g. proposal {p}: {r}")
    if args.min_load:
        print(
            f"minimum load {args.min_load}: {len(opt.underloaded)} experts below it, total "
            f"shortfall {int(opt.min_load_shortfall.sum())}; e.g. "
            + "; ".join(f"expert {e}: {r}" for e, r in list(opt.underloaded.items())[:2])
        )
    print(f"peak RSS after optimal: {peak_rss_mb():.0f} MB")
    rows.append(("optimal", ph, opt, len(v)))

    with Phase() as ph:
        gr = solve(problem, "greedy")
    vg = check_assignment(problem, gr)
    print("\n== greedy baseline (proposals in order, best available experts) ==")
    print(
        f"time {ph.wall:.2f}s  objective {gr.objective:.4f} ({100 * gr.objective / opt.objective:.2f}% of optimal)  "
        + (
            f"min-load shortfall {int(gr.min_load_shortfall.sum())} (optimal: {int(opt.min_load_shortfall.sum())})  "
            if args.min_load
            else ""
        )
        + f"empty seats {int(gr.empty_seats.sum())} (optimal: {int(opt.empty_seats.sum())})  "
        f"worst-case pair {gr.worst_case:.4f}  {served(gr)}  violations {len(vg)}"
    )
    rows.append(("greedy", ph, gr, len(vg)))

    if not args.skip_fair:
        with Phase() as ph:
            fair = solve(problem, "fair")
        fs = fair.stats
        vf = check_assignment(problem, fair)
        print("\n== fair (max-min worst pair at minimal empty seats, then max total) ==")
        print(
            f"time {ph.wall:.2f}s wall, {ph.cpu:.2f}s CPU ({fs['probes']} feasibility probes, "
            f"search {fs['search_s']:.2f}s)  worst-case {fair.worst_case:.4f} (optimal mode: {opt.worst_case:.4f})  "
            f"total {fair.objective:.4f} (bound {fair.bound:.4f}, gap {fair.gap:.2e}; "
            f"{100 * fair.objective / opt.objective:.3f}% of the unconstrained optimum)  "
            f"empty seats {int(fair.empty_seats.sum())}  {served(fair)}  violations {len(vf)}"
        )
        rows.append(("fair", ph, fair, len(vf)))

    if args.randomized is not None:
        from matching.assignment import solve_fractional

        with Phase() as ph:
            frac = solve_fractional(problem, args.randomized)
        x = frac.marginals
        print(
            f"\n== randomized (q = {args.randomized}: no pair assigned with probability above q) =="
        )
        print(
            f"capped LP {ph.wall:.2f}s wall, {ph.cpu:.2f}s CPU: expected total affinity "
            f"{frac.expected_objective:.4f} = **{100 * frac.expected_objective / opt.objective:.2f} % "
            f"of the deterministic optimum** {opt.objective:.4f}; expected empty seats + shortfall "
            f"{frac.expected_penalty:.1f} (optimal: {opt.penalty}); largest pair probability "
            f"{x.data.max():.3f}; {int(((x.data > 0) & (x.data < 1)).sum())} pairs with 0 < p < 1"
        )
        rng = np.random.default_rng(args.seed)
        objs, nviol, secs = [], 0, []
        for _ in range(args.samples):
            with Phase() as ph:
                smp = frac.sample(rng)
            secs.append(ph.wall)
            objs.append(smp.objective)
            nviol += len(check_assignment(problem, smp))
        print(
            f"{args.samples} samples: {np.mean(secs):.2f}s wall each; realised total affinity "
            f"{np.mean(objs):.4f} mean ({100 * np.mean(objs) / opt.objective:.2f} % of optimal, "
            f"min {min(objs):.4f}, max {max(objs):.4f}); check_assignment violations {nviol}"
        )

    if args.lp_check and args.min_load:
        print("\n--lp-check ignored: the LP relaxation here does not model minimum loads")
    elif args.lp_check:
        with Phase() as ph:
            lp_bound = lp_relaxation_bound(problem, st["penalty_weight"], opt.penalty)
        print(
            f"\nindependent HiGHS LP relaxation (scipy linprog): bound {lp_bound:.4f} in {ph.wall:.1f}s "
            f"(flow objective {opt.objective:.4f}, dual-certificate bound {opt.bound:.4f})"
        )

    print(
        "\n| mode | wall s | CPU s | peak RSS MB | objective | bound | gap | empty seats | unassignable | worst pair | violations |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, ph_, res, nv in rows:
        bound = f"{res.bound:.4f}" if res.bound is not None else "-"
        gap = (
            f"{res.gap:.2e}"
            if res.gap is not None
            else f"{opt.bound - res.objective:.2f} vs optimal bound"
        )
        print(
            f"| {name} | {ph_.wall:.2f} | {ph_.cpu:.2f} | {ph_.rss:.0f} | {res.objective:.4f} | {bound} | {gap} "
            f"| {int(res.empty_seats.sum())} | {len(res.unassignable)} | {res.worst_case:.4f} | {nv} |"
        )
    print(f"\npeak RSS (ru_maxrss): {peak_rss_mb():.0f} MB")
    return 0


class Phase:
    """Wall time, process CPU time and peak RSS (ru_maxrss, monotone) of a block."""

    def __enter__(self):
        self._t = time.perf_counter()
        self._c = time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._t
        self.cpu = time.process_time() - self._c
        self.rss = peak_rss_mb()
        return False


def served(res) -> str:
    """Worst-served proposal by total affinity, among fully covered proposals."""
    full = res.empty_seats == 0
    if not full.any():
        return "no fully covered proposal"
    tot = res.proposal_total[full]
    return f"lowest proposal total {tot.min():.4f} (10th pct {np.percentile(tot, 10):.4f})"


if __name__ == "__main__":
    raise SystemExit(main())
