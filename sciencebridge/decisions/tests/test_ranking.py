"""The panel maths on hand-checked numbers (no database)."""

import math

import pytest

from sciencebridge.decisions.services.ranking import (
    ReviewScore,
    fit_offsets,
    rank_panel,
    weighted_score,
)


def test_weighted_score_uses_weights_and_skips_unscored():
    assert weighted_score({"a": 4, "b": 1}, {"a": 2, "b": 1}) == pytest.approx(
        3.0
    )  # (2*4 + 1*1) / 3
    assert weighted_score({"a": 4, "b": None}, {"a": 2, "b": 1}) == pytest.approx(4.0)
    assert weighted_score({"c": 5}, {}) == pytest.approx(5.0)  # unknown criterion weighs 1
    assert weighted_score({}, {"a": 1}) is None
    assert weighted_score({"a": 3}, {"a": 0}) is None


def R(item, reviewer, score):
    return ReviewScore(item, reviewer, score)


def test_two_by_two_offsets_without_shrinkage():
    # r1 gives 8 and 6, r2 gives 6 and 4: r1 is 2 points more lenient, offsets ±1 (mean pinned at 0).
    reviews = [R("A", "r1", 8), R("A", "r2", 6), R("B", "r1", 6), R("B", "r2", 4)]
    quality, offset, _ = fit_offsets(reviews, shrinkage=0)
    assert offset == pytest.approx({"r1": 1.0, "r2": -1.0})
    assert quality == pytest.approx({"A": 7.0, "B": 5.0})
    res = rank_panel(reviews, shrinkage=0)
    a = res.items[0]
    assert a.item == "A" and a.raw == pytest.approx(7) and a.calibrated == pytest.approx(7)
    assert a.spread == pytest.approx(2) and a.sd == pytest.approx(math.sqrt(2))
    assert [r.calibrated for r in a.reviews] == pytest.approx(
        [7, 7]
    )  # calibration removes the spread


def test_shrinkage_pulls_offsets_towards_zero():
    # With shrinkage 1 each reviewer's two residuals (+1, +1) are divided by 2 + 1: offset 2/3.
    reviews = [R("A", "r1", 8), R("A", "r2", 6), R("B", "r1", 6), R("B", "r2", 4)]
    res = rank_panel(reviews, shrinkage=1)
    assert res.reviewers["r1"].offset == pytest.approx(2 / 3)
    assert res.reviewers["r2"].offset == pytest.approx(-2 / 3)
    assert res.reviewers["r1"].mean == pytest.approx(7) and res.reviewers["r1"].n == 2
    a = res.items[0]
    assert [r.calibrated for r in a.reviews] == pytest.approx([8 - 2 / 3, 6 + 2 / 3])


def test_calibration_reorders_a_harsh_and_a_lenient_reviewer():
    # Neutral N1, N2; harsh H (-2); lenient L (+2). True qualities X 7, Y 6, Z 6.5, W 6.
    reviews = [
        R("X", "H", 5),
        R("X", "N1", 7),
        R("Y", "L", 8),
        R("Y", "N2", 6),
        R("Z", "N1", 6.5),
        R("Z", "N2", 6.5),
        R("W", "H", 4),
        R("W", "L", 8),
    ]
    res = rank_panel(reviews, shrinkage=0)
    offsets = {k: v.offset for k, v in res.reviewers.items()}
    assert offsets == pytest.approx({"H": -2, "L": 2, "N1": 0, "N2": 0}, abs=1e-6)
    by = {i.item: i for i in res.items}
    # Raw: Y 7 > Z 6.5 > X 6 = W 6 (tie broken by key: W before X).
    assert [by[k].raw_rank for k in "YZWX"] == [1, 2, 3, 4]
    # Calibrated: X 7 > Z 6.5 > Y 6 = W 6 (tie broken by raw score: Y 7 before W 6).
    assert [i.item for i in res.items] == ["X", "Z", "Y", "W"]
    assert [i.calibrated for i in res.items] == pytest.approx([7, 6.5, 6, 6], abs=1e-6)
    assert by["X"].spread == pytest.approx(2) and by["W"].spread == pytest.approx(4)


def test_unreviewed_items_come_last_and_single_reviews_have_no_sd():
    res = rank_panel([R("A", "r1", 5)], items=["A", "B"])
    assert [i.item for i in res.items] == ["A", "B"]
    assert res.items[0].sd is None and res.items[0].spread == 0
    assert res.items[1].n == 0 and math.isnan(res.items[1].raw) and res.items[1].rank == 2
    # One reviewer alone: with shrinkage 1 the single residual is 0, so no offset at all.
    assert res.reviewers["r1"].offset == pytest.approx(0)


def test_empty_panel():
    res = rank_panel([])
    assert res.items == [] and res.reviewers == {}


def test_negative_shrinkage_is_refused():
    with pytest.raises(ValueError):
        fit_offsets([], shrinkage=-1)
