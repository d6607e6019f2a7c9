"""Issue 11: calibrated scores stay on the reviews' 1–10 scale (a harsh reviewer's 10 once came out as
10.96), and the pages say so."""

import pytest
from django.urls import reverse

from sciencebridge.decisions.services import panel as psvc
from sciencebridge.decisions.services.ranking import ReviewScore, rank_panel

pytestmark = pytest.mark.django_db

# A harsh reviewer (H) marks low where a neutral one (N) gives 8, and is the only reviewer of C, which
# gets full marks: C's calibrated score is 10 minus H's (negative) offset, off the scale.
HARSH = [
    ReviewScore("A", "H", 2),
    ReviewScore("B", "H", 3),
    ReviewScore("C", "H", 10),
    ReviewScore("A", "N", 8),
    ReviewScore("B", "N", 8),
]


def test_calibration_without_a_scale_leaves_it_and_with_the_scale_stays_on_it():
    free = rank_panel(HARSH)
    c_free = next(i for i in free.items if i.item == "C")
    assert (
        c_free.calibrated > 10 and max(r.calibrated for r in c_free.reviews) > 10
    )  # the bug, reproduced
    kept = rank_panel(HARSH, scale=(1, 10))
    for item in kept.items:
        assert 1 <= item.calibrated <= 10
        assert all(1 <= r.calibrated <= 10 for r in item.reviews)
    c = next(i for i in kept.items if i.item == "C")
    assert c.calibrated == 10 and c.rank == 1
    assert [i.item for i in kept.items] == [
        i.item for i in free.items
    ]  # the order does not change here


def test_panel_pages_show_calibrated_scores_on_the_scale(dworld, eligible_pair, add_review, client):
    props = [eligible_pair() for _ in range(3)]
    for p, harsh in zip(props, (2, 3, 10), strict=True):
        add_review(p.half("HK"), "Harsh Reviewer", {"quality": harsh, "feasibility": harsh})
    for p in props[:2]:
        add_review(p.half("HK"), "Neutral Reviewer", {"quality": 8, "feasibility": 8})
    view = psvc.panel_view(psvc.panel_for(dworld.call, "HK"), viewer=dworld.itc_officer)
    for row in view.rows:
        assert 1 <= row.result.calibrated <= 10
    top = view.rows[0]
    assert top.half.proposal == props[2] and top.result.calibrated == 10
    client.force_login(dworld.itc_officer)
    html = client.get(reverse("decisions:panel", args=[dworld.call.code, "hk"])).content.decode()
    assert "10.96" not in html and "Calibrated scores stay on the same 1–10 scale" in html
    html = client.get(
        reverse("decisions:recommend", args=[dworld.call.code, "hk", props[2].reference])
    ).content.decode()
    assert "Calibrated scores stay on the same 1–10 scale" in html
    html = client.get(reverse("decisions:meeting", args=[dworld.call.code])).content.decode()
    assert "Calibrated scores stay on the same 1–10 scale" in html
