"""Two-stage (shortlist + exact re-scoring) top-k scoring for large calls."""

import numpy as np
import pytest

from matching.affinity import AffinityScorer, ExpertProfile, Paper, ScorerConfig
from matching.affinity.models import EnsembleModel, NeuralModel, TfidfModel

DIM = 24


def _unit(rng, n):
    x = rng.standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _problem(seed=0, n_e=120, n_p=40):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 6, n_e)  # some experts have no papers
    experts = [
        ExpertProfile(
            f"e{i}",
            tuple(Paper(f"e{i}p{j}", f"paper {i} {j}") for j in range(c)),
            discipline_codes=("F0201",) if i % 3 == 0 else ("A01",),
        )
        for i, c in enumerate(counts)
    ]
    docs = _unit(rng, int(counts.sum()))
    q = _unit(rng, n_p)
    codes = [("F0201",) if i % 2 else () for i in range(n_p)]
    exclude = rng.random((n_p, n_e)) < 0.1
    return experts, docs, q, codes, exclude


@pytest.mark.parametrize("agg,k", [("max", 1), ("mean", 1), ("topk", 2), ("topk", 3)])
def test_full_shortlist_equals_exhaustive(agg, k):
    experts, docs, q, codes, exclude = _problem()
    cfg = ScorerConfig(model="neural", aggregation=agg, top_k_papers=k, shortlist=0)
    sc = AffinityScorer(experts, cfg, model=NeuralModel(), doc_encoding=docs)
    exact = sc.score_topk_encoded(q, k=7, codes=codes, exclude=exclude)
    sc.config = cfg.with_(shortlist=len(experts) - 1)
    assert sc.shortlist_size(len(q), 7) == len(experts) - 1
    two = sc.score_topk_encoded(q, k=7, codes=codes, exclude=exclude)
    assert np.array_equal(exact.indptr, two.indptr)
    assert np.array_equal(exact.indices, two.indices)
    np.testing.assert_allclose(exact.data, two.data, atol=1e-5)


def test_small_shortlist_never_returns_excluded_pairs_and_is_sorted():
    experts, docs, q, codes, exclude = _problem(seed=1)
    cfg = ScorerConfig(model="neural", aggregation="topk", top_k_papers=2, shortlist=15)
    sc = AffinityScorer(experts, cfg, model=NeuralModel(), doc_encoding=docs)
    top = sc.score_topk_encoded(q, k=5, codes=codes, exclude=exclude)
    assert top.shape == (len(q), len(experts)) and top.nnz == 5 * len(q)
    for i in range(len(q)):
        cols = top.indices[top.indptr[i] : top.indptr[i + 1]]
        vals = top.data[top.indptr[i] : top.indptr[i + 1]]
        assert not exclude[i, cols].any()
        assert (np.diff(vals) <= 1e-7).all()
    # Every returned score is the exact score of that pair.
    dense = sc.score_dense_encoded(q, codes)
    rows = np.repeat(np.arange(len(q)), 5)
    np.testing.assert_allclose(top.data, dense[rows, top.indices], atol=1e-5)


def test_shortlist_finds_the_planted_best_expert():
    rng = np.random.default_rng(3)
    n_e = 200
    experts = [
        ExpertProfile(f"e{i}", tuple(Paper(f"e{i}p{j}") for j in range(4))) for i in range(n_e)
    ]
    docs = _unit(rng, n_e * 4)
    targets = rng.integers(0, n_e, 30)
    q = docs[targets * 4] + 0.05 * _unit(rng, 30)  # near one paper of the target expert
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    sc = AffinityScorer(
        experts,
        ScorerConfig(model="neural", aggregation="max", shortlist=20),
        model=NeuralModel(),
        doc_encoding=docs,
    )
    top = sc.score_topk_encoded(q, k=1)
    assert (top.indices == targets).mean() >= 0.9


def test_automatic_choice_and_lexical_models_stay_exhaustive():
    experts, docs, q, codes, exclude = _problem()
    sc = AffinityScorer(
        experts, ScorerConfig(model="neural"), model=NeuralModel(), doc_encoding=docs
    )
    assert sc.shortlist_size(len(q), 10) == 0  # small problem: exact
    assert sc.shortlist_size(10**6, 10) == 100  # huge problem: two-stage
    lex = AffinityScorer(experts, ScorerConfig(model="tfidf", shortlist=10))
    assert lex.shortlist_size(10**6, 10) == 0  # no embedding part to shortlist with


def test_ensemble_two_stage_matches_exhaustive_with_full_shortlist():
    experts, docs, q, codes, exclude = _problem(seed=2, n_e=60, n_p=12)
    texts = [p.title for e in experts for p in e.papers]
    tf = TfidfModel().fit(texts)
    model = EnsembleModel([(tf, 0.3), (NeuralModel(), 0.7)])
    d_enc = (tf.encode_documents(texts), docs)
    q_enc = (tf.encode_queries([f"paper {i} 1" for i in range(len(q))]), q)
    cfg = ScorerConfig(model="ensemble", aggregation="topk", top_k_papers=2, shortlist=0)
    sc = AffinityScorer(experts, cfg, model=model, doc_encoding=d_enc)
    exact = sc.score_topk_encoded(q_enc, k=4, codes=codes[:12], exclude=exclude)
    sc.config = cfg.with_(shortlist=59)
    two = sc.score_topk_encoded(q_enc, k=4, codes=codes[:12], exclude=exclude)
    assert np.array_equal(exact.indices, two.indices)
    np.testing.assert_allclose(exact.data, two.data, atol=1e-5)
