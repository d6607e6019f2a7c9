"""Pages and API of sample exports and datasets: who sees what, object by object; a refused transfer
keeps what was typed; query counts do not grow with the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sciencebridge.dataflows.models_samples import HgrTransfer
from sciencebridge.dataflows.services import datasets as dsvc
from sciencebridge.dataflows.services import samples as svc

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_as_the_test_runs():
    """TODAY as of each test, not of collection: a run that crossed midnight in Hong Kong (16:00 UTC)
    compared a stale TODAY with the services' ``timezone.localdate()``."""
    global TODAY
    TODAY = timezone.localdate()


def _app(world, hgr, project=True, n=100):
    app = svc.create_application(
        hgr.researcher,
        pilot_unit=hgr.unit,
        recipient=world.hku,
        sample_kind="blood",
        quantity=n,
        purpose="PRIVATE-PURPOSE cohort genotyping",
        project=hgr.project if project else None,
    )
    svc.submit(hgr.researcher, app)
    svc.record_approval(
        hgr.secretariat,
        app,
        approval_reference=f"MOST-{app.pk}",
        approval_date=TODAY - dt.timedelta(days=2),
    )
    return app


def _dataset(world, hgr):
    return dsvc.register_dataset(
        world.hk_lead,
        hgr.project,
        title="Port sensor readings 2026",
        description="PRIVATE-DATASET anonymous vibration data",
        holder=world.astri,
        held_in="HK",
        location="ASTRI data lake",
        licence="cc-by-4.0",
        access="team",
        classification="internal",
    )


def test_export_seen_by_parties_project_and_secretariat_only(client, world, hgr):
    app = _app(world, hgr)
    url = reverse("dataflows:samples_detail", args=[app.pk])
    seen = {
        hgr.researcher: 200,  # applicant
        hgr.office: 200,  # pilot unit's office
        world.hku_office: 200,  # recipient's office
        world.hk_lead: 200,  # the project's other lead
        world.itc_officer: 200,  # funds the project
        world.most_officer: 200,
        hgr.secretariat: 200,
        hgr.officer_other: 404,  # another agency
        hgr.other_office: 404,  # another institution's office
        world.outsider: 404,  # HKU applicant, not the office
        world.astri_office if hasattr(world, "astri_office") else world.hk_office: 404,
    }
    for user, status in seen.items():
        client.force_login(user)
        r = client.get(url)
        assert r.status_code == status, user.username
        listing = client.get(reverse("dataflows:samples_list")).content.decode()
        assert (app.reference in listing) == (status == 200), user.username
    client.logout()
    assert client.get(url).status_code == 302


def test_transfer_exceeding_is_refused_on_the_page_and_keeps_the_input(client, world, hgr):
    app = _app(world, hgr, n=10)
    client.force_login(hgr.researcher)
    url = reverse("dataflows:samples_detail", args=[app.pk])
    r = client.post(
        url, {"action": "transfer", "t-quantity": "8", "t-shipped_on": TODAY.isoformat()}
    )
    assert r.status_code == 302
    r = client.post(
        url,
        {
            "action": "transfer",
            "t-quantity": "3",
            "t-shipped_on": TODAY.isoformat(),
            "t-note": "KEEP-ME",
        },
    )
    body = r.content.decode()
    assert r.status_code == 200 and "would exceed approval" in body and "2 left" in body
    assert 'value="KEEP-ME"' in body and 'value="3"' in body
    assert HgrTransfer.objects.filter(application=app).count() == 1
    # the recipient's office reads the page but may not record a shipment: nothing changes
    client.force_login(world.hku_office)
    client.post(url, {"action": "transfer", "t-quantity": "1", "t-shipped_on": TODAY.isoformat()})
    assert HgrTransfer.objects.filter(application=app).count() == 1
    # the officer of the funding agency clears the first transfer
    t = HgrTransfer.objects.get(application=app)
    client.force_login(world.itc_officer)
    client.post(url, {"action": "clear", "transfer": t.pk})
    t.refresh_from_db()
    assert t.state == "cleared"


def test_create_page_only_for_pilot_units(client, world, hgr):
    client.force_login(world.ml_lead)
    assert client.get(reverse("dataflows:samples_create")).status_code == 403
    client.force_login(hgr.researcher)
    r = client.post(
        reverse("dataflows:samples_create"),
        {
            "pilot_unit": hgr.unit.pk,
            "recipient": world.hku.pk,
            "project": hgr.project.pk,
            "sample_kind": "dna",
            "quantity": "12",
            "unit": "tubes",
            "purpose": "Sequencing",
        },
    )
    assert r.status_code == 302
    app = hgr.unit.exports.get()
    assert (app.quantity, app.unit, app.project_id, app.state) == (
        12,
        "tubes",
        hgr.project.pk,
        "draft",
    )


