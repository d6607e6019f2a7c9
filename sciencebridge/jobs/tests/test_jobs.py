import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from sciencebridge.jobs import runner
from sciencebridge.jobs.models import Job, JobState, Reason
from sciencebridge.jobs.reaper import reap

from .conftest import CLOSED_PORT_BROKER, use_broker


@pytest.mark.django_db
def test_sync_job_reports_progress_and_result(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.enqueue("selftest", "sciencebridge.jobs.selftest.count_to", params={"n": 4})
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 4 and job.result == {"counted": 4}
    assert job.percent == 100


@pytest.mark.django_db
def test_failed_job_is_recorded_and_not_rerun(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.enqueue("selftest", "sciencebridge.jobs.selftest.fail")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "deliberate failure" in job.error
    assert (
        runner.execute(job.pk).state == JobState.FAILED
    )  # a redelivered message does not run it again


@pytest.mark.django_db
def test_status_endpoint_only_for_owner(client, world):
    job = Job.objects.create(kind="x", handler="x", created_by=world.hk_lead, total=10, progress=3)
    client.force_login(world.outsider)
    assert client.get(f"/jobs/{job.pk}/status/").status_code == 403
    client.force_login(world.hk_lead)
    assert client.get(f"/jobs/{job.pk}/status/").json()["percent"] == 30


@pytest.mark.django_db
def test_progress_message_reads_in_each_readers_language(client, world):
    """A job runs where no reader's language is active: its message is kept as a message id and
    its values, and worded for whoever polls it (a run started from a Chinese page read "Scoring
    40 proposals against the expert database" in English)."""
    from django.utils import translation
    from django.utils.translation import gettext_noop

    from sciencebridge.core.workflow import because

    job = Job.objects.create(kind="x", handler="x", created_by=world.hk_lead, total=5)
    with translation.override("en"):
        job.report(1, 5, because(gettext_noop("Saving %(n)d reviewer proposals"), n=40))
    job.refresh_from_db()
    assert job.message == "Saving 40 reviewer proposals"  # English, for logs and the admin
    client.force_login(world.hk_lead)
    client.cookies["django_language"] = "zh-hant"
    assert client.get(f"/jobs/{job.pk}/status/").json()["message"] == "正在儲存 40 個評審人建議"
    client.cookies["django_language"] = "en"
    assert client.get(f"/jobs/{job.pk}/status/").json()["message"] == job.message
    job.report(2, 5, "counted to 2")  # plain text stays as written
    job.refresh_from_db()
    assert (job.message_text, job.message_msgid, job.message_params) == ("counted to 2", "", {})


def _running(job, *, expired=True, attempts=1):
    """Put a job in the state a worker killed mid-run leaves it: running, its lease expired (or not)."""
    lease = timezone.now() + dt.timedelta(seconds=-5 if expired else 60)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        claim="dead-worker",
        attempts=attempts,
        lease_expires_at=lease,
        started_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_redelivery_while_leased_does_nothing_then_reaper_requeues_and_it_runs_once(settings):
    settings.JOBS_RETRY_BACKOFF = 0
    job = _running(
        Job.objects.create(
            kind="selftest", handler="sciencebridge.jobs.selftest.count_to", params={"n": 2}
        ),
        expired=False,
    )
    assert (
        runner.execute(job.pk).state == JobState.RUNNING
    )  # a worker still holds it: the redelivery is a no-op
    assert reap()["requeued"] == 0
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    job.refresh_from_db()
    assert job.status == "stalled" and job.get_status_display() == "Stalled"
    out = (
        reap()
    )  # requeue (backoff 0) ... and send it again: with the sync backend it runs right away
    assert out["requeued"] == 1 and out["sent"] == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 2 and job.result == {"counted": 2}
    assert job.reason == Reason.NONE and job.lease_expires_at is None
    assert runner.execute(job.pk).attempts == 2  # and never again


@pytest.mark.django_db
def test_requeued_job_waits_for_its_backoff(settings):
    settings.JOBS_RETRY_BACKOFF = 30
    # The first retry after a lost worker goes at once (the lease already waited); the second backs off.
    job = _running(
        Job.objects.create(kind="selftest", handler="sciencebridge.jobs.selftest.count_to"),
        attempts=2,
    )
    assert reap() == {"requeued": 1, "given_up": 0, "sent": 0}
    job.refresh_from_db()
    assert (
        job.state == JobState.QUEUED
        and job.status == "retrying"
        and job.reason == Reason.WORKER_LOST
    )
    assert (
        dt.timedelta(seconds=25) < job.next_attempt_at - timezone.now() <= dt.timedelta(seconds=30)
    )
    assert reap()["sent"] == 0
    assert reap(now=job.next_attempt_at + dt.timedelta(seconds=1))["sent"] == 1


@pytest.mark.django_db
def test_gives_up_after_max_attempts_and_handler_releases(settings):
    job = _running(
        Job.objects.create(
            kind="selftest", handler="sciencebridge.jobs.selftest.count_to", max_attempts=2
        ),
        attempts=2,
    )
    assert reap()["given_up"] == 1
    job.refresh_from_db()
    assert (
        job.state == JobState.FAILED
        and job.reason == Reason.GAVE_UP_WORKER_LOST
        and job.finished_at
    )
    assert runner.execute(job.pk).state == JobState.FAILED


@pytest.mark.django_db
def test_losing_the_claim_keeps_the_outcome_of_whoever_holds_it(settings):
    """A worker that paused past its lease and comes back must not overwrite the job's newer outcome."""
    job = Job.objects.create(
        kind="selftest", handler="sciencebridge.jobs.tests.test_jobs.cancel_myself"
    )
    runner.execute(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.result == {}


def cancel_myself(job):
    runner.cancel(job)
    return {"late": True}


@pytest.mark.django_db
def test_broker_unreachable_leaves_job_waiting_not_an_error(
    settings, django_capture_on_commit_callbacks
):
    settings.JOBS_BACKEND = "celery"
    from sciencebridge.celery import app

    saved = app.conf.broker_url
    use_broker(CLOSED_PORT_BROKER)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = runner.enqueue("selftest", "sciencebridge.jobs.selftest.count_to")
    finally:
        use_broker(saved)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.status == "waiting" and job.dispatched_at is None
    assert "could not be reached" in job.reason_text and job.next_attempt_at > timezone.now()
    assert job.get_status_display() == "Waiting for the queue"


@pytest.mark.django_db
def test_rolled_back_enqueue_leaves_no_job(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        runner.enqueue("selftest", "sciencebridge.jobs.selftest.count_to")
        raise RuntimeError("rolled back")
    assert not Job.objects.exists() and callbacks == []


@pytest.mark.django_db
def test_owner_retries_and_cancels_stuck_job_others_cannot(
    client, world, django_capture_on_commit_callbacks
):
    job = _running(
        Job.objects.create(
            kind="selftest",
            handler="sciencebridge.jobs.selftest.count_to",
            params={"n": 1},
            created_by=world.hk_lead,
        )
    )
    client.force_login(world.outsider)
    assert client.get(f"/jobs/{job.pk}/").status_code == 403
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 403
    assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 403
    client.force_login(world.hk_lead)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Stalled" in page and "Retry now" in page and "Cancel" in page and "1 of 3" in page
    status = client.get(f"/jobs/{job.pk}/status/").json()
    assert status["status"] == "stalled" and status["attempts"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/jobs/{job.pk}/retry/")  # sent again after commit (sync backend: runs then)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 2

    stuck = Job.objects.create(
        kind="selftest", handler="sciencebridge.jobs.selftest.count_to", created_by=world.hk_lead
    )
    assert client.post(f"/jobs/{stuck.pk}/cancel/").status_code == 302
    stuck.refresh_from_db()
    assert stuck.state == JobState.CANCELLED and stuck.reason == Reason.CANCELLED
    assert runner.execute(stuck.pk).state == JobState.CANCELLED  # a late delivery does not run it


@pytest.mark.django_db
def test_secretariat_sees_every_failed_job(client, world):
    from sciencebridge.accounts.roles import Role
    from sciencebridge.core.testing.factories import UserFactory

    failed = Job.objects.create(
        kind="review.assignment",
        handler="x",
        state=JobState.FAILED,
        reason=Reason.GAVE_UP_WORKER_LOST,
        created_by=world.itc_officer,
        attempts=3,
    )
    fine = Job.objects.create(
        kind="selftest", handler="x", state=JobState.DONE, created_by=world.itc_officer
    )
    client.force_login(world.itc_officer)
    assert client.get("/jobs/attention/").status_code == 403
    client.force_login(UserFactory(username="sec", roles=[Role.SECRETARIAT]))
    page = client.get("/jobs/attention/").content.decode()
    assert f'href="/jobs/{failed.pk}/"' in page and f'href="/jobs/{fine.pk}/"' not in page
    assert "stopped responding too many times" in page and "3 / 3" in page
    assert client.get(f"/jobs/{failed.pk}/").status_code == 200
    assert "Jobs needing attention" in client.get("/dashboard/").content.decode()


@pytest.mark.django_db
def test_health_hides_database_details(client, monkeypatch):
    assert client.get("/health/").json() == {"status": "ok", "database": "ok"}
    from sciencebridge.core import views

    def broken_cursor():
        raise RuntimeError('connection to server at "db.internal" (10.0.0.5), port 5432 failed')

    monkeypatch.setattr(views.connection, "cursor", broken_cursor)
    response = client.get("/health/")
    assert response.status_code == 503 and response.json() == {
        "status": "error",
        "database": "error",
    }
    assert b"10.0.0.5" not in response.content and b"5432" not in response.content


@pytest.mark.django_db
def test_readiness_reports_the_queue(client, settings):
    body = client.get("/health/ready/").json()
    assert (
        body["status"] == "ok" and body["queue"] == "ok" and body["jobs"]["waiting_for_queue"] == 0
    )
    settings.JOBS_BACKEND = "celery"
    from sciencebridge.celery import app

    saved = app.conf.broker_url
    use_broker(CLOSED_PORT_BROKER)
    try:
        response = client.get("/health/ready/")
    finally:
        use_broker(saved)
    assert response.status_code == 503 and response.json()["queue"] == "error"
    assert b"127.0.0.1" not in response.content
    assert client.get("/health/").status_code == 200  # liveness does not depend on the queue


def test_reaper_is_scheduled():
    from sciencebridge.jobs.schedule import SCHEDULE

    assert ("reap-jobs", "sciencebridge.jobs.reaper.reap") in [(n, p) for n, p, _every in SCHEDULE]
    assert "reap-jobs" in __import__("django.conf").conf.settings.CELERY_BEAT_SCHEDULE
