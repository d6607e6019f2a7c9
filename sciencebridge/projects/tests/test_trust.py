"""Issue 11 (trust), the project items: dates and texts bounded, "Release" offered only when allowed,
real PDFs, and state changes row-locked so a stale or concurrent second attempt is refused cleanly."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from conftest import pdf_upload
from sciencebridge.core.models import StateTransition
from sciencebridge.core.workflow import transition
from sciencebridge.projects import rules as project_rules
from sciencebridge.projects.models import (
    ChangeKind,
    ChangeRequest,
    Payment,
    ProjectState,
    Report,
    ReportState,
    Tranche,
    TrancheState,
)
from sciencebridge.projects.services import projects as svc

pytestmark = pytest.mark.django_db


def _side(project, side):
    return project.sides.get(side=side)


# ----------------------------------------------------------------------------------------------
# 8. Dates within a sensible window, texts of a stated length
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("paid_on", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_payment_dates_far_from_the_project_are_refused(world, project, paid_on):
    t1 = _side(project, "HK").tranches.get(number=1)
    with pytest.raises(ValidationError) as exc:
        svc.record_payment(
            t1,
            actor=world.itc_officer,
            amount=Money(1000, "HKD"),
            paid_on=paid_on,
            idempotency_key=svc.new_idempotency_key(),
        )
    assert "paid_on" in exc.value.message_dict
    assert not Payment.objects.exists()


def test_payment_date_window_in_the_page(world, project, client):
    client.force_login(world.itc_officer)
    t1 = _side(project, "HK").tranches.get(number=1)
    url = reverse("projects:pay", args=[project.reference, t1.pk])
    page = client.get(url)
    assert "not after today" in page.content.decode()
    key = page.context["form"].initial["idempotency_key"]
    for bad in ("0001-01-01", "9999-12-31"):
        resp = client.post(
            url, {"idempotency_key": key, "amount_0": "1000", "amount_1": "HKD", "paid_on": bad}
        )
        assert resp.status_code == 200 and "has-error" in resp.content.decode(), bad
    assert not Payment.objects.exists()
    resp = client.post(
        url,
        {
            "idempotency_key": key,
            "amount_0": "1000",
            "amount_1": "HKD",
            "paid_on": (project.start_date - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert resp.status_code == 302 and Payment.objects.count() == 1  # advanced on signing: fine


def test_five_megabyte_report_is_refused_with_the_limit_stated(world, project, client):
    report = _side(project, "HK").reports.first()
    with pytest.raises(ValidationError) as exc:
        svc.submit_report(
            report, actor=world.hk_lead, summary="x" * 5_000_000, file=pdf_upload("r.pdf")
        )
    assert "20,000" in exc.value.message_dict["summary"][0]
    client.force_login(world.hk_lead)
    url = reverse("projects:report", args=[project.reference, report.pk])
    assert "At most 20,000 characters." in client.get(url).content.decode()
    resp = client.post(
        url, {"action": "submit", "summary": "y" * 20001, "file": pdf_upload("r.pdf")}
    )
    assert resp.status_code == 200
    report.refresh_from_db()
    assert report.state == ReportState.PENDING


def test_extension_to_the_year_9999_is_refused(world, project):
    hk = _side(project, "HK")
    with pytest.raises(ValidationError) as exc:
        svc.request_change(
            hk,
            actor=world.hk_lead,
            kind=ChangeKind.EXTENSION,
            description="Forever",
            new_end_date=dt.date(9999, 12, 31),
        )
    assert "36 months" in exc.value.message_dict["new_end_date"][0]
    with pytest.raises(ValidationError) as exc:
        svc.request_change(
            hk,
            actor=world.hk_lead,
            kind=ChangeKind.EXTENSION,
            description="d" * 5001,
            new_end_date=project.end_date + dt.timedelta(days=30),
        )
    assert "description" in exc.value.message_dict
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("date", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_outcome_dates_are_bounded(world, project, date):
    with pytest.raises(ValidationError) as exc:
        svc.add_outcome(
            project, actor=world.hk_lead, kind="publication", title="A paper", date=date
        )
    assert "date" in exc.value.message_dict
    assert svc.add_outcome(
        project, actor=world.hk_lead, kind="publication", title="A paper", date=timezone.localdate()
    ).pk


def test_report_pdf_is_parsed(world, project):
    report = _side(project, "HK").reports.first()
    fake = SimpleUploadedFile(
        "r.pdf", b"%PDF-1.4\n<html>not really</html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError, match="not a PDF"):
        svc.submit_report(report, actor=world.hk_lead, summary="x", file=fake)


# ----------------------------------------------------------------------------------------------
# 4. "Release" is offered only when the service would release
# ----------------------------------------------------------------------------------------------
def test_release_not_offered_while_the_project_is_suspended(world, project, client):
    hk = _side(project, "HK")
    report = hk.reports.get(number=1)
    t2 = hk.tranches.get(number=2)
    transition(project, ProjectState.SUSPENDED, actor=world.itc_officer, reason="Audit")
    svc.submit_report(report, actor=world.hk_lead, summary="Done", file=pdf_upload("r.pdf"))
    svc.review_report(report, actor=world.itc_officer, accept=True)  # no release while suspended
    t2.refresh_from_db()
    assert t2.state == TrancheState.SCHEDULED
    release_url = reverse("projects:release", args=[project.reference, t2.pk])
    client.force_login(world.itc_officer)
    assert (
        release_url
        not in client.get(reverse("projects:detail", args=[project.reference])).content.decode()
    )
    t2 = Tranche.objects.select_related("project_side__project", "gating_report").get(pk=t2.pk)
    with pytest.raises(ValidationError) as exc:
        svc.release_tranche(t2, actor=world.itc_officer)
    assert exc.value.messages == [project_rules.release_blocker(t2)]
    transition(project, ProjectState.ACTIVE, actor=world.itc_officer, reason="Audit closed")
    assert (
        release_url
        in client.get(reverse("projects:detail", args=[project.reference])).content.decode()
    )


# ----------------------------------------------------------------------------------------------
# 9. A second attempt from a stale page is refused, never applied twice
# ----------------------------------------------------------------------------------------------
def _count(obj, to_state):
    return StateTransition.objects.filter(
        object_id=obj.pk, to_state=to_state, content_type__model=obj._meta.model_name
    ).count()


def test_second_review_from_a_stale_page_is_refused(world, project):
    report = _side(project, "HK").reports.get(number=1)
    svc.submit_report(report, actor=world.hk_lead, summary="Done", file=pdf_upload("r.pdf"))
    first, second = (
        Report.objects.select_related("project_side__project").get(pk=report.pk) for _ in range(2)
    )
    svc.review_report(first, actor=world.itc_officer, accept=True)
    with pytest.raises(ValidationError):
        svc.review_report(second, actor=world.itc_officer, accept=False, comment="Too late")
    assert _count(report, ReportState.ACCEPTED) == 1 and _count(report, ReportState.RETURNED) == 0


def test_second_report_submission_from_a_stale_page_is_refused(world, project):
    report = _side(project, "HK").reports.get(number=1)
    first, second = (
        Report.objects.select_related("project_side").get(pk=report.pk) for _ in range(2)
    )
    svc.submit_report(first, actor=world.hk_lead, summary="Done", file=pdf_upload("r.pdf"))
    with pytest.raises(ValidationError):
        svc.submit_report(second, actor=world.hk_lead, summary="Again", file=pdf_upload("r.pdf"))
    assert _count(report, ReportState.SUBMITTED) == 1
    report.refresh_from_db()
    assert report.summary == "Done"


def test_budget_change_approved_twice_from_stale_pages_moves_money_once(world, project):
    hk = _side(project, "HK")
    t2, t3 = hk.tranches.get(number=2), hk.tranches.get(number=3)
    before = (t2.amount, t3.amount)
    cr = svc.request_change(
        hk,
        actor=world.hk_lead,
        kind=ChangeKind.BUDGET,
        description="Earlier",
        from_tranche=t3,
        to_tranche=t2,
        amount=Money(10000, "HKD"),
    )
    first, second = (
        ChangeRequest.objects.select_related("project_side").get(pk=cr.pk) for _ in range(2)
    )
    svc.decide_change(first, actor=world.itc_officer, approve=True)
    with pytest.raises(ValidationError, match="already been decided"):
        svc.decide_change(second, actor=world.itc_officer, approve=True)
    t2.refresh_from_db()
    t3.refresh_from_db()
    assert (t2.amount, t3.amount) == (
        before[0] + Money(10000, "HKD"),
        before[1] - Money(10000, "HKD"),
    )


def test_release_from_a_stale_page_is_refused(world, project):
    hk = _side(project, "HK")
    report = hk.reports.get(number=1)
    t2 = hk.tranches.get(number=2)
    transition(project, ProjectState.SUSPENDED, actor=world.itc_officer, reason="Audit")
    svc.submit_report(report, actor=world.hk_lead, summary="Done", file=pdf_upload("r.pdf"))
    svc.review_report(report, actor=world.itc_officer, accept=True)
    transition(project, ProjectState.ACTIVE, actor=world.itc_officer, reason="Audit closed")
    first, second = (
        Tranche.objects.select_related("project_side__project", "gating_report").get(pk=t2.pk)
        for _ in range(2)
    )
    svc.release_tranche(first, actor=world.itc_officer)
    with pytest.raises(ValidationError, match="already been released"):
        svc.release_tranche(second, actor=world.itc_officer)
    assert _count(t2, TrancheState.RELEASED) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_one_budget_change_at_once_move_money_once(world, project):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises all writers, so it cannot show row locking at work"
        )
    hk = _side(project, "HK")
    t2, t3 = hk.tranches.get(number=2), hk.tranches.get(number=3)
    before = t2.amount
    cr = svc.request_change(
        hk,
        actor=world.hk_lead,
        kind=ChangeKind.BUDGET,
        description="Earlier",
        from_tranche=t3,
        to_tranche=t2,
        amount=Money(10000, "HKD"),
    )
    barrier = threading.Barrier(4)
    ok, refused, other = [], [], []

    def worker():
        try:
            stale = ChangeRequest.objects.select_related("project_side").get(pk=cr.pk)
            barrier.wait(timeout=10)
            svc.decide_change(stale, actor=world.itc_officer, approve=True)
            ok.append(1)
        except ValidationError:
            refused.append(1)
        except Exception as exc:  # noqa: BLE001 - asserted below
            other.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not other, other
    assert len(ok) == 1 and len(refused) == 3
    t2.refresh_from_db()
    assert t2.amount == before + Money(10000, "HKD")
