"""API: the same object permissions as the pages, and flat query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from djmoney.money import Money
from rest_framework.test import APIClient

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.projects.services import projects as svc

pytestmark = pytest.mark.django_db


def _side_ids(sql: str) -> set[int]:
    """The project sides a query's ``project_side_id`` filter names: ``IN (1, 2)`` on SQLite,
    ``= ANY('{1,2}'::…)`` on PostgreSQL (``core.lookups``)."""
    m = re.search(r"\"project_side_id\" (?:IN \(([\d, ]+)\)|= ANY\('\{([\d,]+)\}')", sql)
    return {int(i) for i in (m[1] or m[2]).split(",")}


@pytest.fixture
def api():
    return APIClient()


def _two_projects(world, funded):
    mine = funded().project
    other = funded(
        title="Other",
        hk_lead=UserFactory(institution=world.astri, roles=[Role.APPLICANT]),
        ml_lead=UserFactory(institution=world.fudan, roles=[Role.APPLICANT]),
    ).project
    return mine, other


def test_projects_api_object_permissions(world, funded, api):
    mine, other = _two_projects(world, funded)
    api.force_authenticate(world.hk_lead)
    data = api.get("/api/v1/projects/").json()
    assert [p["reference"] for p in data["results"]] == [mine.reference]
    assert {s["side"] for s in data["results"][0]["sides"]} == {"HK", "ML"}
    assert api.get(f"/api/v1/projects/{other.reference}/").status_code == 404
    api.force_authenticate(world.most_officer)
    data = api.get("/api/v1/projects/").json()
    assert len(data["results"]) == 2
    assert all([s["side"] for s in p["sides"]] == ["ML"] for p in data["results"])
    side = data["results"][0]["sides"][0]
    assert side["currency"] == "CNY" and side["approved_budget"] == "500000.00"
    api.force_authenticate(world.outsider)
    assert api.get("/api/v1/projects/").json()["results"] == []
    api.force_authenticate(None)
    assert api.get("/api/v1/projects/").status_code in (401, 403)


def test_reports_and_outcomes_api(world, funded, api):
    mine, other = _two_projects(world, funded)
    svc.add_outcome(
        other,
        actor=other.sides.get(side="HK").lead,
        kind="patent",
        title="Secret patent",
        ip_status="filed",
        jurisdiction="CN",
    )
    svc.add_outcome(
        mine,
        actor=world.hk_lead,
        kind="patent",
        title="Our patent",
        ip_status="granted",
        jurisdiction="HK",
    )
    api.force_authenticate(world.itc_officer)
    reports = api.get("/api/v1/project-reports/").json()["results"]
    assert reports and {r["side"] for r in reports} == {"HK"}
    api.force_authenticate(world.hk_lead)
    reports = api.get("/api/v1/project-reports/", {"project": mine.reference}).json()["results"]
    assert {r["side"] for r in reports} == {"HK", "ML"}
    assert api.get("/api/v1/project-reports/", {"project": other.reference}).json()["results"] == []
    outcomes = api.get("/api/v1/project-outcomes/", {"kind": "patent"}).json()["results"]
    assert [o["title"] for o in outcomes] == ["Our patent"]


def test_projects_api_query_count_flat(world, funded, api):
    mine = funded().project
    api.force_authenticate(world.itc_officer)
    with CaptureQueriesContext(connection) as before:
        api.get("/api/v1/projects/")
    t1 = mine.sides.get(side="HK").tranches.get(number=1)
    svc.record_payment(t1, actor=world.itc_officer, amount=Money(1000, "HKD"), idempotency_key="k1")
    for i in range(3):
        funded(
            title=f"P{i}",
            hk_lead=UserFactory(institution=world.astri, roles=[Role.APPLICANT]),
            ml_lead=UserFactory(institution=world.fudan, roles=[Role.APPLICANT]),
        )
    with CaptureQueriesContext(connection) as after:
        data = api.get("/api/v1/projects/").json()
    assert data["count"] == 4
    assert len(after.captured_queries) == len(before.captured_queries)


def test_projects_api_reads_the_tranches_and_payments_of_the_sides_shown_only(world, funded, api):
    mine = funded().project
    hk = mine.sides.get(side="HK")
    # the partner's side, which the officer does not see
    assert mine.sides.filter(side="ML").exists()
    t1 = hk.tranches.get(number=1)
    payment, _created = svc.record_payment(
        t1, actor=world.itc_officer, amount=Money(1000, "HKD"), idempotency_key="k1"
    )
    api.force_authenticate(world.itc_officer)
    with CaptureQueriesContext(connection) as ctx:
        data = api.get("/api/v1/projects/").json()
    (side,) = data["results"][0]["sides"]
    assert side["side"] == "HK" and side["agency"] == hk.agency.code
    assert [t["number"] for t in side["tranches"]] == sorted(
        hk.tranches.values_list("number", flat=True)
    )
    assert side["payments"] == [
        {
            "id": payment.pk,
            "tranche": 1,
            "amount": "1000.00",
            "currency": "HKD",
            "paid_on": payment.paid_on.isoformat(),
            "bank_reference": payment.bank_reference,
        }
    ]
    for table in ("projects_tranche", "projects_payment"):
        (sql,) = [q["sql"] for q in ctx.captured_queries if f'FROM "{table}"' in q["sql"]]
        assert _side_ids(sql) == {hk.pk}, sql  # the partner's side is not read
    assert api.get(f"/api/v1/projects/{mine.reference}/").json()["sides"] == [side]
