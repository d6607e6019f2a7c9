import numpy as np
import pytest
from scipy import sparse

from matching.affinity import (
    AffinityScorer,
    ExpertProfile,
    Paper,
    PaperLayout,
    Proposal,
    ScorerConfig,
    aggregate,
    code_levels,
    code_overlap,
    get_model,
    top_k_rows,
)

MOL = ExpertProfile(
    "chem",
    (
        Paper(
            "c1",
            "Graph neural networks for molecular property prediction",
            "Message passing networks predict toxicity and solubility of drug-like molecules.",
        ),
        Paper(
            "c2", "Retrosynthesis planning", "Search over reaction templates for organic synthesis."
        ),
    ),
    discipline_codes=("B0501",),
)
SEA = ExpertProfile(
    "ocean",
    (
        Paper(
            "o1",
            "Sediment transport in estuaries",
            "Field measurements of waves, tides and sediment.",
        ),
        Paper(
            "o2", "Coastal erosion under typhoons", "Storm surge and beach erosion along the coast."
        ),
        Paper("o3", "Harbour water quality", "Nutrient loads and algal blooms in a harbour."),
    ),
    discipline_codes=("D0601",),
)
ZH = ExpertProfile(
    "zh",
    (Paper("z1", "基于深度学习的蛋白质结构预测", "利用神经网络从氨基酸序列预测蛋白质三维结构。"),),
)
EXPERTS = [MOL, SEA, ZH]


@pytest.mark.parametrize("model", ["tfidf", "bm25"])
def test_topic_ranks_right_expert_first(model):
    scorer = AffinityScorer(EXPERTS, ScorerConfig(model=model))
    props = [
        Proposal("p1", "Predicting molecule toxicity with message passing graph networks"),
        Proposal("p2", "Typhoon-driven coastal erosion and sediment in the estuary"),
    ]
    s = scorer.score_dense(props)
    assert s.shape == (2, 3)
    assert s[0].argmax() == 0 and s[1].argmax() == 1


def test_chinese_proposal_matches_chinese_expert():
    scorer = AffinityScorer(EXPERTS, ScorerConfig(model="tfidf"))
    s = scorer.score_dense([Proposal("p", "蛋白质结构预测的深度学习方法")])
    assert s[0].argmax() == 2 and s[0, 2] > 0 and s[0, 0] == 0


def test_explain_returns_best_papers_first():
    scorer = AffinityScorer(EXPERTS, ScorerConfig(model="tfidf"))
    why = scorer.explain(Proposal("p", "Storm surge and beach erosion"), "ocean", n=2)
    assert [m.paper_id for m in why] == ["o2", why[1].paper_id] and why[0].score > why[1].score


def test_aggregations_on_hand_example():
    layout = PaperLayout([3, 1, 0])
    sim = np.array([[0.9, 0.1, 0.5, 0.4]], dtype=np.float32)
    np.testing.assert_allclose(aggregate(sim, layout, "max"), [[0.9, 0.4, 0.0]])
    np.testing.assert_allclose(aggregate(sim, layout, "mean"), [[0.5, 0.4, 0.0]], rtol=1e-6)
    np.testing.assert_allclose(aggregate(sim, layout, "topk", k=2), [[0.7, 0.4, 0.0]], rtol=1e-6)


def test_uniform_layout_fast_path_equals_general_path():
    rng = np.random.default_rng(1)
    sim = rng.random((4, 15)).astype(np.float32)
    uni = PaperLayout([5, 5, 5])
    gen = PaperLayout([5, 5, 5])
    gen.uniform = False  # force the padded path
    for method, k in [("max", 1), ("mean", 1), ("topk", 2), ("topk", 3)]:
        np.testing.assert_allclose(
            aggregate(sim, uni, method, k), aggregate(sim, gen, method, k), rtol=1e-6
        )


def _random_problem(n_exp=40, seed=0):
    rng = np.random.default_rng(seed)
    words = [
        "graph",
        "network",
        "protein",
        "ocean",
        "sediment",
        "quantum",
        "laser",
        "battery",
        "cathode",
        "cell",
        "gene",
        "climate",
    ]
    experts = [
        ExpertProfile(
            f"e{i}",
            tuple(
                Paper(f"e{i}p{j}", " ".join(rng.choice(words, 3)), " ".join(rng.choice(words, 12)))
                for j in range(int(rng.integers(1, 6)))
            ),
        )
        for i in range(n_exp)
    ]
    props = [
        Proposal(f"p{i}", " ".join(rng.choice(words, 3)), " ".join(rng.choice(words, 15)))
        for i in range(23)
    ]
    return experts, props


