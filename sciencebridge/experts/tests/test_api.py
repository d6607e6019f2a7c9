import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciencebridge.experts.models import ExpertStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(make_expert, make_user):
    own = make_user("erin", "expert")
    return {
        "graphene": make_expert("Grace Graphene", papers=["Graphene membranes for desalination"]),
        "pending": make_expert(
            "Pat Pending", status=ExpertStatus.APPLIED, papers=["Graphene inks"]
        ),
        "ml": make_expert(
            "Ming Li", inst="tsinghua", papers=["Federated learning on edge devices"]
        ),
        "own": make_expert("Erin Own", user=own, status=ExpertStatus.APPLIED, papers=["Optics"]),
    }


def _names(resp):
    assert resp.status_code == 200, resp.content
    return {row["name_en"] for row in resp.json()["results"]}


def test_officer_searches_admitted_experts_only(client, officer, experts):
    client.force_login(officer)
    assert _names(client.get("/api/v1/experts/")) == {"Grace Graphene", "Ming Li"}
    assert _names(client.get("/api/v1/experts/?q=graphene")) == {"Grace Graphene"}
    assert _names(client.get("/api/v1/experts/?region=ML")) == {"Ming Li"}
    assert _names(client.get("/api/v1/experts/?institution=tsinghua")) == {"Ming Li"}
    detail = client.get(f"/api/v1/experts/{experts['ml'].pk}/").json()
    assert detail["publications"][0]["title"] == "Federated learning on edge devices"
    assert client.get(f"/api/v1/experts/{experts['pending'].pk}/").status_code == 404


def test_secretariat_sees_applications_and_expert_sees_only_own(client, secretariat, experts):
    client.force_login(secretariat)
    assert "Pat Pending" in _names(client.get("/api/v1/experts/?status=applied"))
    client.force_login(experts["own"].user)
    assert _names(client.get("/api/v1/experts/")) == {"Erin Own"}
    assert client.get(f"/api/v1/experts/{experts['graphene'].pk}/").status_code == 404


def test_applicants_and_anonymous_see_nothing(client, applicant, experts):
    assert client.get("/api/v1/experts/").status_code == 401
    client.force_login(applicant)
    assert _names(client.get("/api/v1/experts/")) == set()


def test_bad_filter_is_a_clear_400(client, officer, experts):
    client.force_login(officer)
    resp = client.get("/api/v1/experts/?region=XX")
    assert resp.status_code == 400 and "region" in resp.json()


def test_list_query_count_is_flat(client, officer, make_expert):
    client.force_login(officer)
    make_expert("First", papers=["a", "b"])
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/experts/")
    for i in range(15):
        make_expert(f"More {i}", papers=["x", "y", "z"])
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/experts/")
    assert len(many) == len(few)
