"""Routing by script: English pairs by the primary model, any pair with Chinese by the
cross-lingual one (tested with a small stand-in cross-lingual model: no weights needed)."""

from __future__ import annotations

import numpy as np

from matching.affinity import AffinityScorer, ExpertProfile, Paper, Proposal, ScorerConfig
from matching.affinity.models import AffinityModel, TfidfModel
from matching.affinity.routing import RoutedModel, is_chinese

# the stand-in "multilingual" space: each concept has one vector, in either language
CONCEPTS = {
    "protein folding": 0,
    "蛋白质折叠": 0,
    "蛋白質折疊": 0,
    "air pollution": 1,
    "空气污染": 1,
    "quantum error correction": 2,
    "量子纠错": 2,
}


class ConceptModel(AffinityModel):
    name = "concepts"

    def __init__(self):
        self.calls: list[list[str]] = []

    def encode_documents(self, texts):
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 3), np.float32)
        for i, t in enumerate(texts):
            for key, c in CONCEPTS.items():
                if key in t:
                    out[i, c] = 1.0
        return out

    def similarity(self, q, d):
        return np.asarray(q @ d.T, dtype=np.float32)


def test_script_detection():
    assert is_chinese("基于深度学习的蛋白质结构预测")
    assert is_chinese("蛋白質折疊 (protein)")  # mostly Chinese
    assert not is_chinese("Protein folding with 3 new 蛋白 models and more English words here")
    assert not is_chinese("") and not is_chinese("1234")


def _scorer(cross):
    experts = [
        ExpertProfile(id="fold", papers=(Paper(id="a", title="protein folding dynamics"),)),
        ExpertProfile(id="air", papers=(Paper(id="b", title="urban air pollution exposure"),)),
        ExpertProfile(id="zh-qec", papers=(Paper(id="c", title="量子纠错码的设计"),)),
    ]
    model = RoutedModel(TfidfModel(), cross)
    return AffinityScorer(experts, ScorerConfig(model="tfidf", discipline_weight=0), model=model)


def test_chinese_proposal_finds_the_english_expert_and_the_reverse():
    cross = ConceptModel()
    sc = _scorer(cross)
    assert cross.calls == []  # nothing Chinese scored yet: the cross-lingual model is not used
    en = sc.score_dense([Proposal(id="p", title="air pollution and asthma")])
    assert en.argmax() == 1
    assert ["量子纠错码的设计"] in cross.calls  # the Chinese paper, for the English query
    zh = sc.score_dense([Proposal(id="q", title="蛋白质折叠的分子动力学")])
    assert zh.argmax() == 0  # Chinese query -> the English protein-folding expert
    en_q = sc.score_dense([Proposal(id="r", title="quantum error correction thresholds")])
    assert en_q.argmax() == 2  # English query -> the expert whose paper is in Chinese


def test_english_pairs_are_left_to_the_primary_model():
    cross = ConceptModel()
    sc = _scorer(cross)
    plain = AffinityScorer(sc.experts, ScorerConfig(model="tfidf", discipline_weight=0))
    q = [Proposal(id="p", title="protein folding dynamics of small domains")]
    routed = sc.score_dense(q)
    np.testing.assert_allclose(routed[:, :2], plain.score_dense(q)[:, :2], rtol=1e-5, atol=1e-6)


def test_papers_can_be_prepared_for_chinese_queries_ahead_of_time():
    cross = ConceptModel()
    sc = _scorer(cross)
    sc.model.prepare_crosslingual(sc.doc_encoding)
    assert len(cross.calls) == 1 and len(cross.calls[0]) == 3  # every paper, once
    sc.score_dense([Proposal(id="q", title="蛋白质折叠")])
    assert all(len(c) == 1 for c in cross.calls[1:])  # then only the query is encoded


class EnglishWordsModel(AffinityModel):
    """A stand-in English-only embedding with a dense part (as MPNet/MiniLM). A text without English
    words lands near "air pollution": an English-only space puts Chinese text somewhere arbitrary."""

    name = "english-words"
    WORDS = ("protein", "air", "quantum", "folding", "pollution", "error")

    def encode_documents(self, texts):
        out = np.zeros((len(texts), len(self.WORDS)), np.float32)
        for i, t in enumerate(texts):
            out[i] = [float(w in t) for w in self.WORDS]
            if not out[i].any():
                out[i] = [0.1, 1, 0, 0.1, 1, 0]
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def similarity(self, q, d):
        return np.asarray(q @ d.T, dtype=np.float32)

    def dense_part(self, enc):
        return enc


def test_two_stage_shortlist_of_a_chinese_proposal_is_cross_lingual():
    """30 experts, a shortlist of 2: the Chinese proposal on protein folding must still reach the one
    English protein-folding expert, who is last in the list (an English-only shortlist misses him)."""
    experts = [
        ExpertProfile(id=f"air{i}", papers=(Paper(id=f"a{i}", title="air pollution exposure"),))
        for i in range(29)
    ] + [ExpertProfile(id="fold", papers=(Paper(id="f", title="protein folding dynamics"),))]
    model = RoutedModel(EnglishWordsModel(), ConceptModel())
    sc = AffinityScorer(
        experts, ScorerConfig(model="x", discipline_weight=0, shortlist=2), model=model
    )
    q = sc.encode_proposals([Proposal(id="q", title="蛋白质折叠的分子动力学")])
    top = sc.score_topk_encoded(q, k=1)
    assert sc.shortlist_size(1, 1) == 2
    assert top.indices.tolist() == [29]
    # an English proposal is shortlisted by the primary embedding, as before
    q_en = sc.encode_proposals([Proposal(id="r", title="protein folding of small domains")])
    assert sc.score_topk_encoded(q_en, k=1).indices.tolist() == [29]
