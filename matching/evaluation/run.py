"""Grid of engine configurations scored on the gold standard, with leave-participants-out CV."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matching.affinity.scorer import AffinityScorer, ScorerConfig
from matching.affinity.types import TextFields, proposal_text
from matching.evaluation.gold import GoldStandard
from matching.evaluation.metric import ParticipantCost, participant_cost, summarise

FIELDS = {
    "title+abstract": TextFields(),
    "abstract": TextFields(use_title=False),
    "2*title+abstract": TextFields(title_repeat=2),
}
MODELS: dict[str, tuple[str, dict]] = {
    "tfidf": ("tfidf", {}),
    "bm25": ("bm25", {}),
    "neural": ("neural", {}),
    "ens(tfidf,n=.5)": ("ensemble", {"neural_weight": 0.5, "lexical": "tfidf"}),
    "ens(tfidf,n=.7)": ("ensemble", {"neural_weight": 0.7, "lexical": "tfidf"}),
    "ens(tfidf,n=.85)": ("ensemble", {"neural_weight": 0.85, "lexical": "tfidf"}),
    "ens(bm25,n=.5)": ("ensemble", {"neural_weight": 0.5, "lexical": "bm25"}),
    "ens(bm25,n=.7)": ("ensemble", {"neural_weight": 0.7, "lexical": "bm25"}),
    # The fast family: no transformer at encode time (static MiniLM embeddings + lexical models).
    "neural-fast": ("neural-fast", {}),
    "ens(tfidf,fast=.5)": ("ensemble", {"weights": {"tfidf": 0.5, "neural-fast": 0.5}}),
    "ens(bm25,fast=.5)": ("ensemble", {"weights": {"bm25": 0.5, "neural-fast": 0.5}}),
    "ens(tfidf,bm25,fast)": ("ensemble-fast", {}),
}
# Models whose encoders never run a transformer: what the "fast" selection may choose from.
FAST_MODELS = (
    "tfidf",
    "bm25",
    "neural-fast",
    "ens(tfidf,fast=.5)",
    "ens(bm25,fast=.5)",
    "ens(tfidf,bm25,fast)",
)
# The grid the earlier evaluation fixed before looking at results ("any" chooses among these).
ORIGINAL_MODELS = tuple(m for m in MODELS if "fast" not in m)
AGGS: dict[str, tuple[str, int]] = {
    "max": ("max", 1),
    "mean": ("mean", 1),
    "top2": ("topk", 2),
    "top3": ("topk", 3),
    "top5": ("topk", 5),
}

PRIMARY_AGGS = ("max", "top2", "top3")


@dataclass(frozen=True)
class ConfigKey:
    model: str
    fields: str
    agg: str

    def __str__(self) -> str:
        return f"{self.model} | {self.fields} | {self.agg}"

    def scorer_config(self) -> ScorerConfig:
        name, opts = MODELS[self.model]
        agg, k = AGGS[self.agg]
        return ScorerConfig(
            model=name,
            model_options=opts,
            aggregation=agg,
            top_k_papers=k,
            fields=FIELDS[self.fields],
        )


def config_costs(
    gold: GoldStandard,
    models: Sequence[str] = tuple(MODELS),
    fields: Sequence[str] = tuple(FIELDS),
    aggs: Sequence[str] = tuple(AGGS),
    cache: Path | None = None,
    log=print,
) -> dict[ConfigKey, list[ParticipantCost]]:
    """Per-participant metric pieces for every configuration in the grid."""
    experts = [gold.experts[p.id] for p in gold.participants]
    sub_ids = list(gold.submissions)
    sub_pos = {s: i for i, s in enumerate(sub_ids)}
    proposals = [gold.submissions[s] for s in sub_ids]
    out: dict[ConfigKey, list[ParticipantCost]] = {}
    for m, f in itertools.product(models, fields):
        base = ConfigKey(m, f, aggs[0]).scorer_config()
        scorer = AffinityScorer(
            experts,
            base,
            cache=cache,
            extra_fit_texts=[proposal_text(p, base.fields) for p in proposals],
        )
        q = scorer.encode_proposals(proposals)
        for a in aggs:
            key = ConfigKey(m, f, a)
            scorer.config = key.scorer_config()
            scores = scorer.score_dense_encoded(q)  # submissions x participants
            out[key] = [
                participant_cost(p.ratings, scores[[sub_pos[s] for s in p.paper_ids], e])
                for e, p in enumerate(gold.participants)
            ]
        log(f"  scored {m} | {f}")
    return out


def select(costs: dict[ConfigKey, list[ParticipantCost]], rows: np.ndarray) -> ConfigKey:
    """The configuration with the lowest pooled loss over the given participants (first on ties)."""

    def loss(k):
        c = costs[k]
        return sum(c[i].cost for i in rows) / sum(c[i].weight for i in rows)

    return min(costs, key=loss)


@dataclass
class CVResult:
    heldout: list[ParticipantCost]  # one per participant, averaged over repeats
    chosen: dict[ConfigKey, int]  # how often each config was selected on the training folds


def cross_validate(
    costs: dict[ConfigKey, list[ParticipantCost]],
    n_folds: int = 5,
    repeats: int = 20,
    seed: int = 0,
) -> CVResult:
    """Leave-participants-out CV of "pick the configuration with the lowest training loss".

    Each participant's held-out cost is averaged over the repeats (so it stays one unit for the
    bootstrap over participants)."""
    n = len(next(iter(costs.values())))
    rng = np.random.default_rng(seed)
    acc = np.zeros((n, 6))
    chosen: dict[ConfigKey, int] = {}
    for _ in range(repeats):
        perm = rng.permutation(n)
        for fold in np.array_split(perm, n_folds):
            train = np.setdiff1d(perm, fold)
            best = select(costs, train)
            chosen[best] = chosen.get(best, 0) + 1
            for i in fold:
                c = costs[best][i]
                acc[i] += [c.cost, c.weight, c.easy_correct, c.easy_n, c.hard_correct, c.hard_n]
    acc /= repeats
    held = [
        ParticipantCost(a[0], a[1], a[2], int(round(a[3])), a[4], int(round(a[5]))) for a in acc
    ]
    return CVResult(held, dict(sorted(chosen.items(), key=lambda kv: -kv[1])))


def fmt_summary(s) -> str:
    return f"{s.loss:.3f} [{s.ci_low:.3f}, {s.ci_high:.3f}] | {s.easy_acc:.3f} | {s.hard_acc:.3f}"


__all__ = [
    "AGGS",
    "FAST_MODELS",
    "ORIGINAL_MODELS",
    "FIELDS",
    "MODELS",
    "ConfigKey",
    "config_costs",
    "cross_validate",
    "select",
    "summarise",
]
