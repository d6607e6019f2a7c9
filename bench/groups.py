"""Similar-proposal groups at national scale, and the assignment with shared reviewer sets.

    .venv/bin/python bench/groups.py                       # 10,000 proposals (default)
    .venv/bin/python bench/groups.py --proposals 2000 --assign 2000 --experts 1500

Part 1 (group detection, ``matching.assignment.groups``): synthetic proposal texts -- each one a
mixture of a few topics over a 6,000-word vocabulary, 3 % of them rewritten from another proposal
(a near-duplicate: the same topic words in another order with a few words changed) -- are turned
into TF-IDF vectors with the engine's tokenizer, and every pair at or above the threshold is found
by the blockwise sparse product. Printed: seconds per step, the process's peak RSS, pairs found, groups, and how many planted near-duplicates were
recovered. (Not under tracemalloc: it slows the tokenizer tenfold; peak RSS is printed instead.)

Part 2 (``--assign N``): the first N proposals against E experts whose profiles are blends of two
random proposals' texts (affinity: the cosine, 40 best candidates per proposal), the groups found among them, then ``solve_grouped``: the stage-1 MILP
size and time, the stage-2 flow, the share of groups fully shared, and ``check_assignment``.
Timings are printed, never asserted (the machine is shared).
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

from matching.assignment import (  # noqa: E402
    AssignmentProblem,
    check_assignment,
    proposal_vectors,
    similar_groups,
    solve,
    solve_grouped,
)


def make_texts(n: int, rng: np.random.Generator, dup_share: float = 0.03):
    vocab = [f"w{i:04d}x" for i in range(6000)]  # letters around digits: one token each
    n_topics = 120
    topics = [rng.choice(len(vocab), 60, replace=False) for _ in range(n_topics)]
    texts, planted = [], []
    for i in range(n):
        if i > 10 and rng.random() < dup_share:
            j = int(rng.integers(0, i))
            words = texts[j].split()
            rng.shuffle(words)
            k = max(1, len(words) // 10)
            for pos in rng.choice(len(words), k, replace=False):
                words[pos] = vocab[int(rng.integers(0, len(vocab)))]
            texts.append(" ".join(words))
            planted.append((j, i))
            continue
        mix = rng.choice(n_topics, 3, replace=False)
        words = [vocab[w] for t in mix for w in rng.choice(topics[t], 25)]
        words += [vocab[int(w)] for w in rng.integers(0, len(vocab), 40)]  # background words
        texts.append(" ".join(words))
    return texts, planted


def detection(n: int, threshold: float, seed: int):
    rng = np.random.default_rng(seed)
    texts, planted = make_texts(n, rng)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    X, terms = proposal_vectors(texts)
    t1 = time.perf_counter()
    groups = similar_groups(X, threshold, terms=terms)
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    together = {}
    for g, grp in enumerate(groups):
        for m in grp.members:
            together[m] = g
    found = sum(1 for a, b in planted if a in together and together.get(a) == together.get(b))
    sizes = np.bincount([len(g.members) for g in groups]) if groups else np.zeros(1, int)
    print(f"Group detection: {n:,} proposals, threshold {threshold}")
    print(f"  TF-IDF vectors      {t1 - t0:7.2f} s   ({X.shape[1]:,} terms, {X.nnz:,} non-zeros)")
    print(f"  pairs + groups      {t2 - t1:7.2f} s")
    print(f"  peak RSS            {peak / 1024:7.1f} MB   (before: {rss0 / 1024:.1f} MB)")
    n_pairs = sum(len(g.pairs) for g in groups)
    print(
        f"  groups              {len(groups):,} ({n_pairs:,} linking pairs); sizes {dict(enumerate(sizes.tolist()))}"
    )
    print(f"  planted near-duplicates grouped together: {found} of {len(planted)}")
    return X, groups


def assignment(X, groups, n: int, n_experts: int, seed: int):
    rng = np.random.default_rng(seed + 1)
    k = 40
    # Experts' profiles are texts of the same kind (random proposals, blended): similar proposals
    # then have similar candidates, as with real affinities.
    Xn = X[:n]
    picks = rng.integers(0, X.shape[0], (n_experts, 2))
    E = (X[picks[:, 0]] + X[picks[:, 1]]).tocsr()
    S = (Xn @ E.T).toarray() + 1e-3 * rng.random((n, n_experts))
    top = np.argpartition(-S, k, axis=1)[:, :k]
    rows = np.repeat(np.arange(n), k)
    cols = top.ravel()
    A = sp.csr_matrix((S[rows, cols], (rows, cols)), shape=(n, n_experts))
    regions = np.where(rng.random(n_experts) < 0.4, "OV", "HK")
    problem = AssignmentProblem(
        affinity=A,
        reviews_needed=3,
        max_load=6,
        expert_regions=regions,
        region_minimums={"OV": 1},
    )
    members = [[m for m in g.members if m < n] for g in groups]
    members = [m for m in members if len(m) >= 2]
    t0 = time.perf_counter()
    plain = solve(problem)
    t1 = time.perf_counter()
    result = solve_grouped(problem, members)
    t2 = time.perf_counter()
    v = check_assignment(problem, result, groups=members)
    status = [g["status"] for g in result.stats["groups"]]
    print(
        f"Assignment with shared reviewers: {n:,} proposals x {n_experts:,} experts, "
        f"{len(members)} groups, 1 overseas seat of 3"
    )
    print(
        f"  plain optimal flow  {t1 - t0:7.2f} s   objective {plain.objective:.2f}, empty seats {int(plain.empty_seats.sum())}"
    )
    print(
        f"  grouped (2 stages)  {t2 - t1:7.2f} s   objective {result.objective:.2f}, empty seats {int(result.empty_seats.sum())}"
    )
    print(
        f"  stage 1 MILP        {result.stats.get('stage1_s', 0):7.2f} s   {result.stats.get('stage1_variables', 0):,} binaries, {result.stats.get('stage1_status')}"
    )
    print(
        f"  groups full / partial / none: {status.count('full')} / {status.count('partial')} / {status.count('none')}"
    )
    print(
        f"  affinity given up for sharing: {plain.objective - result.objective:.3f} "
        f"({100 * (plain.objective - result.objective) / max(plain.objective, 1e-9):.2f} %)"
    )
    print(f"  check_assignment: {len(v)} violations")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proposals", type=int, default=10_000)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--assign", type=int, default=2000, help="0: skip the assignment part")
    ap.add_argument("--experts", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()
    X, groups = detection(args.proposals, args.threshold, args.seed)
    if args.assign:
        assignment(X, groups, min(args.assign, args.proposals), args.experts, args.seed)


if __name__ == "__main__":
    main()