def test_dataset_pages_and_permissions(client, world, hgr):
    ds = _dataset(world, hgr)
    url = reverse("dataflows:datasets_detail", args=[ds.pk])
    for user, status in {
        world.hk_lead: 200,
        hgr.researcher: 200,  # the Mainland lead
        world.hk_office: 200,  # ASTRI's office: the holder and a project institution
        world.itc_officer: 200,
        hgr.secretariat: 200,
        hgr.officer_other: 404,
        world.hku_office: 404,
        world.outsider: 404,
    }.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.force_login(world.outsider)
    assert client.get(reverse("dataflows:datasets_create")).status_code == 403
    client.force_login(world.hk_lead)
    r = client.post(
        reverse("dataflows:datasets_create"),
        {
            "project": hgr.project.pk,
            "title": "Tide gauge",
            "description": "Readings",
            "holder": world.astri.pk,
            "held_in": "HK",
            "location": "ASTRI",
            "licence": "other",
            "access": "team",
            "classification": "open",
        },
    )
    assert r.status_code == 200 and "Describe the licence" in r.content.decode()
    client.post(url, {"to": "retired"})
    ds.refresh_from_db()
    assert ds.state == "retired"


def test_lists_query_count_flat(client, world, hgr):
    def count(url):
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q)

    client.force_login(hgr.secretariat)
    _app(world, hgr, n=10)
    _dataset(world, hgr)
    urls = [reverse("dataflows:samples_list"), reverse("dataflows:datasets_list")]
    before = [count(u) for u in urls]
    for _i in range(6):
        a = _app(world, hgr, n=10)
        svc.record_transfer(hgr.researcher, a, quantity=1, shipped_on=TODAY)
        _dataset(world, hgr)
    assert [count(u) for u in urls] == before
    c = APIClient()
    c.force_authenticate(hgr.secretariat)
    for path in ("/api/v1/hgr-exports/", "/api/v1/hgr-transfers/", "/api/v1/research-datasets/"):
        with CaptureQueriesContext(connection) as q:
            assert c.get(path).status_code == 200
        assert len(q) <= 8, path


def test_api_same_permissions(world, hgr):
    app = _app(world, hgr)
    t = svc.record_transfer(hgr.researcher, app, quantity=5, shipped_on=TODAY)
    ds = _dataset(world, hgr)
    c = APIClient()
    assert c.get("/api/v1/hgr-exports/").status_code in (401, 403)
    for user, sees in [
        (hgr.researcher, True),
        (world.hku_office, True),
        (world.itc_officer, True),
        (hgr.secretariat, True),
        (hgr.officer_other, False),
        (world.outsider, False),
    ]:
        c.force_authenticate(user)
        rows = c.get("/api/v1/hgr-exports/").json()["results"]
        assert ([r["reference"] for r in rows] == [app.reference]) == sees, user.username
        assert c.get(f"/api/v1/hgr-exports/{app.pk}/").status_code == (200 if sees else 404)
        assert c.get(f"/api/v1/hgr-transfers/{t.pk}/").status_code == (200 if sees else 404)
    row = c.get("/api/v1/hgr-exports/", {"state": "approved"}).json()
    c.force_authenticate(hgr.secretariat)
    row = c.get(f"/api/v1/hgr-exports/{app.pk}/").json()
    assert row["used"] == 5 and row["approved_quantity"] == 100 and row["recipient"] == "hku"
    assert c.get(f"/api/v1/research-datasets/{ds.pk}/").json()["classification"] == "internal"
    c.force_authenticate(world.hku_office)  # not a party to the dataset
    assert c.get(f"/api/v1/research-datasets/{ds.pk}/").status_code == 404


def test_public_figures_show_aggregates_only(client, world, hgr):
    app = _app(world, hgr)
    t = svc.record_transfer(hgr.researcher, app, quantity=5, shipped_on=TODAY)
    svc.review_transfer(hgr.secretariat, t, "cleared")
    svc.record_transfer(hgr.researcher, app, quantity=5, shipped_on=TODAY)
    _dataset(world, hgr)
    body = client.get(reverse("dataflows:samples_figures")).content.decode()
    assert app.reference not in body and "PRIVATE" not in body and "HKU" not in body
    assert "White-list notifications" in body
    from sciencebridge.core import metrics

    assert metrics.compute("dataflows.hgr_whitelist_notifications") == 1
    assert metrics.compute("dataflows.hgr_samples_transferred") == 10
    assert metrics.compute("dataflows.hgr_exports_approved", kind="blood") == 1
    assert metrics.compute("dataflows.research_datasets") == 1
