"""Aggregate paper-level similarities into one score per expert (vectorised over a block of queries).

Papers of all experts are stored contiguously, expert by expert; :class:`PaperLayout` records where
each expert's papers start. Methods: ``max``, ``mean`` and ``topk`` (mean of the ``k`` best papers;
an expert with fewer than ``k`` papers is averaged over the papers they have). An expert with no
papers scores 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

AGGREGATIONS = ("max", "mean", "topk")


class PaperLayout:
    def __init__(self, counts: Sequence[int]):
        self.counts = np.asarray(counts, dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(self.counts)]).astype(np.int64)
        self.n_experts = len(self.counts)
        self.n_papers = int(self.offsets[-1])
        self.max_papers = int(self.counts.max()) if self.n_experts else 0
        self.uniform = bool(
            self.n_experts and self.max_papers > 0 and (self.counts == self.max_papers).all()
        )
        # expert_of_paper[j] = index of the expert who wrote paper j
        self.expert_of_paper = np.repeat(np.arange(self.n_experts), self.counts)
        self._pad: np.ndarray | None = None

    @property
    def pad_index(self) -> np.ndarray:
        """(E, max_papers) column indices into the paper axis; ``n_papers`` marks padding."""
        if self._pad is None:
            m = max(self.max_papers, 1)
            pos = np.arange(m)[None, :]
            idx = self.offsets[:-1, None] + pos
            self._pad = np.where(pos < self.counts[:, None], idx, self.n_papers)
        return self._pad

    def papers_of(self, expert: int) -> range:
        return range(int(self.offsets[expert]), int(self.offsets[expert + 1]))


def _grouped(sim: np.ndarray, layout: PaperLayout, fill: float) -> np.ndarray:
    """(b, E, max_papers) view/copy of ``sim`` with ``fill`` in padding slots."""
    b = sim.shape[0]
    if layout.uniform:
        return sim.reshape(b, layout.n_experts, layout.max_papers)
    ext = np.concatenate([sim, np.full((b, 1), fill, dtype=sim.dtype)], axis=1)
    return ext[:, layout.pad_index]


def aggregate(sim: np.ndarray, layout: PaperLayout, method: str = "max", k: int = 3) -> np.ndarray:
    """Expert scores (b x E) from paper similarities (b x n_papers)."""
    sim = np.asarray(sim, dtype=np.float32)
    if sim.shape[1] != layout.n_papers:
        raise ValueError(
            f"similarity has {sim.shape[1]} columns, layout has {layout.n_papers} papers"
        )
    b, n_e = sim.shape[0], layout.n_experts
    if n_e == 0:
        return np.zeros((b, 0), dtype=np.float32)
    if layout.max_papers == 0:
        return np.zeros((b, n_e), dtype=np.float32)
    counts = layout.counts
    if method == "topk" and k >= layout.max_papers:
        method = "mean"
    if method == "topk" and k <= 1:
        method = "max"
    if method == "max":
        out = _grouped(sim, layout, -np.inf).max(axis=2)
    elif method == "mean":
        g = _grouped(sim, layout, 0.0)
        out = g.sum(axis=2) / np.maximum(counts, 1)[None, :]
    elif method == "topk":
        g = _grouped(sim, layout, -np.inf)
        m = layout.max_papers
        top = np.partition(g, m - k, axis=2)[:, :, m - k :]
        if layout.uniform:
            out = top.mean(axis=2)
        else:
            top = np.where(np.isfinite(top), top, 0.0)
            out = top.sum(axis=2) / np.clip(counts, 1, k)[None, :]
    else:
        raise ValueError(f"unknown aggregation {method!r}; choose from {AGGREGATIONS}")
    out = np.asarray(out, dtype=np.float32)
    if not layout.uniform:
        out[:, counts == 0] = 0.0
    return out
