"""The engine against a bare vectorised OR-Tools min-cost flow on the same dense instance.

    .venv/bin/python bench/assignment.py vs-bare                 # 2,000 x 3,000, every pair a candidate
    .venv/bin/python bench/assignment.py vs-bare --repeats 3 --proposals 500 --experts 800

Instance (the issue's): every proposal x expert pair is a candidate (affinity = rescaled cosine of
random topic embeddings), 3 % of the pairs are conflicts, 3 reviews per proposal, load <= 6.

*Bare solve*: what a careful user would write by hand -- the candidate pairs minus the conflicts as
one NumPy arc array, source -> proposal (cap 3), proposal -> expert (cap 1, cost -round(scale * a)),
expert -> sink (cap 6), one ``SimpleMinCostFlow`` call, flows read back. No validation, no
coverage check, no certificate.

*Engine*: ``solve(AssignmentProblem(...), "optimal")`` from the sparse matrix and the conflict
mask, with its validation, minimal-penalty check and optimality certificate, then
``check_assignment`` is run *outside* the timed part (it must report no violation).

Each measurement runs in a forked child of the process that built the instance (same inherited
memory for both), so peak RSS (ru_maxrss of the child) compares like with like; the two are run
alternately ``--repeats`` times and the medians and ratios are printed.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import time

import numpy as np
import scipy.sparse as sp
from ortools.graph.python import min_cost_flow

from matching.assignment import AssignmentProblem, check_assignment, solve


def dense_instance(P: int, E: int, seed: int = 0, conflict_rate: float = 0.03, dim: int = 32):
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((40, dim)).astype(np.float32)

    def embed(n):
        x = topics[rng.integers(0, 40, n)] + 0.8 * rng.standard_normal((n, dim)).astype(np.float32)
        return x / np.linalg.norm(x, axis=1, keepdims=True)

    aff = ((embed(P) @ embed(E).T + 1.0) / 2.0).astype(np.float64)
    A = sp.csr_matrix(aff)  # every pair stored (dense candidate set)
    del aff
    conflict = rng.random(A.nnz) < conflict_rate
    rows = np.repeat(np.arange(P), np.diff(A.indptr))[conflict]
    conflicts = sp.csr_matrix((np.ones(rows.size, bool), (rows, A.indices[conflict])), shape=(P, E))
    return A, conflicts


def bare_solve(A: sp.csr_matrix, conflicts: sp.csr_matrix, need: int, cap: int) -> dict:
    """The reference: a hand-written vectorised min-cost flow, nothing else."""
    t0 = time.perf_counter()
    P, E = A.shape
    rows = np.repeat(np.arange(P, dtype=np.int64), np.diff(A.indptr))
    cols = A.indices.astype(np.int64)
    keys = rows * E + cols
    ckeys = np.sort(
        np.repeat(np.arange(P, dtype=np.int64), np.diff(conflicts.indptr)) * E + conflicts.indices
    )
    pos = np.minimum(np.searchsorted(ckeys, keys), max(ckeys.size - 1, 0))
    ok = ckeys[pos] != keys if ckeys.size else np.ones(keys.size, bool)
    rows, cols, aff = rows[ok], cols[ok], A.data[ok]
    scale = 1e7 / max(float(aff.max()), 1e-12)
    src, sink = P + E, P + E + 1
    tail = np.concatenate([np.full(P, src), rows, P + np.arange(E)]).astype(np.int32)
    head = np.concatenate([np.arange(P), P + cols, np.full(E, sink)]).astype(np.int32)
    capa = np.concatenate([np.full(P, need), np.ones(rows.size, np.int64), np.full(E, cap)])
    cost = np.concatenate(
        [np.zeros(P, np.int64), -np.rint(aff * scale).astype(np.int64), np.zeros(E, np.int64)]
    )
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tail, head, capa.astype(np.int64), cost)
    supply = np.zeros(P + E + 2, np.int64)
    supply[src], supply[sink] = P * need, -P * need
    smcf.set_nodes_supplies(np.arange(P + E + 2, dtype=np.int32), supply)
    status = smcf.solve()
    assert status == smcf.OPTIMAL, status
    flow = smcf.flows(np.arange(P, P + rows.size, dtype=np.int32))
    chosen = flow > 0
    objective = float(aff[chosen].sum())
    return {"wall": time.perf_counter() - t0, "objective": objective, "pairs": int(chosen.sum())}


def engine_solve(A, conflicts, need: int, cap: int) -> dict:
    t0 = time.perf_counter()
    problem = AssignmentProblem(A, reviews_needed=need, max_load=cap, conflicts=conflicts)
    res = solve(problem, "optimal")
    wall = time.perf_counter() - t0
    violations = check_assignment(problem, res)
    keep = ("prepare_s", "coverage_s", "build_s", "solve_s", "certificate_s", "result_s")
    return {
        "wall": wall,
        "objective": res.objective,
        "pairs": res.n_pairs,
        "bound": res.bound,
        "certified": bool(res.stats.get("certified_optimal")),
        "violations": len(violations),
        "stages": {k: res.stats[k] for k in keep if k in res.stats},
    }


_SHARED: dict = {}


def _child(which: str, conn) -> None:
    A, conflicts, need, cap = _SHARED["instance"]
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu0 = time.process_time()
    out = (bare_solve if which == "bare" else engine_solve)(A, conflicts, need, cap)
    out["cpu"] = time.process_time() - cpu0
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["start_mb"] = base / 1024
    conn.send(out)
    conn.close()


def measure(which: str) -> dict:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(which, child))
    proc.start()
    out = parent.recv()
    proc.join()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--proposals", type=int, default=2000)
    ap.add_argument("--experts", type=int, default=3000)
    ap.add_argument("--reviews", type=int, default=3)
    ap.add_argument("--max-load", type=int, default=6)
    ap.add_argument("--conflicts", type=float, default=0.03)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    A, conflicts = dense_instance(args.proposals, args.experts, args.seed, args.conflicts)
    _SHARED["instance"] = (A, conflicts, args.reviews, args.max_load)
    print(
        f"instance: {args.proposals} x {args.experts}, {A.nnz:,} candidate pairs, "
        f"{conflicts.nnz:,} conflicts, {args.reviews} reviews, load <= {args.max_load}; "
        f"built in {time.perf_counter() - t:.1f}s; parent RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    runs: dict[str, list[dict]] = {"bare": [], "engine": []}
    for r in range(args.repeats):
        for which in ("bare", "engine") if r % 2 == 0 else ("engine", "bare"):
            out = measure(which)
            runs[which].append(out)
            extra = ""
            if which == "engine":
                extra = (
                    f" certified {out['certified']}, violations {out['violations']}, stages "
                    + ", ".join(f"{k[:-2]} {v:.2f}" for k, v in out["stages"].items())
                )
            print(
                f"  run {r + 1} {which:6s}: {out['wall']:.2f}s wall, {out['cpu']:.2f}s CPU, peak "
                f"{out['peak_mb']:.0f} MB (start {out['start_mb']:.0f}), objective "
                f"{out['objective']:.4f}{extra}",
                flush=True,
            )
    med = {
        w: {
            k: statistics.median(o[k] for o in runs[w])
            for k in ("wall", "cpu", "peak_mb", "start_mb")
        }
        for w in runs
    }
    ratio_wall = [e["wall"] / b["wall"] for b, e in zip(runs["bare"], runs["engine"], strict=True)]
    b, e = med["bare"], med["engine"]
    same = all(
        abs(x["objective"] - runs["bare"][0]["objective"]) < 1e-6 * A.nnz
        for x in runs["bare"] + runs["engine"]
    )
    print()
    print(
        "| | bare OR-Tools min-cost flow | engine (validation + coverage + solve + certificate) | ratio |"
    )
    print("|---|---|---|---|")
    print(
        f"| wall s (median of {args.repeats}) | {b['wall']:.2f} | {e['wall']:.2f} | "
        f"**{e['wall'] / b['wall']:.2f}x** (per pair of runs: "
        + ", ".join(f"{x:.2f}" for x in ratio_wall)
        + ") |"
    )
    print(f"| CPU s | {b['cpu']:.2f} | {e['cpu']:.2f} | {e['cpu'] / b['cpu']:.2f}x |")
    print(
        f"| peak RSS MB (child process) | {b['peak_mb']:.0f} | {e['peak_mb']:.0f} | "
        f"**{e['peak_mb'] / b['peak_mb']:.2f}x** |"
    )
    print(
        f"| peak RSS above the inherited instance, MB | {b['peak_mb'] - b['start_mb']:.0f} | "
        f"{e['peak_mb'] - e['start_mb']:.0f} | "
        f"{(e['peak_mb'] - e['start_mb']) / max(b['peak_mb'] - b['start_mb'], 1):.2f}x |"
    )
    print(
        f"\nsame optimal objective in every run: {same} "
        f"({runs['engine'][0]['objective']:.4f}); engine certified optimal: "
        f"{all(x['certified'] for x in runs['engine'])}; check_assignment violations: "
        f"{sum(x['violations'] for x in runs['engine'])}"
    )
    return 0
