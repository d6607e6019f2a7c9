"""Chinese <-> English routing by script: no officer has to pick a model.

The strong encoders (MPNet, MiniLM) are English-only: a Chinese proposal against English papers
scores at chance level with them.  :class:`RoutedModel` wraps the default model and the
multilingual one (multilingual-e5-small): every text is classified by its script
(:func:`is_chinese`), same-language English pairs are scored by the primary model, and every pair
in which either side is Chinese by the multilingual model, mapped onto the primary model's scale
(each z-scored with its own document-document statistics) so the two kinds of pair rank together.
The multilingual encodings are computed lazily -- only when a Chinese text is actually involved --
and cached on disk per text like the others. In two-stage scoring of large calls, a Chinese
proposal's shortlist is made from the experts' mean cross-lingual embeddings, not the primary ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matching.affinity.models import AffinityModel, Encoding, n_rows, take_rows
from matching.text.tokenize import _CJK_RE

#: a text is "Chinese" when at least this share of its letters are CJK ideographs
CJK_SHARE = 0.3


def cjk_share(text: str) -> float:
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return 0.0
    return len(_CJK_RE.findall(text)) / letters


def is_chinese(text: str) -> bool:
    return cjk_share(text) >= CJK_SHARE


class RoutedEncoding:
    """Primary encoding + texts + script flags; the multilingual encoding on demand."""

    def __init__(self, primary: Encoding, texts: np.ndarray, zh: np.ndarray, kind: str):
        self.primary = primary
        self.texts = texts
        self.zh = zh
        self.kind = kind  # "doc" or "query"
        self.multi: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int]:
        return (len(self.texts),)

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, rows) -> RoutedEncoding:
        if isinstance(rows, int | np.integer):
            rows = slice(int(rows), int(rows) + 1)
        sub = RoutedEncoding(
            take_rows(self.primary, rows), self.texts[rows], self.zh[rows], self.kind
        )
        if self.multi is not None:
            sub.multi = self.multi[rows]
        return sub


class RoutedModel(AffinityModel):
    """``primary`` for English-English pairs, ``crosslingual`` wherever Chinese is involved."""

    def __init__(self, primary: AffinityModel, crosslingual: AffinityModel):
        self.primary = primary
        self.crosslingual = crosslingual
        self.name = f"routed({primary.name})"
        self._cross_stats: tuple[float, float] | None = None
        self._docs: RoutedEncoding | None = None

    def fit(self, documents: Sequence[str]) -> RoutedModel:
        self.primary.fit(documents)
        return self

    def _encode(self, texts: Sequence[str], kind: str) -> RoutedEncoding:
        texts = list(texts)
        enc = (
            self.primary.encode_documents(texts)
            if kind == "doc"
            else self.primary.encode_queries(texts)
        )
        arr = np.empty(len(texts), dtype=object)
        arr[:] = texts
        zh = np.fromiter((is_chinese(t) for t in texts), dtype=bool, count=len(texts))
        return RoutedEncoding(enc, arr, zh, kind)

    def encode_documents(self, texts: Sequence[str]) -> RoutedEncoding:
        return self._encode(texts, "doc")

    def encode_queries(self, texts: Sequence[str]) -> RoutedEncoding:
        return self._encode(texts, "query")

    def prepare_crosslingual(self, enc: RoutedEncoding) -> np.ndarray:
        """Compute (or load from the cache) the multilingual encodings of ``enc`` now -- e.g. the
        expert papers in a background job, so the first Chinese query does not pay for them."""
        return self._multi(enc)

    def _multi(self, enc: RoutedEncoding) -> np.ndarray:
        if enc.multi is None:
            texts = list(enc.texts)
            enc.multi = (
                self.crosslingual.encode_documents(texts)
                if enc.kind == "doc"
                else self.crosslingual.encode_queries(texts)
            )
        return enc.multi

    def calibrate(self, docs: RoutedEncoding, sample: int = 1500, seed: int = 0) -> None:
        self.primary.calibrate(docs.primary, sample, seed)
        self.score_stats = self.primary.score_stats
        self._docs = docs
        self._cross_stats = None

    def _cross_scale(self, docs: RoutedEncoding) -> tuple[float, float]:
        if self._cross_stats is None:
            base = self._docs if self._docs is not None else docs
            n = n_rows(base)
            rng = np.random.default_rng(0)
            idx = np.sort(rng.choice(n, size=min(n, 400), replace=False))
            sub = base[idx]
            m = self._multi(sub)
            s = self.crosslingual.similarity(m, m)
            off = s[~np.eye(len(idx), dtype=bool)] if len(idx) > 2 else np.array([0.0, 1.0])
            self._cross_stats = (float(off.mean()), float(off.std()) or 1.0)
        return self._cross_stats

    def similarity(self, q: RoutedEncoding, d: RoutedEncoding) -> np.ndarray:
        sim = np.asarray(self.primary.similarity(q.primary, d.primary), dtype=np.float32)
        q_zh, d_zh = q.zh, d.zh
        if not (q_zh.any() or d_zh.any()):
            return sim
        mu_c, sd_c = self._cross_scale(d)
        mu_p, sd_p = self.primary.score_stats
        rows = np.flatnonzero(q_zh)
        other = np.flatnonzero(~q_zh)
        # Chinese queries: every paper; English queries: only the Chinese papers
        if rows.size:
            m = self.crosslingual.similarity(self._multi(q[rows]), self._multi(d))
            sim[rows] = mu_p + sd_p * (m - mu_c) / sd_c
        cols = np.flatnonzero(d_zh)
        if other.size and cols.size:
            m = self.crosslingual.similarity(self._multi(q[other]), self._multi(d[cols]))
            sim[np.ix_(other, cols)] = mu_p + sd_p * (m - mu_c) / sd_c
        return sim

    def dense_part(self, enc: RoutedEncoding) -> np.ndarray | None:
        return self.primary.dense_part(enc.primary)

    # ---- two-stage scoring: the shortlist of a Chinese proposal is made in the cross-lingual space
    def crosslingual_rows(self, enc: RoutedEncoding) -> np.ndarray:
        """Which rows of ``enc`` are Chinese texts."""
        return enc.zh

    def crosslingual_dense(self, enc: RoutedEncoding) -> np.ndarray:
        """The cross-lingual embeddings of ``enc`` (computed or loaded from the cache on demand)."""
        return self._multi(enc)