@pytest.mark.parametrize("agg", ["max", "mean", "topk"])
def test_sparse_topk_equals_dense_topk(agg):
    experts, props = _random_problem()
    scorer = AffinityScorer(experts, ScorerConfig(model="tfidf", aggregation=agg, block_size=5))
    dense = scorer.score_dense(props)
    top = scorer.score_topk(props, k=4)
    assert sparse.isspmatrix_csr(top) and top.shape == dense.shape
    ref_idx, ref_val = top_k_rows(dense, 4)
    for i in range(len(props)):
        row = top.getrow(i)
        order = np.lexsort((row.indices, -row.data))
        np.testing.assert_array_equal(row.indices[order], ref_idx[i])
        np.testing.assert_allclose(row.data[order], ref_val[i], rtol=1e-6)
        # and these really are the k largest of the dense row
        assert row.data.min() >= np.sort(dense[i])[-4] - 1e-6


def test_topk_respects_exclusion_mask():
    experts, props = _random_problem()
    scorer = AffinityScorer(experts, ScorerConfig(model="tfidf"))
    dense = scorer.score_dense(props)
    best = dense.argmax(axis=1)
    exclude = sparse.csr_matrix(
        (np.ones(len(props), bool), (np.arange(len(props)), best)), shape=dense.shape
    )
    top = scorer.score_topk(props, k=3, exclude=exclude)
    for i in range(len(props)):
        assert best[i] not in top.getrow(i).indices


def test_discipline_codes_hierarchy_and_bonus():
    assert code_levels("F0201") == ["F", "F02", "F0201"]
    assert code_levels("5202010") == ["520", "52020", "5202010"]
    assert code_overlap(["F0201"], ["F0201"]) == 1.0
    assert code_overlap(["F0201"], ["F0203"]) == pytest.approx(2 / 3)
    assert code_overlap(["F0201"], ["F03"]) == pytest.approx(1 / 3)
    assert code_overlap(["F0201"], ["A0201"]) == 0.0
    assert code_overlap(["NSFC:F02"], ["GBT:F02"]) == 0.0
    # identical text, different codes: the code bonus decides
    p = Paper("x", "Wireless resource allocation", "Deep learning for wireless networks.")
    experts = [
        ExpertProfile("a", (p,), discipline_codes=("F0101",)),
        ExpertProfile("b", (p,), discipline_codes=("F0201",)),
    ]
    scorer = AffinityScorer(experts, ScorerConfig(model="tfidf", discipline_weight=0.5))
    s = scorer.score_dense([Proposal("q", "wireless networks", discipline_codes=("F0201",))])
    assert s[0, 1] > s[0, 0]


def test_registry_knows_models_and_rejects_unknown():
    from matching.affinity import available_models

    assert {"lexical", "tfidf", "bm25", "neural", "ensemble"} <= set(available_models())
    with pytest.raises(KeyError):
        get_model("nope")


def test_aggregation_mix_is_weighted_sum_of_aggregations():
    experts = [
        ExpertProfile("a", tuple(Paper(f"a{i}", t) for i, t in enumerate(["x y", "y z", "z w"]))),
        ExpertProfile("b", (Paper("b0", "x"),)),
    ]
    base = ScorerConfig(model="tfidf")
    sc = AffinityScorer(experts, base.with_(aggregation="topk", top_k_papers=2))
    props = [Proposal("p", "x y z")]
    top2 = sc.score_dense(props)
    sc.config = base.with_(aggregation="topk", top_k_papers=3)
    top3 = sc.score_dense(props)
    sc.config = base.with_(aggregation="mix", aggregation_mix=(("topk", 2, 1.0), ("topk", 3, 1.0)))
    np.testing.assert_allclose(sc.score_dense(props), (top2 + top3) / 2, rtol=1e-6)
    assert ScorerConfig().aggregation == "mix" and len(ScorerConfig().aggregations()) == 2
