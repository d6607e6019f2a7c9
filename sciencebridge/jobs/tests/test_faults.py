"""Fault tests with PostgreSQL, Redis and real Celery worker processes (skipped, with the reason, without them).

Each proves "no job stuck, lost or run twice": the job ends done exactly once (one claim that finished,
attempts counted), within the short timeouts the fixture configures (lease 2 s, backoff 1-2 s)."""

import os
import signal
import time

import pytest
from django.db import transaction

from sciencebridge.jobs import runner
from sciencebridge.jobs.models import Job, JobState, Reason
from sciencebridge.jobs.reaper import reap

from .conftest import CLOSED_PORT_BROKER, use_broker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _state(job):
    job.refresh_from_db()
    return job.state


def test_real_celery_worker_runs_job_from_redis(celery_workers):
    worker = celery_workers.start()
    job = runner.enqueue("selftest", "sciencebridge.jobs.selftest.count_to", params={"n": 3})
    wait_for(lambda: _state(job) in (JobState.DONE, JobState.FAILED), 90)
    assert job.state == JobState.DONE, celery_workers.output(worker)
    assert job.result == {"counted": 3} and job.progress == 3 and job.attempts == 1


def test_worker_killed_mid_job_completes_once_on_a_new_worker(celery_workers):
    first = celery_workers.start()
    job = runner.enqueue(
        "selftest", "sciencebridge.jobs.selftest.count_to", params={"n": 16, "pause": 0.5}
    )
    wait_for(lambda: _state(job) == JobState.RUNNING and job.progress >= 2, 90)
    os.kill(first.pid, signal.SIGKILL)  # the worker dies mid-job, its message unacknowledged
    first.wait(10)
    killed_at = time.monotonic()
    job.refresh_from_db()
    assert (
        job.state == JobState.RUNNING and job.attempts == 1
    )  # what the page shows until the lease expires

    celery_workers.start()
    # The scheduled reaper, run here every half second (beat runs it every JOBS_REAPER_INTERVAL s).
    wait_for(lambda: _state(job) == JobState.DONE, 90, every=0.5, tick=reap)
    recovered_in = time.monotonic() - killed_at
    assert job.result == {"counted": 16} and job.progress == 16
    assert job.attempts == 2  # the lost attempt and the one that finished: run to completion once
    # lease (2 s) + backoff (1 s) + the run itself (8 s) + worker start-up, with a margin for a busy machine
    assert recovered_in < 60, recovered_in
    # A late redelivery of the killed worker's message (visibility timeout 5 s) changes nothing.
    time.sleep(6)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 2


def test_broker_down_at_enqueue_then_back(celery_workers):
    use_broker(CLOSED_PORT_BROKER)
    started = time.monotonic()
    with transaction.atomic():
        job = runner.enqueue("selftest", "sciencebridge.jobs.selftest.count_to", params={"n": 2})
    # The commit returned (no exception for the caller) quickly, and the job says what it waits for.
    assert time.monotonic() - started < 10
    job.refresh_from_db()
    assert (
        job.state == JobState.QUEUED
        and job.dispatched_at is None
        and job.reason == Reason.QUEUE_UNREACHABLE
    )
    assert job.status == "waiting" and job.dispatch_attempts == 1
    reap()  # still down: still waiting, nothing lost
    Job.objects.filter(pk=job.pk).update(next_attempt_at=job.created_at)
    reap()
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.dispatched_at is None and job.dispatch_attempts == 2

    use_broker(celery_workers.broker)  # the broker is back
    celery_workers.start()
    Job.objects.filter(pk=job.pk).update(next_attempt_at=job.created_at)
    wait_for(lambda: _state(job) == JobState.DONE, 90, every=0.5, tick=reap)
    assert job.result == {"counted": 2} and job.attempts == 1


def test_mail_server_down_action_succeeds_and_mail_follows(
    celery_workers, settings, client, world, make_ready_pair
):
    from django.urls import reverse

    from sciencebridge.funding.services import proposals as svc
    from sciencebridge.jobs.tasks import run_scheduled
    from sciencebridge.notifications.models import DeliveryState, Notification

    from .conftest import SmtpSink, free_port

    settings.JOBS_BACKEND = "sync"  # build the proposal with this process's (in-memory) mail
    p = make_ready_pair()
    hk, ml = p.half("HK"), p.half("ML")
    svc.submit_half(world.ml_lead, ml)
    svc.submit_half(world.hk_lead, hk)
    svc.endorse(world.hk_office, hk, "Supported")

    settings.JOBS_BACKEND = "celery"
    port = free_port()  # nothing listens there yet: the mail server is down
    celery_workers.start(EMAIL_URL=f"smtp://127.0.0.1:{port}", NOTIFY_RETRY_BACKOFF="1")
    client.force_login(world.itc_officer)
    started = time.monotonic()
    r = client.post(
        reverse("funding:screen", args=[hk.proposal.reference, "hk"]),
        {"decision": "eligible", "reason": "Meets ITF rules"},
    )
    assert (
        r.status_code == 302 and time.monotonic() - started < 10
    )  # the action succeeded, promptly
    hk.refresh_from_db()
    assert hk.state == "eligible"
    notice = Notification.objects.get(
        recipient=world.hk_lead, subject__startswith="Screening result"
    )

    def tried_and_failed():
        notice.refresh_from_db()
        return notice.attempts >= 1 and notice.last_error

    wait_for(tried_and_failed, 60)  # the worker tried to e-mail it and could not
    assert notice.delivery == DeliveryState.PENDING

    sink = SmtpSink(port)  # the mail server is back
    try:
        # The scheduled sweep (beat sends it every 30 s; here every second) e-mails it on the worker.
        def sent():
            notice.refresh_from_db()
            return notice.delivery == DeliveryState.SENT

        wait_for(
            sent,
            60,
            every=1,
            tick=lambda: run_scheduled.delay("sciencebridge.notifications.services.send_due"),
        )
        time.sleep(2)  # let any sweep still queued run: it must not send it again
    finally:
        sink.close()
    to_lead = [m for m in sink.messages if m["to"] == [world.hk_lead.email]]
    assert len(to_lead) == 1 and "Screening result" in to_lead[0]["data"]
    assert notice.attempts >= 2 and notice.sent_at
