"""Similar proposals reviewed by the same reviewers (NSFC: "similar applications go to the same
reviewer group").

Two steps, both framework-free:

1. :func:`similar_groups` -- which proposals of a round are similar.  Proposals are TF-IDF vectors
   (:func:`proposal_vectors`, the engine's own tokenizer, so Chinese is segmented), L2-normalised; the
   cosine similarity of every pair is computed as a sparse product ``X X^T`` one block of rows at a
   time (never the dense ``P x P`` matrix), keeping only the pairs at or above the threshold.  Groups
   are formed from those pairs, the most similar first, with a union-find that never lets a group grow
   beyond ``max_size`` (single-linkage chains would otherwise merge a whole discipline).  Each group
   carries its explanation: the similarity of every linked pair and the terms the members share with
   the highest combined weight.

2. :func:`solve_grouped` -- the assignment with shared reviewer sets.  A shared reviewer of a group
   reviews *every* member, so it uses ``len(group)`` units of that expert's load: that is not a
   network-flow constraint any more (weighted load), so the step runs in two stages:

   * Stage 1 (exact, a small MILP solved by HiGHS): for each group choose the shared reviewers --
     experts that are candidates of every member, not conflicting, not forbidden, not already fixed
     on a member -- maximising ``sum(bonus + affinity)`` over the (member, shared expert) pairs,
     subject to the members' seats and region reservations (a member's reserved seats for region r
     and its shared reviewers from r together fit its seats: ``sum_r max(s_r, m_r) <= seats``) and to
     every expert's remaining load (``sum_G |G| y_Ge <= load``).
   * Stage 2 (exact, the usual min-cost flow with its certificate): the shared pairs become fixed
     pairs and every other seat is assigned optimally.

   Feasibility is never traded for sharing: the minimal penalty (empty seats + minimum-load
   shortfall) of the round without groups is computed first, and if the shared sets would leave more
   seats empty, the group of least value gives up its shared set, until the penalty is back to the
   minimum ("where loads allow").  The result is therefore optimal *given* the shared sets chosen,
   its ``bound`` certifies stage 2, and ``result.shared`` lists every group's shared reviewers;
   :func:`~matching.assignment.validate.check_assignment` checks that each listed reviewer reviews
   every member and that no group was left unshared although an expert with room could trivially
   have been shared.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from .problem import AssignmentProblem

DEFAULT_MAX_GROUP_SIZE = 6


# ----------------------------------------------------------------------------- detection
@dataclass
class SimilarGroup:
    """One group of similar proposals: ``members`` (row indices, sorted), the linking ``pairs``
    ``(i, j, similarity)``, and the ``terms`` the members share ``(term, weight)``, best first."""

    members: list[int]
    pairs: list[tuple[int, int, float]] = field(default_factory=list)
    terms: list[tuple[str, float]] = field(default_factory=list)

    @property
    def max_similarity(self) -> float:
        return max((s for _i, _j, s in self.pairs), default=0.0)

    @property
    def min_similarity(self) -> float:
        return min((s for _i, _j, s in self.pairs), default=0.0)

    def as_dict(self) -> dict:
        return {
            "members": list(self.members),
            "pairs": [[int(i), int(j), round(float(s), 4)] for i, j, s in self.pairs],
            "terms": [[t, round(float(w), 4)] for t, w in self.terms],
            "max_similarity": round(self.max_similarity, 4),
            "min_similarity": round(self.min_similarity, 4),
        }


def proposal_vectors(texts: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray]:
    """L2-normalised TF-IDF rows (sublinear tf) and the term of each column, with the engine's
    tokenizer (stems English, segments Chinese, drops stop words)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from matching.text.tokenize import tokenize

    vec = TfidfVectorizer(
        tokenizer=tokenize, lowercase=False, token_pattern=None, sublinear_tf=True, norm="l2"
    )
    texts = [t or "" for t in texts]
    if not any(t.strip() for t in texts):
        return sp.csr_matrix((len(texts), 0)), np.zeros(0, dtype=object)
    try:
        X = vec.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return sp.csr_matrix((len(texts), 0)), np.zeros(0, dtype=object)
    return sp.csr_matrix(X, dtype=np.float64), vec.get_feature_names_out()


