"""Randomized assignment runs (issue 14): no pair above the probability cap, the seed recorded so the
draw can be reproduced, conflicts and the side's rules kept, bad caps refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from sciencebridge.review.models import AssignmentRun, RunState
from sciencebridge.review.services import assignment as svc

pytestmark = pytest.mark.django_db


def _seats(run):
    return sorted(run.assignments.values_list("proposal_id", "expert_id"))


def test_randomized_run_keeps_the_rules_and_records_its_draw(
    rw, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = svc.start_run(rw.itc_officer, rw.call, "HK", mode="randomized", probability_cap=0.5)
    run.refresh_from_db()
    assert run.state == RunState.PROPOSED, run.error
    assert run.error == ""  # check_assignment found no violated rule
    assert run.parameters["probability_cap"] == 0.5 and isinstance(run.parameters["seed"], int)
    seats = list(run.assignments.select_related("expert", "half"))
    assert len(seats) == 3 * len(rw.proposals)
    assert all(a.half.side == "HK" and a.expert.region == "HK" for a in seats)
    assert rw.conflicted.pk not in {a.expert_id for a in seats}
    assert run.parameters["expected_objective"] > 0
    # the same seed gives the same draw (an auditor can reproduce it)
    first = _seats(run)
    run.state = RunState.RUNNING
    run.save(update_fields=["state"])
    svc.execute_job(run.job, run.pk)
    run.refresh_from_db()
    assert _seats(run) == first


def test_probability_cap_must_be_a_probability(rw):
    for cap in (0, -0.1, 1.5):
        with pytest.raises(ValidationError, match="probability cap"):
            svc.start_run(rw.itc_officer, rw.call, "HK", mode="randomized", probability_cap=cap)


def test_randomized_mode_is_offered_on_the_call_page_and_shown_on_the_run(
    rw, client, django_capture_on_commit_callbacks
):
    client.force_login(rw.itc_officer)
    page = client.get(reverse("review:call", args=[rw.call.code])).content.decode()
    assert 'value="randomized"' in page and 'name="probability_cap"' in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("review:start_run", args=[rw.call.code, "hk"]),
            {"mode": "randomized", "probability_cap": "0.6", "model": "tfidf"},
        )
    assert resp.status_code == 302
    run = AssignmentRun.objects.get(call=rw.call, side="HK")
    assert run.mode == "randomized" and run.parameters["probability_cap"] == 0.6
    with translation.override("zh-hant"):
        body = client.get(reverse("review:run", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant")
    text = body.content.decode()
    assert "隨機化" in text and "機率上限" in text and str(run.parameters["seed"]) in text
