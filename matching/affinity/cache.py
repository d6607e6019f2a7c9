"""On-disk embedding cache keyed by content hash (model name + text).

One SQLite file holds float32 vectors as BLOBs. Only texts whose hash is absent are re-encoded;
``hits``/``misses`` count look-ups since the cache was opened (or since :meth:`reset_stats`).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

_CHUNK = 900  # stays under SQLite's default limit on bound parameters


def content_key(model_name: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """A persistent map from ``content_key(model, text)`` to a float32 vector."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vec BLOB NOT NULL)"
        )
        self._db.commit()
        self.hits = 0
        self.misses = 0

    def reset_stats(self) -> None:
        self.hits = self.misses = 0

    @property
    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses}

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM emb").fetchone()[0]

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        uniq = list(dict.fromkeys(keys))
        with self._lock:
            for i in range(0, len(uniq), _CHUNK):
                chunk = uniq[i : i + _CHUNK]
                q = f"SELECT key, vec FROM emb WHERE key IN ({','.join('?' * len(chunk))})"
                for key, blob in self._db.execute(q, chunk):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        rows = [
            (k, int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for k, v in items.items()
        ]
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO emb (key, dim, vec) VALUES (?, ?, ?)", rows
            )
            self._db.commit()

    def encode(
        self,
        model_name: str,
        texts: Sequence[str],
        encoder: Callable[[list[str]], np.ndarray],
        chunk_size: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        """Vectors for ``texts``; only cache misses are passed to ``encoder`` (each distinct text once).

        With ``chunk_size`` the misses are encoded and stored ``chunk_size`` at a time, so a bulk
        encoding that is interrupted resumes where it stopped (every finished chunk is on disk);
        ``progress(done, total)`` counts the texts encoded so far out of the misses."""
        keys = [content_key(model_name, t) for t in texts]
        found = self.get_many(keys)
        missing: dict[str, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k in found:
                self.hits += 1
            else:
                self.misses += 1
                missing.setdefault(k, t)
        if missing:
            items = list(missing.items())
            step = chunk_size or len(items)
            for start in range(0, len(items), step):
                part = items[start : start + step]
                new = np.asarray(encoder([t for _k, t in part]), dtype=np.float32)
                fresh = dict(zip([k for k, _t in part], new, strict=True))
                self.put_many(fresh)
                found.update(fresh)
                if progress is not None:
                    progress(min(start + step, len(items)), len(items))
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
