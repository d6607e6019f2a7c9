"""Issue 17: valid-review minimums, the overseas share in the assignment, similar proposals given
the same reviewers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciencebridge.core.testing.factories import InstitutionFactory
from sciencebridge.decisions.services import panel as psvc
from sciencebridge.review.models import (
    AssignmentState,
    RunState,
    SideReviewRules,
)
from sciencebridge.review.services import assignment as svc
from sciencebridge.review.services import invitations as inv
from sciencebridge.review.services import reviews as rsvc
from sciencebridge.review.validity import side_rules, valid_review_counts

from .conftest import TOPICS, make_eligible, make_expert, rules, write

pytestmark = pytest.mark.django_db


# ----------------------------------------------------------------------------------------------
# Overseas share
# ----------------------------------------------------------------------------------------------
def test_overseas_share_reserves_seats_for_overseas_experts(rw, run_sync):
    overseas_inst = InstitutionFactory(code="ov-u", name="Overseas University", region="OV")
    overseas = [
        make_expert(f"ov{topic}", "OV", overseas_inst, topic, 50 + i)
        for i, topic in enumerate(TOPICS)
    ]
    rules(rw, "HK", reviews_invited=3, min_overseas_percent=34, min_valid_reviews=2)
    run = run_sync(rw.itc_officer, rw.call, "HK")
    assert run.state == RunState.PROPOSED and run.error == ""
    assert run.parameters["reviews_needed"] == 3
    assert run.parameters["region_minimums"] == {"OV": 2}  # 34 % of 3, rounded up
    seats = list(run.assignments.select_related("expert", "proposal"))
    for p in rw.proposals:
        regions = sorted(a.expert.region for a in seats if a.proposal_id == p.pk)
        assert regions == ["HK", "OV", "OV"], regions
    assert run.unassignable == {}
    # the topic's own overseas expert is chosen
    battery = next(p for p in rw.proposals if p.title.startswith("Solid-state"))
    assert overseas[0].pk in {a.expert_id for a in seats if a.proposal_id == battery.pk}
    # the Mainland side has no overseas rule: its own experts only
    ml = run_sync(rw.most_officer, rw.call, "ML")
    assert {a.expert.region for a in ml.assignments.select_related("expert")} == {"ML"}


def test_overseas_expert_may_be_added_by_hand_only_where_the_side_has_an_overseas_share(
    rw, run_sync
):
    ov = make_expert("ovbattery", "OV", InstitutionFactory(code="ov-x", region="OV"), "battery", 7)
    hk_run = run_sync(rw.itc_officer, rw.call, "HK")
    unit = svc.units_for(rw.call, "HK")[0]
    assert any("region" in p for p in svc.check_candidate(hk_run, unit, ov))
    rules(rw, "HK", min_overseas_percent=30)
    hk_run = run_sync(rw.itc_officer, rw.call, "HK")
    assert not any("region" in p for p in svc.check_candidate(hk_run, unit, ov))


# ----------------------------------------------------------------------------------------------
# Similar proposals
# ----------------------------------------------------------------------------------------------
def test_similar_proposals_share_reviewers_and_the_officer_sees_why(rw, run_sync, client):
    twin = make_eligible(rw, "Solid-state lithium battery electrolytes, second study", "battery")
    rules(rw, "HK", similarity_threshold=Decimal("0.5"), min_valid_reviews=2)
    run = run_sync(rw.itc_officer, rw.call, "HK")
    assert run.state == RunState.PROPOSED and run.error == ""
    battery = next(p for p in rw.proposals if p.title.startswith("Solid-state"))
    assert len(run.groups) == 1
    group = run.groups[0]
    assert set(group["references"]) == {battery.reference, twin.reference}
    assert group["pairs"][0][2] >= 0.5
    assert "battery" in [t for t, _w in group["terms"]] or "lithium" in [
        t for t, _w in group["terms"]
    ]
    assert group["status"] == "full" and len(group["shared"]) == 3
    by = {}
    for a in run.assignments.all():
        by.setdefault(a.proposal_id, set()).add(a.expert_id)
    assert by[battery.pk] == by[twin.pk] == set(group["shared"])

    client.force_login(rw.itc_officer)
    page = client.get(reverse("review:run", args=[run.pk])).content.decode()
    assert 'id="similar-groups"' in page and twin.reference in page
    assert "Every reviewer shared" in page
    api = client.get(f"/api/v1/review/runs/{run.pk}/").json()
    assert api["groups"][0]["references"] == group["references"]
    assert api["groups"][0]["status"] == "full"
    # the other agency's officer sees neither the run nor its groups
    client.force_login(rw.most_officer)
    assert client.get(f"/api/v1/review/runs/{run.pk}/").status_code == 404


def test_groups_hide_proposals_the_viewer_has_a_conflict_with():
    from sciencebridge.review.api import visible_groups

    groups = [
        {
            "references": ["A", "B", "C"],
            "proposals": [1, 2, 3],
            "pairs": [["A", "B", 0.9], ["B", "C", 0.8]],
            "terms": [["x", 1.0]],
            "shared": [5],
            "status": "full",
        },
        {"references": ["D", "E"], "proposals": [4, 6], "pairs": [["D", "E", 0.7]]},
    ]
    shown = visible_groups(groups, {3, 6})
    assert [g["references"] for g in shown] == [["A", "B"]]
    assert shown[0]["pairs"] == [["A", "B", 0.9]]


# ----------------------------------------------------------------------------------------------
# Valid reviews
# ----------------------------------------------------------------------------------------------
def test_valid_reviews_are_complete_on_time_and_conflict_free(reviewed):
    rw = reviewed.world
    counts = valid_review_counts(rw.call, "HK")
    c = counts[reviewed.battery.pk]
    assert (c.submitted, c.valid, c.late, c.conflicted, c.required) == (3, 1, 1, 1, 3)
    assert not c.gradable and c.missing == 2
    assert c.valid_review_ids == [reviewed.reviews[0].pk]
    # a review with a criterion left unscored is incomplete
    reviewed.reviews[0].scores.update(score=None)
    c = valid_review_counts(rw.call, "HK")[reviewed.battery.pk]
    assert (c.valid, c.incomplete) == (0, 1)
    # a side whose rules do not ask for punctuality counts the late review
    SideReviewRules.objects.filter(scheme_side__side="HK").update(valid_requires_on_time=False)
    assert valid_review_counts(rw.call, "HK")[reviewed.battery.pk].valid == 1


def test_valid_review_counts_take_a_fixed_number_of_queries(reviewed):
    rw = reviewed.world
    with CaptureQueriesContext(connection) as few:
        valid_review_counts(rw.call, "HK")
    for p in rw.proposals[1:]:
        for a in reviewed.run.assignments.filter(proposal=p).select_related("expert__user", "run"):
            write(a)
    with CaptureQueriesContext(connection) as many:
        counts = valid_review_counts(rw.call, "HK")
    assert len(counts) == len(rw.proposals)
    assert len(many) == len(few) <= 5


def test_panel_marks_too_few_valid_reviews_not_gradable_and_refuses_a_grade(reviewed, client):
    rw = reviewed.world
    other = next(p for p in rw.proposals if p.title.startswith("Deep learning"))
    for a in reviewed.run.assignments.filter(proposal=other).select_related("expert__user", "run"):
        write(a, score=3)
    panel = psvc.panel_for(rw.call, "HK")
    view = psvc.panel_view(panel, viewer=rw.itc_officer)
    battery_half = reviewed.battery.half("HK")
    item = view.result_for(battery_half)
    assert not item.gradable
    graded = view.result_for(other.half("HK"))
    # the battery proposal scored 7s, the other 3s: still, only the graded one ranks first
    assert graded.gradable and graded.rank == 1 and item.rank > graded.rank
    assert view.n_not_gradable >= 1

    client.force_login(rw.itc_officer)
    page = client.get(reverse("decisions:panel", args=[rw.call.code, "hk"])).content.decode()
    row = page[page.index(f'data-ref="{reviewed.battery.reference}"') :]
    row = row[: row.index("</tr>")]
    assert "data-not-gradable" in row and "1 of 3 valid" in row and "Not gradable" in row
    assert f"{reverse('review:run', args=[reviewed.run.pk])}#unit-h{battery_half.pk}" in row
    assert 'id="valid-rule"' in page

    # the chair cannot grade it, and sees why; a chair does not get the officer's invite link
    panel.chair = rw.chair
    panel.save(update_fields=["chair"])
    with pytest.raises(ValidationError) as exc:
        psvc.record_recommendation(
            rw.chair, battery_half, recommendation="fund", notes="Strong.", conditions=""
        )
    assert "1 of 3 valid reviews" in str(exc.value)
    client.force_login(rw.chair)
    page = client.get(reverse("decisions:panel", args=[rw.call.code, "hk"])).content.decode()
    assert "Not gradable" in page and "data-invite-more" not in page
    detail = client.get(
        reverse("decisions:recommend", args=[rw.call.code, "hk", reviewed.battery.reference])
    ).content.decode()
    assert 'id="not-gradable"' in detail
    # once the rule is met, the recommendation is recorded
    SideReviewRules.objects.filter(scheme_side__side="HK").update(min_valid_reviews=1)
    rec = psvc.record_recommendation(
        rw.chair, battery_half, recommendation="fund", notes="Strong.", conditions=""
    )
    assert rec.recommendation == "fund"


def test_seat_api_gives_valid_counts_and_the_gradable_flag(reviewed, client):
    rw = reviewed.world
    client.force_login(rw.itc_officer)
    rows = client.get(f"/api/v1/review/assignments/?run={reviewed.run.pk}&page_size=100").json()
    rows = rows.get("results", rows)
    battery = [r for r in rows if r["proposal"] == reviewed.battery.reference]
    assert len(battery) == 3
    assert {(r["valid_reviews"], r["reviews_required"], r["gradable"]) for r in battery} == {
        (1, 3, False)
    }
    assert sorted(str(r["review_valid"]) for r in battery) == ["False", "False", "True"]
    untouched = [r for r in rows if r["proposal"] != reviewed.battery.reference]
    assert all(r["review_valid"] is None and r["valid_reviews"] == 0 for r in untouched)


def test_reviewers_and_applicants_see_no_counts_nor_other_reviewers(reviewed, client):
    rw = reviewed.world
    seats = list(
        reviewed.run.assignments.filter(state=AssignmentState.INVITED).select_related(
            "expert__user"
        )
    )
    seat = seats[0]
    inv.accept(seat.expert.user, seat)
    inv.confirm_no_conflict(seat.expert.user, seat)
    review = rsvc.draft_for(seat.expert.user, seat)
    others = [str(a.expert) for a in reviewed.run.assignments.filter(proposal=seat.proposal)]
    client.force_login(seat.expert.user)
    page = client.get(reverse("review:review", args=[review.pk])).content.decode()
    for name in others:
        if name != str(seat.expert):
            assert name not in page
    # the applicant's own views never name a reviewer
    client.force_login(rw.hk_lead)
    for url in (
        reverse("decisions:outcome", args=[reviewed.battery.reference]),
        "/api/v1/review/assignments/",
    ):
        body = client.get(url).content.decode()
        for name in others:
            assert name not in body


def test_shared_review_takes_the_stricter_side_rules(rw):
    rules(rw, "HK", min_valid_reviews=2, min_overseas_percent=50, reviews_invited=8)
    rules(rw, "ML", min_valid_reviews=3, similarity_threshold=Decimal("0.6"))
    shared = side_rules(rw.scheme, "")
    assert (shared.min_valid_reviews, shared.min_overseas_percent, shared.reviews_invited) == (
        3,
        50,
        8,
    )
    assert shared.similarity_threshold == 0.6
    assert side_rules(rw.scheme, "HK").overseas_minimum(8) == 4
    params = svc.run_parameters(rw.call, "HK")
    assert params["reviews_needed"] == 8 and params["region_minimums"] == {"OV": 4}


def test_panel_page_queries_do_not_grow_with_reviewed_or_not_gradable_proposals(reviewed, client):
    rw = reviewed.world
    client.force_login(rw.itc_officer)
    url = reverse("decisions:panel", args=[rw.call.code, "hk"])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for p in rw.proposals[1:]:
        seats = list(reviewed.run.assignments.filter(proposal=p).select_related("expert__user"))
        for a in seats[:2]:  # two of three: every one of them not gradable
            write(a)
    page = client.get(url).content.decode()
    assert page.count("data-not-gradable") == len(rw.proposals)
    assert count() == before