def similar_pairs(
    X: sp.spmatrix | np.ndarray, threshold: float, *, block: int = 512
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(i, j, similarity)`` with ``i < j`` for every pair of rows whose cosine similarity is at
    least ``threshold`` (rows are expected L2-normalised).  Computed block by block of rows: memory
    is bounded by ``block x P`` stored products, not ``P x P``."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    X = sp.csr_matrix(X, dtype=np.float64)
    P = X.shape[0]
    XT = X.T.tocsc()
    out_i, out_j, out_s = [], [], []
    for lo in range(0, P, block):
        hi = min(P, lo + block)
        S = (X[lo:hi] @ XT).tocoo()
        i = S.row.astype(np.int64) + lo
        keep = (S.data >= threshold - 1e-12) & (S.col > i)
        out_i.append(i[keep])
        out_j.append(S.col[keep].astype(np.int64))
        out_s.append(np.minimum(S.data[keep], 1.0))
    if not out_i:
        z = np.zeros(0, np.int64)
        return z, z.copy(), np.zeros(0)
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)


def similar_groups(
    X: sp.spmatrix | np.ndarray,
    threshold: float,
    *,
    terms: Sequence[str] | None = None,
    max_size: int = DEFAULT_MAX_GROUP_SIZE,
    top_terms: int = 5,
    block: int = 512,
) -> list[SimilarGroup]:
    """Groups (two members or more) of rows linked by a similarity >= ``threshold``, most similar
    pairs joined first, no group larger than ``max_size``.  Groups are returned largest similarity
    first; ``terms`` (the column names of ``X``) gives each group its shared terms."""
    if max_size < 2:
        raise ValueError("max_size must be at least 2")
    X = sp.csr_matrix(X, dtype=np.float64)
    P = X.shape[0]
    i, j, s = similar_pairs(X, threshold, block=block)
    order = np.lexsort((j, i, -s))
    i, j, s = i[order], j[order], s[order]
    parent = np.arange(P)
    size = np.ones(P, np.int64)

    def find(a: int) -> int:
        root = a
        while parent[root] != root:
            root = parent[root]
        while parent[a] != root:
            parent[a], a = root, parent[a]
        return root

    linked = np.zeros(i.size, bool)
    for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        ra, rb = find(a), find(b)
        if ra == rb:
            linked[k] = True  # already together: the pair still explains the group
            continue
        if size[ra] + size[rb] > max_size:
            continue
        if size[ra] < size[rb]:
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] += size[rb]
        linked[k] = True
    roots = np.array([find(a) for a in range(P)], dtype=np.int64)
    counts = np.bincount(roots, minlength=P)
    groups: dict[int, SimilarGroup] = {}
    for a in np.flatnonzero(counts[roots] >= 2).tolist():
        groups.setdefault(int(roots[a]), SimilarGroup(members=[])).members.append(a)
    for k in np.flatnonzero(linked).tolist():
        groups[int(roots[i[k]])].pairs.append((int(i[k]), int(j[k]), float(s[k])))
    out = list(groups.values())
    if terms is not None and out and X.shape[1]:
        names = np.asarray(terms, dtype=object)
        for g in out:
            sub = X[g.members]
            present = np.asarray((sub > 0).sum(axis=0)).ravel()
            weight = np.asarray(sub.sum(axis=0)).ravel()
            # terms in at least two members, weighted by their total TF-IDF weight in the group
            score = np.where(present >= 2, weight * present / len(g.members), 0.0)
            best = np.argsort(-score, kind="stable")[:top_terms]
            g.terms = [(str(names[t]), float(score[t])) for t in best if score[t] > 0]
    out.sort(key=lambda g: (-g.max_similarity, g.members[0]))
    return out


