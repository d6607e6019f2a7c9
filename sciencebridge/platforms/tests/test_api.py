"""API: platforms and facilities public; allocations and bookings only for those who may see them."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from sciencebridge.platforms.services import facilities as svc

from .conftest import next_slot

pytestmark = pytest.mark.django_db


def test_platforms_and_facilities_are_public(fac):
    api = APIClient()
    data = api.get("/api/v1/platforms/", {"kind": "cas_joint_lab"}).json()
    assert [p["code"] for p in data["results"]] == ["cas-test-lab"]
    assert data["results"][0]["hosts"] == ["hku"] and set(data["results"][0]["facilities"]) == {
        "ml-nmr",
        "hk-hpc",
    }
    assert api.get("/api/v1/platforms/cas-test-lab/").status_code == 200
    assert api.get("/api/v1/facilities/", {"region": "ML"}).json()["count"] == 1
    assert api.get("/api/v1/platforms/", {"kind": "bogus"}).status_code == 400


def test_allocations_and_bookings_follow_object_permissions(world, fac):
    start = next_slot()
    svc.book(world.hk_lead, fac.alloc, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    api = APIClient()
    assert api.get("/api/v1/facility-allocations/").status_code in (401, 403)
    api.force_authenticate(world.outsider)
    assert api.get("/api/v1/facility-allocations/").json()["count"] == 0
    assert api.get("/api/v1/facility-bookings/").json()["count"] == 0
    assert api.get(f"/api/v1/facility-allocations/{fac.alloc.pk}/").status_code == 404
    for user in (world.hk_lead, fac.ml_manager, fac.secretariat):
        api.force_authenticate(user)
        rows = api.get("/api/v1/facility-allocations/").json()["results"]
        assert [r["project_reference"] for r in rows] == ["MHX/001/26"] and rows[0][
            "cross_boundary"
        ] is True
        assert api.get("/api/v1/facility-bookings/").json()["count"] == 1
    api.force_authenticate(fac.hk_manager)  # manages the other facility
    assert api.get("/api/v1/facility-allocations/").json()["count"] == 0
