"""Proposal x expert affinity scores: dense for small problems, sparse top-k in blocks for large ones.

Score of (proposal p, expert e) = aggregate over e's papers of sim(p, paper)            (text part)
                                  + discipline_weight * code_overlap(p.codes, e.codes)  (codes part)

The sparse path processes ``block_size`` proposals at a time: one block x all-papers similarity
matrix, aggregated to block x experts, reduced to each proposal's top ``k``; memory therefore grows
with ``block_size x n_papers`` and ``P x k``, never with ``P x E x papers``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from scipy import sparse

from matching.affinity.aggregate import PaperLayout, aggregate
from matching.affinity.cache import EmbeddingCache
from matching.affinity.codes import CodeIndex
from matching.affinity.models import (
    AffinityModel,
    Encoding,
    get_model,
    n_rows,
    take_rows,
)
from matching.affinity.types import (
    ExpertProfile,
    PaperMatch,
    Proposal,
    TextFields,
    paper_text,
    proposal_text,
)

# ---- Engine defaults, set by the evaluation's selection procedure on the expertise gold standard
# ---- (python -m matching.evaluation; matching/evaluation/RESULTS.md): average the 10 best
# ---- single configurations (m=10 chosen by inner CV) -> ensemble of z-scored MiniLM 0.68 + BM25
# ---- 0.16 + TF-IDF 0.16 paper similarities, title+abstract, expert score = mean of the "mean of
# ---- the 2 best papers" and "mean of the 3 best papers". Nested leave-participants-out CV of the
# ---- whole procedure: held-out loss 0.205 [0.142, 0.283] (29 participants: a wide interval).
DEFAULT_MODEL = "ensemble"
DEFAULT_AGGREGATION = "mix"  # = DEFAULT_AGGREGATION_MIX
DEFAULT_TOP_K_PAPERS = 2
DEFAULT_AGGREGATION_MIX: tuple[tuple[str, int, float], ...] = (("topk", 2, 1.0), ("topk", 3, 1.0))
DEFAULT_FIELDS = TextFields()
# Not tuned (the gold standard has no discipline codes). The bonus for a full code match is this many
# standard deviations of the model's paper-paper similarity (so it means the same for every model);
# set it per scheme.
DEFAULT_DISCIPLINE_WEIGHT = 0.5
# Two-stage scoring kicks in above this many proposal x paper similarities (e.g. 1,000 proposals x
# 50,000 papers); below it exhaustive scoring is fast anyway and exact.
SHORTLIST_AUTO_WORK = 5e7
DEFAULT_SHORTLIST = 100


@dataclass(frozen=True)
class ScorerConfig:
    model: str = DEFAULT_MODEL
    model_options: dict = field(default_factory=dict)
    aggregation: str = DEFAULT_AGGREGATION
    top_k_papers: int = DEFAULT_TOP_K_PAPERS
    #: Weighted mixture of aggregations ``((method, k, weight), ...)``, used when
    #: ``aggregation == "mix"`` (e.g. the mean of the top-2 and the top-3 means).
    aggregation_mix: tuple[tuple[str, int, float], ...] = DEFAULT_AGGREGATION_MIX
    fields: TextFields = field(default_factory=lambda: DEFAULT_FIELDS)
    discipline_weight: float = DEFAULT_DISCIPLINE_WEIGHT
    #: Links between classifications (``matching.affinity.crosswalk.Crosswalk``) so that codes of
    #: different schemes (a proposal's RGC panel, an expert's NSFC codes) meet in the bonus.
    crosswalk: object | None = None
    block_size: int = 256
    #: Two-stage top-k scoring for large calls (models with an embedding part only).
    #: ``None``: automatic (two-stage when proposals x papers > ``SHORTLIST_AUTO_WORK``);
    #: ``0``: always exhaustive; ``N``: shortlist N experts per proposal by the similarity of the
    #: proposal to each expert's mean paper embedding (+ discipline codes), then score only the
    #: shortlist exactly with the configured model and aggregation.
    shortlist: int | None = None

    def with_(self, **changes) -> ScorerConfig:
        return replace(self, **changes)

    def aggregations(self) -> list[tuple[str, int, float]]:
        """(method, k, weight) of every aggregation whose weighted sum makes the text score."""
        if self.aggregation == "mix":
            if not self.aggregation_mix:
                raise ValueError("aggregation='mix' needs aggregation_mix")
            total = sum(w for _m, _k, w in self.aggregation_mix) or 1.0
            return [(m, k, w / total) for m, k, w in self.aggregation_mix]
        return [(self.aggregation, self.top_k_papers, 1.0)]


class AffinityScorer:
    """Holds the encoded papers of a fixed set of experts and scores proposals against them.

    ``cache`` (an :class:`EmbeddingCache` or a path to one) lets neural embeddings survive between
    runs; only texts that changed are re-encoded.
    """

    def __init__(
        self,
        experts: Sequence[ExpertProfile],
        config: ScorerConfig | None = None,
        *,
        model: AffinityModel | None = None,
        cache: EmbeddingCache | str | Path | None = None,
        extra_fit_texts: Sequence[str] = (),
        doc_encoding: Encoding | None = None,
    ):
        self.config = config or ScorerConfig()
        if isinstance(cache, str | Path):
            cache = EmbeddingCache(cache)
        self.cache = cache
        self.experts = list(experts)
        self.expert_ids = [e.id for e in self.experts]
        self._expert_pos = {eid: i for i, eid in enumerate(self.expert_ids)}
        self.layout = PaperLayout([len(e.papers) for e in self.experts])
        self.model = model or get_model(self.config.model, cache=cache, **self.config.model_options)
        self.codes = CodeIndex(
            [e.discipline_codes for e in self.experts], crosswalk=self.config.crosswalk
        )
        if doc_encoding is None:
            texts = [paper_text(p, self.config.fields) for e in self.experts for p in e.papers]
            self.model.fit(list(texts) + list(extra_fit_texts))
            doc_encoding = self.model.encode_documents(texts)
        if n_rows(doc_encoding) != self.layout.n_papers:
            raise ValueError("doc_encoding must have one row per paper, experts in order")
        self.doc_encoding = doc_encoding
        self.model.calibrate(doc_encoding)

    # ---- encoding -------------------------------------------------------------------------
    def encode_proposals(self, proposals: Sequence[Proposal]) -> Encoding:
        return self.model.encode_queries([proposal_text(p, self.config.fields) for p in proposals])

    # ---- scoring --------------------------------------------------------------------------
    def _score_block(self, q: Encoding, codes: Sequence[Sequence[str]] | None) -> np.ndarray:
        cfg = self.config
        sim = self.model.similarity(q, self.doc_encoding)
        scores = None
        for method, k, w in cfg.aggregations():
            part = aggregate(sim, self.layout, method, k)
            scores = part * w if scores is None else scores + part * w
        if codes is not None and cfg.discipline_weight and any(codes):
            unit = self.model.score_stats[1]
            scores += (cfg.discipline_weight * unit) * self.codes.overlap(codes)
        return scores

    def score_dense(self, proposals: Sequence[Proposal]) -> np.ndarray:
        """Full P x E float32 score matrix (small problems)."""
        q = self.encode_proposals(proposals)
        return self.score_dense_encoded(q, [p.discipline_codes for p in proposals])

    def score_dense_encoded(
        self, q: Encoding, codes: Sequence[Sequence[str]] | None = None
    ) -> np.ndarray:
        bs = self.config.block_size
        n = n_rows(q)
        parts = [
            self._score_block(
                take_rows(q, slice(i, i + bs)), None if codes is None else codes[i : i + bs]
            )
            for i in range(0, n, bs)
        ]
        return np.vstack(parts) if parts else np.zeros((0, len(self.experts)), np.float32)

    def score_topk(
        self,
        proposals: Sequence[Proposal],
        k: int = 10,
        exclude: sparse.spmatrix | np.ndarray | None = None,
    ) -> sparse.csr_matrix:
        """P x E CSR matrix holding each proposal's ``k`` best experts (excluded pairs never appear).

        ``exclude`` is a P x E boolean mask (e.g. :meth:`ConflictResult.mask` from
        ``matching.conflicts``). Entries are stored explicitly, so a score of 0 is still present.
        """
        q = self.encode_proposals(proposals)
        return self.score_topk_encoded(q, k, [p.discipline_codes for p in proposals], exclude)

    def score_topk_encoded(
        self,
        q: Encoding,
        k: int = 10,
        codes: Sequence[Sequence[str]] | None = None,
        exclude: sparse.spmatrix | np.ndarray | None = None,
        block_size: int | None = None,
    ) -> sparse.csr_matrix:
        n_p, n_e = n_rows(q), len(self.experts)
        bs = block_size or self.config.block_size
        kk = min(k, n_e)
        if exclude is not None and sparse.issparse(exclude):
            exclude = sparse.csr_matrix(exclude)
        shortlist = self.shortlist_size(n_p, kk)
        if shortlist:
            all_idx, all_val = self._two_stage(q, kk, codes, exclude, shortlist, bs)
        else:
            all_idx = np.empty((n_p, kk), dtype=np.int32)
            all_val = np.empty((n_p, kk), dtype=np.float32)
            for start in range(0, n_p, bs):
                stop = min(start + bs, n_p)
                block_codes = None if codes is None else codes[start:stop]
                s = self._score_block(take_rows(q, slice(start, stop)), block_codes)
                if exclude is not None:
                    ex = exclude[start:stop]
                    ex = ex.toarray() if sparse.issparse(ex) else np.asarray(ex)
                    s[ex.astype(bool)] = -np.inf
                idx, val = top_k_rows(s, kk)
                all_idx[start:stop] = idx
                all_val[start:stop] = val
        keep = np.isfinite(all_val)
        indptr = np.concatenate([[0], np.cumsum(keep.sum(axis=1))])
        return sparse.csr_matrix(
            (all_val[keep], all_idx[keep], indptr), shape=(n_p, n_e), dtype=np.float32
        )

    # ---- two-stage scoring (large calls) -----------------------------------------------------
    def shortlist_size(self, n_proposals: int, k: int) -> int:
        """Experts shortlisted per proposal by stage 1 (0 = exhaustive scoring)."""
        cfg = self.config
        n_e = len(self.experts)
        if cfg.shortlist == 0 or self._centroids() is None:
            return 0
        size = cfg.shortlist
        if size is None:
            if n_proposals * self.layout.n_papers <= SHORTLIST_AUTO_WORK:
                return 0
            size = DEFAULT_SHORTLIST
        size = max(size, k)
        return 0 if size >= n_e else size

    def _centroids(self) -> np.ndarray | None:
        """Each expert's mean paper embedding, L2-normalised (zero for experts without papers);
        ``None`` when the model has no embedding part."""
        if not hasattr(self, "_centroid_matrix"):
            dense = self.model.dense_part(self.doc_encoding)
            self._centroid_matrix = None if dense is None else self._mean_per_expert(dense)
        return self._centroid_matrix

    def _crosslingual_centroids(self) -> np.ndarray:
        """The same from the cross-lingual encodings of the papers (a routed model only)."""
        if not hasattr(self, "_crosslingual_matrix"):
            dense = np.asarray(self.model.crosslingual_dense(self.doc_encoding), dtype=np.float32)
            self._crosslingual_matrix = self._mean_per_expert(dense)
        return self._crosslingual_matrix

    def _mean_per_expert(self, dense: np.ndarray) -> np.ndarray:
        lay = self.layout
        member = sparse.csr_matrix(
            (np.ones(lay.n_papers, dtype=np.float32), np.arange(lay.n_papers), lay.offsets),
            shape=(lay.n_experts, lay.n_papers),
        )
        c = np.asarray(member @ dense, dtype=np.float32)
        norms = np.linalg.norm(c, axis=1, keepdims=True)
        c /= np.where(norms > 0, norms, 1.0)
        return c

    def _shortlist_similarity(self, q_block: Encoding, centroids: np.ndarray) -> np.ndarray:
        """Stage-1 similarity of a block of proposals to every expert's centroid. With a routed
        model, the rows of Chinese proposals use the cross-lingual space (the primary embedding of
        a Chinese text says nothing about English papers), so the shortlist is cross-lingual too."""
        s1 = self.model.dense_part(q_block) @ centroids.T
        rows_of = getattr(self.model, "crosslingual_rows", None)
        if rows_of is not None:
            rows = np.flatnonzero(rows_of(q_block))
            if rows.size:
                cross = np.asarray(
                    self.model.crosslingual_dense(take_rows(q_block, rows)), dtype=np.float32
                )
                s1[rows] = cross @ self._crosslingual_centroids().T
        return s1

    def _two_stage(
        self,
        q: Encoding,
        k: int,
        codes: Sequence[Sequence[str]] | None,
        exclude: sparse.spmatrix | np.ndarray | None,
        shortlist: int,
        block_size: int,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(P x k) expert indices and scores, best first, by shortlist + exact re-scoring.

        Stage 1 (blocks of proposals): proposal embedding x expert centroids (+ the code bonus,
        excluded pairs removed) -> each proposal's ``shortlist`` best experts.
        Stage 2 (expert by expert): the proposals that shortlisted an expert are scored against
        that expert's papers with the configured model and aggregation. Grouping by expert keeps
        the papers contiguous (no gathering of paper vectors) and gathers only proposal rows.
        """
        cfg = self.config
        lay = self.layout
        n_p = n_rows(q)
        centroids = self._centroids()
        cand = np.empty((n_p, shortlist), dtype=np.int32)
        bonus = np.zeros((n_p, shortlist), dtype=np.float32)
        dropped = np.zeros((n_p, shortlist), dtype=bool)
        use_codes = codes is not None and cfg.discipline_weight and any(codes)
        unit = self.model.score_stats[1]
        for start in range(0, n_p, block_size):
            stop = min(start + block_size, n_p)
            s1 = self._shortlist_similarity(take_rows(q, slice(start, stop)), centroids)
            overlap = None
            if use_codes:
                overlap = self.codes.overlap(codes[start:stop])
                s1 += (cfg.discipline_weight * float(s1.std() or 1.0)) * overlap
            if exclude is not None:
                ex = exclude[start:stop]
                ex = (ex.toarray() if sparse.issparse(ex) else np.asarray(ex)).astype(bool)
                s1[ex] = -np.inf
            c = np.sort(np.argpartition(-s1, shortlist - 1, axis=1)[:, :shortlist], axis=1)
            cand[start:stop] = c
            dropped[start:stop] = ~np.isfinite(np.take_along_axis(s1, c, axis=1))
            if overlap is not None:
                bonus[start:stop] = (cfg.discipline_weight * unit) * np.take_along_axis(
                    overlap, c, axis=1
                )
            del s1, overlap
        # Stage 2: group the (proposal, expert) pairs by expert.
        flat_e = cand.ravel()
        order = np.argsort(flat_e, kind="stable")
        sorted_e = flat_e[order]
        prop_of = (order // shortlist).astype(np.int64)
        bounds = np.flatnonzero(np.diff(sorted_e)) + 1
        starts = np.concatenate([[0], bounds])
        stops = np.concatenate([bounds, [len(sorted_e)]])
        text = np.zeros(n_p * shortlist, dtype=np.float32)
        aggs = cfg.aggregations()
        for a, b in zip(starts.tolist(), stops.tolist(), strict=True):
            e = int(sorted_e[a])
            lo, hi = int(lay.offsets[e]), int(lay.offsets[e + 1])
            if hi == lo:
                continue  # no papers: text score 0
            props = prop_of[a:b]
            sim = self.model.similarity(
                take_rows(q, props), take_rows(self.doc_encoding, slice(lo, hi))
            )
            text[order[a:b]] = sum(w * _aggregate_one(sim, m, kp) for m, kp, w in aggs)
        scores = text.reshape(n_p, shortlist) + bonus
        scores[dropped] = -np.inf
        idx, val = top_k_rows(scores, k)
        return np.take_along_axis(cand, idx, axis=1).astype(np.int32), val

    # ---- explanation ----------------------------------------------------------------------
    def explain(self, proposal: Proposal, expert_id: str, n: int = 3) -> list[PaperMatch]:
        """The expert's ``n`` papers that best match the proposal, best first, with their similarity."""
        e = self._expert_pos[expert_id]
        papers = self.layout.papers_of(e)
        if not len(papers):
            return []
        q = self.encode_proposals([proposal])
        d = take_rows(self.doc_encoding, np.arange(papers.start, papers.stop))
        sims = self.model.similarity(q, d)[0]
        order = np.argsort(-sims, kind="stable")[:n]
        expert = self.experts[e]
        return [
            PaperMatch(expert.papers[i].id, expert.papers[i].title, float(sims[i])) for i in order
        ]

    def expert_index(self, expert_id: str) -> int:
        return self._expert_pos[expert_id]


def _aggregate_one(sim: np.ndarray, method: str, k: int) -> np.ndarray:
    """Aggregate (n x m) similarities to one expert's m >= 1 papers (same rules as ``aggregate``)."""
    m = sim.shape[1]
    if method == "topk" and k >= m:
        method = "mean"
    if method == "topk" and k <= 1:
        method = "max"
    if method == "max":
        return sim.max(axis=1)
    if method == "mean":
        return sim.mean(axis=1)
    if method == "topk":
        return np.partition(sim, m - k, axis=1)[:, m - k :].mean(axis=1)
    raise ValueError(f"unknown aggregation {method!r}")


def top_k_rows(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the column indices and values of the ``k`` largest scores, best first
    (ties broken by lower column index)."""
    n, m = scores.shape
    if k <= 0 or m == 0:
        return np.zeros((n, 0), np.int32), np.zeros((n, 0), np.float32)
    if k < m:
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    else:
        part = np.broadcast_to(np.arange(m), (n, m)).copy()
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -vals), axis=1) if n else np.zeros_like(part)
    idx = np.take_along_axis(part, order, axis=1).astype(np.int32)
    return idx, np.take_along_axis(vals, order, axis=1).astype(np.float32)


def score_proposals(
    proposals: Sequence[Proposal],
    experts: Sequence[ExpertProfile],
    k: int = 10,
    *,
    config: ScorerConfig | None = None,
    cache: EmbeddingCache | str | Path | None = None,
    exclude: sparse.spmatrix | np.ndarray | None = None,
) -> sparse.csr_matrix:
    """One-call API: P x E sparse matrix of each proposal's top-``k`` experts."""
    scorer = AffinityScorer(
        experts, config, cache=cache, extra_fit_texts=[proposal_text(p) for p in proposals]
    )
    return scorer.score_topk(proposals, k=k, exclude=exclude)
