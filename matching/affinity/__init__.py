"""Expertise affinity: how well each expert's papers match each proposal.

Public API (what Django calls)::

    from matching.affinity import AffinityScorer, ScorerConfig, Proposal, ExpertProfile, Paper
    scorer = AffinityScorer(experts, ScorerConfig(), cache="var/cache/embeddings.sqlite")
    top = scorer.score_topk(proposals, k=10, exclude=conflicts.mask)   # scipy CSR, P x E
    dense = scorer.score_dense(proposals)                              # ndarray, P x E
    why = scorer.explain(proposal, expert_id, n=3)                     # [PaperMatch]

or in one call: ``score_proposals(proposals, experts, k=10, cache=...)``.
"""

from matching.affinity.aggregate import AGGREGATIONS, PaperLayout, aggregate
from matching.affinity.cache import EmbeddingCache, content_key
from matching.affinity.codes import CodeIndex, code_levels, code_overlap
from matching.affinity.crosswalk import Crosswalk, CrosswalkLink
from matching.affinity.models import (
    AffinityModel,
    BM25Model,
    EnsembleModel,
    MultilingualModel,
    NeuralModel,
    TfidfModel,
    available_models,
    get_model,
    minilm_model_dir,
    register_model,
)
from matching.affinity.scorer import (
    DEFAULT_AGGREGATION,
    DEFAULT_AGGREGATION_MIX,
    DEFAULT_DISCIPLINE_WEIGHT,
    DEFAULT_MODEL,
    DEFAULT_TOP_K_PAPERS,
    AffinityScorer,
    ScorerConfig,
    score_proposals,
    top_k_rows,
)
from matching.affinity.types import ExpertProfile, Paper, PaperMatch, Proposal, TextFields

__all__ = [
    "AGGREGATIONS",
    "DEFAULT_AGGREGATION",
    "DEFAULT_AGGREGATION_MIX",
    "DEFAULT_DISCIPLINE_WEIGHT",
    "DEFAULT_MODEL",
    "DEFAULT_TOP_K_PAPERS",
    "AffinityModel",
    "AffinityScorer",
    "BM25Model",
    "CodeIndex",
    "Crosswalk",
    "CrosswalkLink",
    "EmbeddingCache",
    "EnsembleModel",
    "ExpertProfile",
    "MultilingualModel",
    "NeuralModel",
    "Paper",
    "PaperLayout",
    "PaperMatch",
    "Proposal",
    "ScorerConfig",
    "TextFields",
    "TfidfModel",
    "aggregate",
    "available_models",
    "code_levels",
    "code_overlap",
    "content_key",
    "get_model",
    "minilm_model_dir",
    "register_model",
    "score_proposals",
    "top_k_rows",
]
