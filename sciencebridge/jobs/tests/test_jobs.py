
import pytest

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


