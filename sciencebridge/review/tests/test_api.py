import pytest
from rest_framework.test import APIClient

from sciencebridge.review.models import Assignment
from sciencebridge.review.services import invitations as inv
from sciencebridge.review.services import reviews as rsvc

pytestmark = pytest.mark.django_db


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_officers_see_their_own_sides_runs_and_seats(published, run_sync):
    rw = published.world
    ml_run = run_sync(rw.most_officer, rw.call, "ML")
    itc = api(rw.itc_officer).get("/api/v1/review/runs/").json()
    assert [r["id"] for r in itc["results"]] == [published.run.pk]
    most = api(rw.most_officer).get("/api/v1/review/runs/").json()
    assert [r["id"] for r in most["results"]] == [ml_run.pk]
    seats = api(rw.itc_officer).get("/api/v1/review/assignments/", {"state": "invited"}).json()
    assert seats["count"] == 12 and {s["side"] for s in seats["results"]} == {"HK"}
    assert api(rw.most_officer).get(f"/api/v1/review/runs/{published.run.pk}/").status_code == 404
    for user in (rw.hk_lead, rw.experts["HK"][0].user):
        assert api(user).get("/api/v1/review/assignments/").json()["count"] == 0


def test_expert_sees_only_own_reviews(published):
    a = published.run.assignments.select_related("expert__user").first()
    user = a.expert.user
    inv.accept(user, a)
    inv.confirm_no_conflict(user, a)
    review = rsvc.draft_for(user, a)
    mine = api(user).get("/api/v1/review/my-reviews/").json()
    assert [r["id"] for r in mine["results"]] == [review.pk] and len(
        mine["results"][0]["scores"]
    ) == 3
    invs = api(user).get("/api/v1/review/my-invitations/").json()
    assert a.pk in [x["id"] for x in invs["results"]]
    other = (
        Assignment.objects.exclude(expert=a.expert)
        .select_related("expert__user")
        .first()
        .expert.user
    )
    assert api(other).get(f"/api/v1/review/my-reviews/{review.pk}/").status_code == 404
    assert api(published.world.itc_officer).get("/api/v1/review/my-reviews/").json()["count"] == 0
