"""Chinese <-> English matching measured on real bilingual data: the project's discipline names.

    .venv/bin/python bench/crosslingual.py

Every distinct English discipline name of the classifications the platform ships (NSFC
departments and application codes, RGC panels, GB/T 13745 level 1:
``sciencebridge/core/reference/classifications.py``) with its Simplified and Traditional Chinese
names.  Chinese name -> English name: rank all English names for each Chinese name; recall@k =
share of Chinese names whose own English name is in the top k (and English -> Chinese the same
way).  Models: the engine default as routed by script (MPNet + MiniLM for English pairs,
multilingual-e5-small wherever Chinese is involved, picked automatically), each model alone, and
TF-IDF.  Short names are a hard case (one to five words, no context); chance recall@1 is 1/n.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching.affinity import EmbeddingCache, get_model  # noqa: E402
from sciencebridge.core.reference import classifications as cls  # noqa: E402

CACHE = Path(__file__).resolve().parents[1] / "var" / "cache" / "embeddings.sqlite"


def names() -> list[tuple[str, str, str]]:
    """(English, Simplified, Traditional), one per distinct English name."""
    rows = [(r[1], r[3], r[2]) for r in cls.NSFC_DEPARTMENTS + cls.NSFC_LEVEL2]
    rows += [(r[2], r[4], r[3]) for r in cls.RGC_PANELS]
    rows += [(r[2], r[4], r[3]) for r in cls.GBT_LEVEL1]
    seen, out = set(), []
    for en, hans, hant in rows:
        if en and en.casefold() not in seen:
            seen.add(en.casefold())
            out.append((en, hans, hant))
    return out


def recall(sim: np.ndarray, ks=(1, 10)) -> dict[int, float]:
    """Rows are queries, column i is row i's match; ties are broken against the match."""
    own = np.diag(sim)
    better = (sim > own[:, None]).sum(axis=1) + (sim == own[:, None]).sum(axis=1) - 1
    return {k: float((better < k).mean()) for k in ks}


def score(model_name: str, queries: list[str], docs: list[str], cache) -> np.ndarray:
    m = get_model(model_name, cache=cache)
    m.fit(docs + queries)
    d = m.encode_documents(docs)
    m.calibrate(d)
    return np.asarray(m.similarity(m.encode_queries(queries), d))


def main() -> int:
    rows = names()
    en = [r[0] for r in rows]
    cache = EmbeddingCache(CACHE)
    n = len(rows)
    print(f"{n} discipline names (chance recall@1 {1 / n:.3f}, recall@10 {10 / n:.3f})\n")
    print(
        "| model | zh-Hans → en R@1 | R@10 | en → zh-Hans R@1 | R@10 | zh-Hant → en R@1 | R@10 | s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, name in [
        ("engine default (routed by script)", "ensemble"),
        ("multilingual-e5-small alone", "multilingual"),
        ("MPNet alone (English-only)", "mpnet"),
        ("MiniLM alone (English-only)", "neural"),
        ("TF-IDF", "tfidf"),
    ]:
        t = time.perf_counter()
        hans, hant = [r[1] for r in rows], [r[2] for r in rows]
        cells = [
            recall(score(name, hans, en, cache)),
            recall(score(name, en, hans, cache)),
            recall(score(name, hant, en, cache)),
        ]
        print(
            f"| {label} | {cells[0][1]:.3f} | {cells[0][10]:.3f} | {cells[1][1]:.3f} | "
            f"{cells[1][10]:.3f} | {cells[2][1]:.3f} | {cells[2][10]:.3f} | "
            f"{time.perf_counter() - t:.1f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
