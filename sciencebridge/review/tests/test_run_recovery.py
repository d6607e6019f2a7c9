"""An assignment run survives a lost worker, a broker outage and a person giving up on it (jobs app, issue 18)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.models import StateTransition
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.core.workflow import transition
from sciencebridge.jobs import runner
from sciencebridge.jobs.models import Job, JobState
from sciencebridge.jobs.reaper import reap
from sciencebridge.review.models import Assignment, RunState
from sciencebridge.review.services import assignment as svc

pytestmark = pytest.mark.django_db


def _queued_run(rw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(
        execute=False
    ):  # committed, but not yet handed to a worker
        return svc.start_run(rw.itc_officer, rw.call, "HK")


def _lose_worker(run):
    """What a worker killed mid-run leaves behind: the job claimed and leased, the run "running"."""
    assert runner.claim(run.job_id) is not None
    transition(run, RunState.RUNNING, actor=run.created_by)
    Job.objects.filter(pk=run.job_id).update(
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_lost_attempt_is_recomputed_once_no_duplicate_effect(
    rw, django_capture_on_commit_callbacks, settings
):
    settings.JOBS_RETRY_BACKOFF = 0
    run = _queued_run(rw, django_capture_on_commit_callbacks)
    _lose_worker(run)
    assert (
        reap()["requeued"] == 1
    )  # the reaper requeues and sends it again (sync backend: runs now)
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert run.state == RunState.PROPOSED and job.state == JobState.DONE and job.attempts == 2
    pairs = set(run.assignments.values_list("half_id", "expert_id"))
    assert len(pairs) == run.assignments.count() == job.result["pairs"] > 0
    # Any late delivery or second execution changes nothing.
    runner.execute(job.pk)
    svc.execute_job(job, run_id=run.pk)
    assert Assignment.objects.filter(run=run).count() == len(pairs)
    assert (
        StateTransition.objects.filter(
            object_id=run.pk, to_state=RunState.PROPOSED, content_type__model="assignmentrun"
        ).count()
        == 1
    )


def test_given_up_run_fails_and_a_new_run_can_start(rw, django_capture_on_commit_callbacks):
    run = _queued_run(rw, django_capture_on_commit_callbacks)
    _lose_worker(run)
    Job.objects.filter(pk=run.job_id).update(max_attempts=1)
    assert reap()["given_up"] == 1
    run.refresh_from_db()
    assert run.state == RunState.FAILED and "stopped responding" in run.error
    again = _queued_run(
        rw, django_capture_on_commit_callbacks
    )  # not refused as "already in progress"
    assert again.state == RunState.QUEUED


def test_broker_down_officer_sees_waiting_not_an_error(
    rw, client, settings, django_capture_on_commit_callbacks
):
    from sciencebridge.celery import app
    from sciencebridge.jobs.tests.conftest import CLOSED_PORT_BROKER, use_broker

    settings.JOBS_BACKEND = "celery"
    saved = app.conf.broker_url
    use_broker(CLOSED_PORT_BROKER)
    client.force_login(rw.itc_officer)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(
                reverse("review:start_run", args=[rw.call.code, "hk"]), {"mode": "optimal"}
            )
    finally:
        use_broker(saved)
    assert r.status_code == 302
    run = rw.call.assignment_runs.get()
    page = client.get(r.url).content.decode()
    assert "Waiting for the queue" in page and "will be retried automatically" in page
    assert reverse("jobs:detail", args=[run.job_id]) in page
    status = client.get(
        reverse("review:run_status", args=[run.pk])
    ).json()  # what the page's poll shows
    assert (
        status["status_label"] == "Waiting for the queue"
        and "retried automatically" in status["reason"]
    )
    # The broker is back (here: the inline backend): the reaper's next round sends and runs it.
    settings.JOBS_BACKEND = "sync"
    Job.objects.filter(pk=run.job_id).update(next_attempt_at=timezone.now())
    assert reap()["sent"] == 1
    run.refresh_from_db()
    assert run.state == RunState.PROPOSED


def test_another_officer_of_the_side_cancels_a_stuck_run_other_agency_cannot(
    rw, client, django_capture_on_commit_callbacks
):
    run = _queued_run(rw, django_capture_on_commit_callbacks)
    _lose_worker(run)
    colleague = UserFactory(username="itc_officer_2", agency=rw.itc, roles=[Role.PROGRAMME_OFFICER])
    client.force_login(rw.most_officer)
    assert client.post(reverse("jobs:cancel", args=[run.job_id])).status_code == 403
    client.force_login(colleague)
    page = client.get(reverse("jobs:detail", args=[run.job_id])).content.decode()
    assert "Stalled" in page and "Retry now" in page
    assert client.post(reverse("jobs:cancel", args=[run.job_id])).status_code == 302
    run.refresh_from_db()
    assert (
        run.state == RunState.FAILED and Job.objects.get(pk=run.job_id).state == JobState.CANCELLED
    )
