import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sciencebridge.cooperation.models import Agreement, Workplan, WorkplanItem
from sciencebridge.cooperation.services.reference import load_public_record

from .helpers import fund_both_sides, make_eligible

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cooperation"


def client_for(user=None):
    c = APIClient()
    if user is not None:
        c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


@pytest.fixture
def record(db):
    load_public_record()


def test_public_reads_agreements_meetings_indicators_and_approved_workplans(record):
    anon = client_for()
    body = anon.get(f"{BASE}/agreements/?party=miit").json()
    assert [a["code"] for a in body["results"]] == ["miit-2024"]
    assert set(body["results"][0]["parties"]) == {"miit", "hk-itib"}
    assert anon.get(f"{BASE}/meetings/18/").json()["decisions"] == ["Approve the 2024-25 workplan."]
    gerd = anon.get(f"{BASE}/indicators/gerd/").json()
    assert {"year": 2022, "value": "30138.0000"}.items() <= gerd["values"][-1].items()
    assert anon.get(f"{BASE}/workplans/workplan-2024-25/").json()["state"] == "approved"
    assert anon.get(f"{BASE}/workplan-items/?workplan=workplan-2024-25").json()["count"] == 7


def test_only_the_secretariat_writes_and_sees_drafts(world, record, secretariat):
    payload = {"code": "wp-2026", "title_en": "Workplan 2026", "period": "2026"}
    assert client_for().post(f"{BASE}/workplans/", payload, format="json").status_code in (401, 403)
    assert (
        client_for(world.itc_officer).post(f"{BASE}/workplans/", payload, format="json").status_code
        == 403
    )
    sec = client_for(secretariat)
    assert sec.post(f"{BASE}/workplans/", payload, format="json").status_code == 201
    assert Workplan.objects.get(code="wp-2026").state == "draft"
    # the draft is the secretariat's alone
    assert client_for(world.itc_officer).get(f"{BASE}/workplans/wp-2026/").status_code == 404
    assert sec.get(f"{BASE}/workplans/wp-2026/").status_code == 200
    # an agreement in draft likewise
    resp = sec.post(
        f"{BASE}/agreements/",
        {
            "code": "draft-mou",
            "kind": "memorandum",
            "title_en": "Draft MoU",
            "parties": ["most", "hksar"],
            "status": "draft",
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    assert client_for().get(f"{BASE}/agreements/draft-mou/").status_code == 404
    assert Agreement.objects.get(code="draft-mou").parties.count() == 2
    resp = client_for(world.hk_lead).patch(
        f"{BASE}/agreements/miit-2024/", {"status": "expired"}, format="json"
    )
    assert resp.status_code == 403


def test_item_linked_to_a_call_through_the_api_reports_live_progress(
    world, make_ready_pair, record, secretariat
):
    sec = client_for(secretariat)
    sec.post(
        f"{BASE}/workplans/",
        {"code": "wp-2026", "title_en": "Workplan 2026", "period": "2026"},
        format="json",
    )
    item = {
        "workplan": "wp-2026",
        "area": "joint-funding",
        "number": "i",
        "text_en": "Fund two",
        "metric_code": "funding.projects_funded",
        "call_ids": [world.call.pk],
    }
    resp = sec.post(f"{BASE}/workplan-items/", item, format="json")
    assert resp.status_code == 400 and "target" in resp.json()
    resp = sec.post(f"{BASE}/workplan-items/", {**item, "target": "2"}, format="json")
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    assert WorkplanItem.objects.get(pk=pk).metric_filters == {"call_ids": [world.call.pk]}
    fund_both_sides(world, make_eligible(world, make_ready_pair()))
    body = sec.get(f"{BASE}/workplan-items/{pk}/").json()
    assert body["value"] == 1.0 and body["progress"] == 0.5
    assert (
        client_for(world.hk_lead).get(f"{BASE}/workplan-items/{pk}/").status_code == 404
    )  # draft workplan


def test_indicator_figures_typed_only_for_series_from_the_record(record, secretariat, world):
    sec = client_for(secretariat)
    resp = sec.post(
        f"{BASE}/indicator-values/",
        {"indicator": "gerd", "year": 2023, "value": "31000"},
        format="json",
    )
    assert resp.status_code == 201
    resp = sec.post(
        f"{BASE}/indicator-values/",
        {"indicator": "live-projects-funded", "year": 2023, "value": "3"},
        format="json",
    )
    assert resp.status_code == 400
    resp = client_for(world.itc_officer).post(
        f"{BASE}/indicator-values/",
        {"indicator": "gerd", "year": 2024, "value": "1"},
        format="json",
    )
    assert resp.status_code == 403
