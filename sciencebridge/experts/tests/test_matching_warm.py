"""Warming the matching models at worker start, and the resumable bulk-encoding job."""

from __future__ import annotations

import pytest

from sciencebridge.experts import matching_adapter as ma


class FakeJob:
    def __init__(self):
        self.reports: list[tuple[int, int, str]] = []

    def report(self, progress, total=None, message=""):
        self.reports.append((progress, total, str(message)))


@pytest.fixture
def two_experts(make_expert):
    make_expert("Chan Tai Man", papers=[{"title": "Graphene terahertz modulators", "year": 2023}])
    make_expert("Lee Ka Yan", papers=[{"title": "Coastal wetland carbon storage", "year": 2022}])


def test_warm_builds_the_index_once(two_experts):
    timings = ma.warm()
    assert list(timings) == ["tfidf"]  # the platform default in the tests
    built = ma.get_index()
    assert ma.get_index() is built  # the first search reuses it: nothing left to load
    top = ma.find_experts(ma.ExpertQuery(text="graphene terahertz"))[0]
    assert "Chan" in str(top.expert)


def test_encode_job_reports_progress_and_resumes(settings, tmp_path, two_experts):
    if not ma.model_available("neural"):
        pytest.skip("MiniLM not installed")
    settings.EXPERTS_EMBEDDING_CACHE = str(tmp_path / "emb.sqlite")
    job = FakeJob()
    out = ma.encode_experts_job(job, model="neural")
    assert out["model"] == "neural" and out["experts"] == 2
    assert job.reports and job.reports[-1][0] == job.reports[-1][1]  # done == total at the end
    assert "Encoding expert papers with all-MiniLM-L6-v2" in job.reports[-1][2]
    ma.invalidate()
    again = FakeJob()
    ma.encode_experts_job(again, model="neural")
    assert again.reports == []  # everything cached on disk: nothing to encode
