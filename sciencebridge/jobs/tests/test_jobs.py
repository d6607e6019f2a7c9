import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection

from sciencebridge.jobs import runner
from sciencebridge.jobs.models import Job, JobState


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
    assert runner.execute(job.pk).state == JobState.FAILED  # a redelivered message does not run it again


@pytest.mark.django_db
def test_status_endpoint_only_for_owner(client, world):
    job = Job.objects.create(kind="x", handler="x", created_by=world.hk_lead, total=10, progress=3)
    client.force_login(world.outsider)
    assert client.get(f"/jobs/{job.pk}/status/").status_code == 403
    client.force_login(world.hk_lead)
    assert client.get(f"/jobs/{job.pk}/status/").json()["percent"] == 30


def _redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        return None
    return url


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_celery_worker_runs_job_from_redis(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a separate worker process cannot see the SQLite in-memory test database")
    broker = _redis_url()
    if broker is None:
        pytest.skip("no Redis broker answers on localhost (set TEST_REDIS_URL)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
           f"{db['PORT'] or 5432}/{db['NAME']}", "CELERY_BROKER_URL": broker, "CELERY_QUEUE": queue,
           "DJANGO_SETTINGS_MODULE": "sciencebridge.settings", "JOBS_BACKEND": "celery"}
    celery = shutil.which("celery", path=os.path.dirname(sys.executable))
    worker = subprocess.Popen([celery, "-A", "sciencebridge", "worker", "-P", "solo", "-Q", queue, "-l", "WARNING"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        settings.JOBS_BACKEND = "celery"
        settings.CELERY_BROKER_URL = broker
        from sciencebridge.celery import app

        app.conf.broker_url = broker
        app.conf.task_default_queue = queue
        job = runner.enqueue("selftest", "sciencebridge.jobs.selftest.count_to", params={"n": 3})
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state in (JobState.DONE, JobState.FAILED):
                break
            time.sleep(0.5)
        assert job.state == JobState.DONE, worker.stdout.read1().decode() if worker.poll() is not None else job.state
        assert job.result == {"counted": 3} and job.progress == 3
    finally:
        worker.terminate()
        worker.wait(timeout=20)