# ----------------------------------------------------------------------------- assignment
def _group_candidates(pp, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Experts that are free candidates of every member (none fixed on a member), and the sum of
    the members' affinities with each."""
    sets = []
    for p in members.tolist():
        lo, hi = np.searchsorted(pp.free_rows, [p, p + 1])
        sets.append((pp.free_cols[lo:hi], pp.free_aff[lo:hi]))
    common = sets[0][0]
    for cols, _a in sets[1:]:
        common = np.intersect1d(common, cols, assume_unique=True)
    fixed_on_member = pp.fixed_cols[np.isin(pp.fixed_rows, members)]
    common = np.setdiff1d(common, fixed_on_member, assume_unique=False)
    total = np.zeros(common.size)
    for cols, aff in sets:
        total += aff[np.searchsorted(cols, common)] if common.size else 0.0
    return common, total


def choose_shared_sets(
    problem: AssignmentProblem,
    groups: Sequence[Sequence[int]],
    *,
    bonus: float | None = None,
    time_limit: float = 60.0,
) -> tuple[list[np.ndarray], dict]:
    """Stage 1: the shared reviewers of each group (see the module docstring), by MILP (HiGHS).
    ``bonus`` per (member, shared expert) pair; default ``1 + 2 * max |affinity|``, so sharing
    comes before affinity.  Returns one expert array per group and solver figures."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    t0 = time.perf_counter()
    pp = problem.prepared
    R = pp.n_regions
    if bonus is None:
        bonus = 1.0 + 2.0 * (float(np.abs(pp.free_aff).max()) if pp.free_aff.size else 0.0)
    var_g, var_e, gain = [], [], []
    members_of = []
    for g, members in enumerate(groups):
        m = np.unique(np.asarray(members, np.int64))
        members_of.append(m)
        if m.size < 2 or (pp.need_res[m] == 0).any():
            continue
        cols, total = _group_candidates(pp, m)
        cols_ok = pp.cap_res[cols] >= m.size
        var_g.append(np.full(int(cols_ok.sum()), g, np.int64))
        var_e.append(cols[cols_ok])
        gain.append(total[cols_ok] + bonus * m.size)
    if not var_g or not sum(v.size for v in var_g):
        return [np.zeros(0, np.int64) for _ in groups], {"stage1_s": time.perf_counter() - t0}
    vg, ve, vgain = np.concatenate(var_g), np.concatenate(var_e), np.concatenate(gain)
    n_y = vg.size
    # t variables: one per (group, member, region) -- t >= s_r(group), t >= reserved m_pr
    t_index = []
    for g, m in enumerate(members_of):
        if (vg == g).any():
            for p in m.tolist():
                for r in range(R):
                    t_index.append((g, p, r))
    n_t = len(t_index)
    n = n_y + n_t
    rows_a: list[sp.spmatrix] = []
    lo_b, hi_b = [], []
    # (1) loads: sum_G |G| y_Ge <= cap_res_e
    sizes = np.array([members_of[g].size for g in vg.tolist()], float)
    ue, e_row = np.unique(ve, return_inverse=True)
    rows_a.append(
        sp.csr_matrix((sizes, (e_row, np.arange(n_y))), shape=(ue.size, n)),
    )
    lo_b.append(np.full(ue.size, -np.inf))
    hi_b.append(pp.cap_res[ue].astype(float))
    # (2) s_r(g) - t_gpr <= 0 ; (3) sum_r t_gpr <= need_res_p
    r_of_y = pp.region_codes[ve]
    c2_r, c2_c, c2_v = [], [], []
    c3_r, c3_c = [], []
    t_lower = np.zeros(n_t)
    key_rows: dict[tuple[int, int], int] = {}
    for k, (g, p, r) in enumerate(t_index):
        ys = np.flatnonzero((vg == g) & (r_of_y == r))
        c2_r.extend([k] * (ys.size + 1))
        c2_c.extend(ys.tolist() + [n_y + k])
        c2_v.extend([1.0] * ys.size + [-1.0])
        t_lower[k] = pp.minima_res[p, r]
        row = key_rows.setdefault((g, p), len(key_rows))
        c3_r.append(row)
        c3_c.append(n_y + k)
    rows_a.append(sp.csr_matrix((c2_v, (c2_r, c2_c)), shape=(n_t, n)))
    lo_b.append(np.full(n_t, -np.inf))
    hi_b.append(np.zeros(n_t))
    rows_a.append(sp.csr_matrix((np.ones(len(c3_r)), (c3_r, c3_c)), shape=(len(key_rows), n)))
    lo_b.append(np.full(len(key_rows), -np.inf))
    hi_b.append(np.array([pp.need_res[p] for (_g, p) in key_rows], float))
    A = sp.vstack(rows_a).tocsr()
    c = np.concatenate([-vgain, np.zeros(n_t)])
    integrality = np.concatenate([np.ones(n_y), np.zeros(n_t)])
    lb = np.concatenate([np.zeros(n_y), t_lower])
    ub = np.concatenate([np.ones(n_y), np.full(n_t, np.inf)])
    res = milp(
        c,
        constraints=LinearConstraint(A, np.concatenate(lo_b), np.concatenate(hi_b)),
        integrality=integrality,
        bounds=Bounds(lb, ub),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-9},
    )
    stats = {"stage1_s": time.perf_counter() - t0, "stage1_variables": int(n_y)}
    if res.x is None:  # the empty choice is always feasible: only a time-out without a solution
        stats["stage1_status"] = res.message
        return [np.zeros(0, np.int64) for _ in groups], stats
    chosen = np.round(res.x[:n_y]) > 0.5
    stats["stage1_status"] = "optimal" if res.status == 0 else res.message
    stats["stage1_value"] = float(vgain[chosen].sum())
    out = [np.sort(ve[chosen & (vg == g)]) for g in range(len(groups))]
    return out, stats


def solve_grouped(
    problem: AssignmentProblem,
    groups: Sequence[Sequence[int]],
    mode: str = "optimal",
    *,
    bonus: float | None = None,
    certify: bool = True,
):
    """Assignment in which each group of similar proposals shares its reviewers where loads allow
    (two stages, see the module docstring).  ``result.shared`` maps group index -> expert indices
    shared by all its members; ``result.stats["groups"]`` says per group whether it is fully shared
    (every seat), partly, or not (and why)."""
    from .network import max_coverage
    from .solver import solve

    t0 = time.perf_counter()
    pp = problem.prepared
    shared, stats = choose_shared_sets(problem, groups, bonus=bonus)
    baseline_penalty = max_coverage(pp, None)
    group_value = [
        float(problem.affinity[np.asarray(g)][:, s].sum()) if s.size else 0.0
        for g, s in zip(groups, shared, strict=True)
    ]
    dropped: list[int] = []
    while True:
        extra_r = [
            np.repeat(np.asarray(g, np.int64), s.size)
            for g, s in zip(groups, shared, strict=True)
            if s.size
        ]
        extra_c = [np.tile(s, len(g)) for g, s in zip(groups, shared, strict=True) if s.size]
        if extra_r:
            rows = np.concatenate([pp.fixed_rows, *extra_r])
            cols = np.concatenate([pp.fixed_cols, *extra_c])
            staged = replace(problem, fixed=(rows, cols))
        else:
            staged = problem
        result = solve(staged, mode=mode, certify=certify)
        if result.penalty <= baseline_penalty or not extra_r:
            break
        # loads do not allow every shared set: give up the least valuable one and solve again
        live = [g for g in range(len(groups)) if shared[g].size]
        worst = min(live, key=lambda g: (group_value[g], g))
        shared[worst] = np.zeros(0, np.int64)
        dropped.append(worst)
    result.shared = {g: s for g, s in enumerate(shared) if s.size}
    info = []
    for g, members in enumerate(groups):
        need = int(pp.need[np.asarray(members)].min()) if len(members) else 0
        n = int(shared[g].size)
        status = "full" if n and n >= need else ("partial" if n else "none")
        info.append(
            {
                "members": [int(p) for p in members],
                "shared": [int(e) for e in shared[g]],
                "status": status,
                "dropped_for_coverage": g in dropped,
            }
        )
    result.stats.update(stats)
    result.stats.update(
        {"groups": info, "baseline_penalty": int(baseline_penalty), "grouped_total_s": 0.0}
    )
    result.stats["grouped_total_s"] = time.perf_counter() - t0
    return result
