import json

import pytest

from matching.evaluation.gold import load_gold
from matching.evaluation.metric import participant_cost
from matching.evaluation.run import ConfigKey, config_costs, cross_validate, select


@pytest.fixture
def tiny_gold(tmp_path):
    subs = {
        "s1": {
            "id": "s1",
            "content": {
                "title": "Protein folding with deep learning",
                "abstract": "Protein structure.",
            },
        },
        "s2": {
            "id": "s2",
            "content": {"title": "Coastal sediment", "abstract": "Waves and estuaries."},
        },
        "s3": {
            "id": "s3",
            "content": {"title": "Protein design", "abstract": "Designing protein sequences."},
        },
    }
    (tmp_path / "submissions.json").write_text(json.dumps(subs))
    header = (
        "ParticipantID\t"
        + "\t".join(f"Paper{i}" for i in range(1, 11))
        + "\t"
        + "\t".join(f"Expertise{i}" for i in range(1, 11))
    )
    rows = [
        "u1\ts1\ts2\ts3" + "\t" * 7 + "\t5\t1\t4" + "\t" * 7,
        "u2\ts2\ts1" + "\t" * 8 + "\t5\t2" + "\t" * 8,
    ]
    (tmp_path / "evaluations.tsv").write_text(header + "\n" + "\n".join(rows) + "\n")
    (tmp_path / "archives").mkdir()
    (tmp_path / "archives" / "~u1.jsonl").write_text(
        json.dumps(
            {
                "id": "a",
                "content": {"title": "Deep learning for protein folding", "abstract": "protein"},
            }
        )
        + "\n"
    )
    (tmp_path / "archives" / "~u2.jsonl").write_text(
        json.dumps(
            {"id": "b", "content": {"title": "Sediment in estuaries", "abstract": "waves coastal"}}
        )
        + "\n"
    )
    return tmp_path


def test_load_and_score_tiny_gold(tiny_gold):
    gold = load_gold(tiny_gold)
    assert [p.ratings for p in gold.participants] == [(5.0, 1.0, 4.0), (5.0, 2.0)]
    costs = config_costs(
        gold, models=["tfidf"], fields=["title+abstract"], aggs=["max"], log=lambda s: None
    )
    c = costs[ConfigKey("tfidf", "title+abstract", "max")]
    # u2: the sediment paper (rated 5) must score above the protein paper (rated 2)
    assert c[1].cost == 0 and c[1].weight == 3


def test_cross_validation_picks_on_training_folds_only():
    good = [participant_cost([5, 1], [1, 0])] * 6
    bad = [participant_cost([5, 1], [0, 1])] * 6
    costs = {ConfigKey("a", "f", "max"): good, ConfigKey("b", "f", "max"): bad}
    assert select(costs, range(6)) == ConfigKey("a", "f", "max")
    cv = cross_validate(costs, n_folds=3, repeats=2)
    assert sum(x.cost for x in cv.heldout) == 0
    assert cv.chosen == {ConfigKey("a", "f", "max"): 6}


def test_nested_cv_helper_keeps_only_held_out_costs():
    from matching.evaluation.averaging import cv

    seen_train = []

    def fit_and_score(train):
        seen_train.append(set(train.tolist()))
        # cost 1 for participants in training (must never be counted), 0 for held-out ones
        return [
            participant_cost([5, 1], [0, 1] if i in set(train.tolist()) else [1, 0])
            for i in range(10)
        ]

    held = cv(fit_and_score, range(10), n_folds=5, repeats=3)
    assert len(held) == 10 and sum(c.cost for c in held) == 0
    assert all(len(t) == 8 for t in seen_train)


def test_linearised_configuration_maps_onto_engine_config():
    from matching.affinity import ScorerConfig
    from matching.evaluation.averaging import Linearised

    lin = Linearised((0.16, 0.16, 0.68), (("top2", 5), ("top3", 5)))
    cfg = ScorerConfig(
        model_options=lin.model_options(),
        aggregation="mix",
        aggregation_mix=lin.aggregation_mix(),
    )
    assert cfg.model_options == {"weights": {"tfidf": 0.16, "bm25": 0.16, "neural": 0.68}}
    assert cfg.aggregations() == [("topk", 2, 0.5), ("topk", 3, 0.5)]
