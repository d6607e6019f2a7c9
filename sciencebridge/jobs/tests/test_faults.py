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
    job = runner.enqueue("selftest", "sciencebridge.jobs.selftest.count_to", params={"n": 16, "pause": 0.5})
    wait_for(lambda: _state(job) == JobState.RUNNING and job.progress >= 2, 90)
    os.kill(first.pid, signal.SIGKILL)  # the worker dies mid-job, its message unacknowledged
    first.wait(10)
    killed_at = time.monotonic()
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.attempts == 1  # what the page shows until the lease expires

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
    assert job.state == JobState.QUEUED and job.dispatched_at is None and job.reason == Reason.QUEUE_UNREACHABLE
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
