"""API: postings public; applications only the caller's own."""

import pytest
from rest_framework.test import APIClient

from conftest import pdf_upload
from sciencebridge.talent.services import exchanges as svc

pytestmark = pytest.mark.django_db


def test_postings_public_applications_own(world, tal):
    svc.apply(world.ml_lead, tal.posting, statement="NV", documents=[("cv", pdf_upload("cv.pdf"))])
    api = APIClient()
    rows = api.get("/api/v1/talent-postings/", {"host_region": "HK"}).json()["results"]
    assert [r["title"] for r in rows] == ["Visiting researcher in quantum sensing"] and rows[0][
        "host"
    ] == "hku"
    assert api.get("/api/v1/talent-applications/").status_code in (401, 403)
    api.force_authenticate(tal.ml_applicant2)
    assert api.get("/api/v1/talent-applications/").json()["count"] == 0
    api.force_authenticate(world.ml_lead)
    rows = api.get("/api/v1/talent-applications/").json()["results"]
    assert len(rows) == 1 and rows[0]["state"] == "submitted" and rows[0]["home"] == "tsinghua"
