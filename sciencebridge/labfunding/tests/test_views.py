"""Pages and API: who sees which grant (object by object), the public overview, flat query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.labfunding.models import GrantState
from sciencebridge.labfunding.services import grants as svc
from sciencebridge.platforms.models import Platform

from .test_grants import ready_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants(world, lf):
    skl = svc.offer_grant(world.itc_officer, lf.skl_prog, lf.skl, year=2026, amount=20_000_000)
    cnerc = svc.offer_grant(world.itc_officer, lf.cnerc_prog, lf.cnerc, year=2026, amount=5_000_000)
    return skl, cnerc


def test_object_permissions_pages_and_api(client, world, grants):
    skl, cnerc = grants  # skl at HKU, cnerc at ASTRI
    rgc = UserFactory(username="rgc_po", agency=world.hku, roles=[Role.PROGRAMME_OFFICER])
    cases = [
        (world.hku_office, {skl.pk}),
        (world.hk_office, {cnerc.pk}),
        (world.itc_officer, {skl.pk, cnerc.pk}),
        (world.most_officer, set()),
        (world.hk_lead, set()),
        (rgc, set()),
    ]
    for user, visible in cases:
        client.force_login(user)
        for g in (skl, cnerc):
            r = client.get(reverse("labfunding:grant", args=[g.pk]))
            assert r.status_code == (200 if g.pk in visible else 404), (user, g)
            r = client.get(f"/api/v1/lab-grants/{g.pk}/")
            assert r.status_code == (200 if g.pk in visible else 404), (user, g)
        ids = {row["id"] for row in client.get("/api/v1/lab-grants/").json()["results"]}
        assert ids == visible, user
    client.logout()
    assert client.get(reverse("labfunding:grant", args=[skl.pk])).status_code == 302
    assert client.get("/api/v1/lab-grants/").status_code in (401, 403)


def test_office_cannot_release_and_other_office_cannot_post(client, world, grants):
    skl, _ = grants
    client.force_login(world.hku_office)
    r = client.post(reverse("labfunding:grant_act", args=[skl.pk]), {"action": "release"})
    assert r.status_code == 403
    client.force_login(world.hk_office)
    r = client.post(reverse("labfunding:grant_act", args=[skl.pk]), {"action": "submit"})
    assert r.status_code == 404
    skl.refresh_from_db()
    assert skl.state == GrantState.OFFERED


def test_release_without_report_shows_message(client, world, grants):
    skl, _ = grants
    client.force_login(world.itc_officer)
    r = client.post(
        reverse("labfunding:grant_act", args=[skl.pk]), {"action": "release"}, follow=True
    )
    assert "cannot be released before the laboratory" in r.content.decode()
    skl.refresh_from_db()
    assert skl.state == GrantState.OFFERED


def test_report_upload_through_page(client, world, grants):
    from .test_grants import pdf

    skl, _ = grants
    client.force_login(world.hku_office)
    r = client.post(
        reverse("labfunding:report_edit", args=[skl.pk]),
        {
            "work_plan": pdf("p.pdf"),
            "financial_report": pdf("f.pdf"),
            "expenditure": "100",
            "matching": "-5",
        },
    )
    assert r.status_code == 200  # a negative amount: the form says so, nothing saved
    r = client.post(
        reverse("labfunding:report_edit", args=[skl.pk]),
        {
            "work_plan": pdf("p.pdf"),
            "financial_report": pdf("f.pdf"),
            "expenditure": "100",
            "matching": "4000000",
        },
    )
    assert r.status_code == 302
    skl.report.refresh_from_db()
    assert skl.report.work_plan and skl.report.matching.amount == Decimal("4000000")
    page = client.get(reverse("labfunding:grant", args=[skl.pk])).content.decode()
    assert "/files/" in page
    # the file route serves it to the office and the funder, not to another office
    url = skl.report.work_plan.url
    assert client.get(url).status_code == 200
    client.force_login(world.hk_office)
    assert client.get(url).status_code == 404


def test_public_overview_shows_totals_only(client, world, lf, grants):
    skl, cnerc = grants
    ready_report(world, skl, "4000000")
    svc.submit_report(world.hku_office, skl.report)
    svc.decide_report(world.itc_officer, skl.report, approve=True)
    svc.release_grant(world.itc_officer, skl)
    r = client.get(reverse("labfunding:overview"))
    body = r.content.decode()
    assert r.status_code == 200
    assert "HK$20,000,000.00" in body
    assert reverse("labfunding:grant", args=[skl.pk]) not in body


def test_grant_list_queries_flat(client, world, lf):
    client.force_login(world.itc_officer)

    def make(n, start):
        for i in range(n):
            p = Platform.objects.create(
                code=f"skl-q{start + i}", kind="skl", name=f"Lab {start + i}"
            )
            p.hosts.add(world.hku)
            svc.offer_grant(world.itc_officer, lf.skl_prog, p, year=2026, amount=1_000_000)

    make(2, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("labfunding:grants")).status_code == 200
    make(10, 10)
    with CaptureQueriesContext(connection) as big:
        assert client.get(reverse("labfunding:grants")).status_code == 200
    assert len(big) == len(small)
    with CaptureQueriesContext(connection) as api:
        assert client.get("/api/v1/lab-grants/").status_code == 200
    make(5, 30)
    with CaptureQueriesContext(connection) as api_big:
        assert client.get("/api/v1/lab-grants/").status_code == 200
    assert len(api_big) == len(api)


def test_exercise_records_outcomes(client, world, lf):
    from django.core.exceptions import ValidationError

    from sciencebridge.labfunding.models import Exercise
    from sciencebridge.labfunding.services.exercises import record_outcome

    old = Platform.objects.create(code="skl-old", kind="skl", name="Old lab", status="restructured")
    ex = Exercise.objects.create(
        code="reorg", name="Reorganisation", kind="reorganisation", year=2025
    )
    with pytest.raises(ValidationError, match="needs its successor"):
        record_outcome(ex, old, "renamed")
    record_outcome(ex, old, "renamed", successor=lf.skl)
    old.refresh_from_db()
    assert old.successor == lf.skl
    body = client.get(reverse("labfunding:exercise", args=["reorg"])).content.decode()
    assert "Old lab" in body and "SKL of Liver Research" in body and "Renamed" in body
    data = client.get("/api/v1/lab-exercises/").json()["results"][0]
    assert data["outcomes"][0]["successor"] == "skl-a"


def test_reference_reorganisation_16_to_15(world):
    from sciencebridge.labfunding.models import ExerciseOutcome
    from sciencebridge.labfunding.reference import load
    from sciencebridge.platforms.services.registry import load_platforms

    load_platforms()
    counts = load()
    assert counts["programmes"] == 2
    outcomes = ExerciseOutcome.objects.filter(exercise__code="skl-reorg-2025")
    predecessors = outcomes.exclude(outcome="established")
    assert predecessors.count() == 16
    assert outcomes.filter(outcome="established").count() == 3
    renamed = outcomes.get(platform__code="skl-hkust-neuro")
    assert renamed.outcome == "renamed" and renamed.successor.code == "skl25-hkust-nsd"
    assert load() == counts  # idempotent
