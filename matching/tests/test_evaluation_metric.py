import pytest

from matching.evaluation.metric import bootstrap_ci, participant_cost, pooled, summarise


def test_loss_on_hand_computed_example():
    # ratings 5, 3, 1 ; scores order: paper0 > paper2 > paper1 (pair (1,2) reversed)
    c = participant_cost([5, 3, 1], [0.9, 0.1, 0.5])
    # pairs: (0,1) w=2 correct; (0,2) w=4 correct; (1,2) w=2 reversed -> cost 2 / total 8
    assert c.cost == 2 and c.weight == 8
    # easy pairs: (0,2) only (5>=4, 1<=2) -> correct ; hard pairs: none
    assert (c.easy_correct, c.easy_n, c.hard_n) == (1, 1, 0)


def test_ties_cost_half_and_equal_ratings_ignored():
    c = participant_cost([4.5, 4.0, 4.0], [0.3, 0.3, 0.9])
    # (0,1) w=.5 tie -> .25 ; (0,2) w=.5 reversed -> .5 ; (1,2) equal ratings -> ignored
    assert c.cost == pytest.approx(0.75) and c.weight == pytest.approx(1.0)
    # both pairs are hard (both >= 4, different): tie counts half, reversed zero
    assert c.hard_n == 2 and c.hard_correct == pytest.approx(0.5)


def test_pooling_over_participants_weights_by_pair_weight():
    a = participant_cost([5, 1], [1, 0])  # cost 0 / 4
    b = participant_cost([2, 1], [0, 1])  # cost 1 / 1
    loss, easy, hard = pooled([a, b])
    assert loss == pytest.approx(1 / 5) and easy == 1.0


def test_bootstrap_interval_contains_estimate():
    costs = [
        participant_cost([5, 3, 1, 2], s)
        for s in ([3, 2, 1, 0], [0, 1, 2, 3], [1, 3, 2, 0], [3, 1, 2, 0])
    ]
    s = summarise(costs, n_boot=500)
    assert s.ci_low <= s.loss <= s.ci_high
    lo, hi = bootstrap_ci(costs[:1], n_boot=50)
    assert lo == hi == pooled(costs[:1])[0]
