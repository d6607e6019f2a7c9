"""Award → project, payments, reports, tranches, change requests and outcomes through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from djmoney.money import Money

from conftest import pdf_upload
from sciencebridge.core.models import StateTransition
from sciencebridge.funding.signals import proposal_jointly_funded
from sciencebridge.projects.models import (
    ChangeKind,
    ChangeState,
    Jurisdiction,
    OutcomeKind,
    Payment,
    Project,
    ReportingRules,
    ReportKind,
    ReportState,
    TrancheState,
)
from sciencebridge.projects.services import projects as svc

pytestmark = pytest.mark.django_db


def _side(project, side):
    return project.sides.get(side=side)


def test_award_creates_project_once_with_schedule(world, funded):
    proposal = funded()
    project = proposal.project
    # the signal again and the command for missing projects change nothing
    proposal_jointly_funded.send(sender=type(proposal), proposal=proposal, actor=None)
    assert svc.create_missing_projects() == []
    assert Project.objects.count() == 1
    hk, ml = _side(project, "HK"), _side(project, "ML")
    assert hk.approved_budget == Money(600000, "HKD") and ml.approved_budget == Money(500000, "CNY")
    assert hk.lead == world.hk_lead and ml.lead == world.ml_lead and ml.agency == world.most
    # 24 months, yearly progress reports → 1 progress report + final; tranches 40% / 50% / 10%
    reports = list(hk.reports.order_by("number"))
    assert [r.kind for r in reports] == [ReportKind.PROGRESS, ReportKind.FINAL]
    assert reports[0].due_date == project.start_date.replace(
        year=project.start_date.year + 1
    ) + dt.timedelta(30)
    tranches = list(hk.tranches.order_by("number"))
    assert [t.amount.amount for t in tranches] == [Decimal(240000), Decimal(300000), Decimal(60000)]
    assert sum((t.amount for t in ml.tranches.all()), Money(0, "CNY")) == Money(500000, "CNY")
    assert [t.state for t in tranches] == [
        TrancheState.RELEASED,
        TrancheState.SCHEDULED,
        TrancheState.SCHEDULED,
    ]
    assert tranches[1].gating_report == reports[0] and tranches[2].gating_report == reports[1]
    assert StateTransition.objects.filter(object_id=tranches[0].pk, to_state="released").exists()


def test_reporting_rules_per_scheme(world, funded):
    ReportingRules.objects.create(
        scheme=world.scheme,
        report_interval_months=6,
        first_tranche_percent=25,
        retention_percent=15,
    )
    project = funded().project
    hk = _side(project, "HK")
    assert hk.reports.filter(kind=ReportKind.PROGRESS).count() == 3
    assert [t.amount.amount for t in hk.tranches.order_by("number")] == [
        Decimal(150000),
        Decimal(120000),
        Decimal(120000),
        Decimal(120000),
        Decimal(90000),
    ]


def test_command_creates_projects_for_already_funded(world, funded):
    funded(send_signal=False)
    assert not Project.objects.exists()
    created = svc.create_missing_projects()
    assert len(created) == 1 and Project.objects.count() == 1


def test_project_needs_both_sides_funded(world, make_ready_pair):
    p = make_ready_pair()
    with pytest.raises(ValidationError, match="both agencies"):
        svc.create_project_from_award(p, actor=world.itc_officer)


def test_payment_is_idempotent_and_closes_tranche(world, project):
    hk = _side(project, "HK")
    t1 = hk.tranches.get(number=1)
    key = svc.new_idempotency_key()
    p1, created1 = svc.record_payment(
        t1, actor=world.itc_officer, amount=Money(240000, "HKD"), idempotency_key=key
    )
    p2, created2 = svc.record_payment(
        t1, actor=world.itc_officer, amount=Money(240000, "HKD"), idempotency_key=key
    )
    assert created1 and not created2 and p1 == p2
    assert Payment.objects.count() == 1
    t1.refresh_from_db()
    assert t1.state == TrancheState.PAID
    assert p1.history.count() == 1


def test_payment_refused_beyond_budget_and_tranche(world, project):
    hk = _side(project, "HK")
    t1 = hk.tranches.get(number=1)
    with pytest.raises(ValidationError) as exc:
        svc.record_payment(
            t1,
            actor=world.itc_officer,
            amount=Money(700000, "HKD"),
            idempotency_key=svc.new_idempotency_key(),
        )
    assert "exceed the approved budget" in str(exc.value) and "HK$600,000.00" in str(exc.value)
    with pytest.raises(ValidationError, match=r"at most HK\$240,000.00"):
        svc.record_payment(
            t1,
            actor=world.itc_officer,
            amount=Money(250000, "HKD"),
            idempotency_key=svc.new_idempotency_key(),
        )
    with pytest.raises(ValidationError, match="paid in HKD"):
        svc.record_payment(
            t1,
            actor=world.itc_officer,
            amount=Money(100, "CNY"),
            idempotency_key=svc.new_idempotency_key(),
        )
    assert not Payment.objects.exists()


def test_payment_beyond_budget_after_reallocation_is_refused(world, project):
    """Even if a tranche somehow exceeds the budget, the side's total is the last guard."""
    hk = _side(project, "HK")
    t1 = hk.tranches.get(number=1)
    t1.amount = Money(900000, "HKD")
    t1.save()
    svc.record_payment(
        t1,
        actor=world.itc_officer,
        amount=Money(600000, "HKD"),
        idempotency_key=svc.new_idempotency_key(),
    )
    with pytest.raises(ValidationError, match=r"remaining HK\$0.00"):
        svc.record_payment(
            t1,
            actor=world.itc_officer,
            amount=Money(1, "HKD"),
            idempotency_key=svc.new_idempotency_key(),
        )


def test_only_the_sides_officer_pays(world, project):
    ml_t1 = _side(project, "ML").tranches.get(number=1)
    for user in (world.itc_officer, world.ml_lead, world.outsider):
        with pytest.raises(PermissionDenied):
            svc.record_payment(
                ml_t1,
                actor=user,
                amount=Money(1000, "CNY"),
                idempotency_key=svc.new_idempotency_key(),
            )
    svc.record_payment(
        ml_t1,
        actor=world.most_officer,
        amount=Money(1000, "CNY"),
        idempotency_key=svc.new_idempotency_key(),
    )


def test_next_tranche_released_only_after_report_accepted(world, project):
    hk = _side(project, "HK")
    t2 = hk.tranches.get(number=2)
    with pytest.raises(ValidationError, match="only after the progress report 1 is accepted"):
        svc.record_payment(
            t2,
            actor=world.itc_officer,
            amount=Money(1000, "HKD"),
            idempotency_key=svc.new_idempotency_key(),
        )
    with pytest.raises(ValidationError, match="only after"):
        svc.release_tranche(t2, actor=world.itc_officer)
    report = t2.gating_report
    with pytest.raises(PermissionDenied):
        svc.submit_report(report, actor=world.ml_lead, summary="x", file=pdf_upload("r.pdf"))
    with pytest.raises(ValidationError) as exc:
        svc.submit_report(report, actor=world.hk_lead, summary=" ")
    assert set(exc.value.error_dict) == {"summary", "file"}
    svc.submit_report(
        report, actor=world.hk_lead, summary="Sensors built", file=pdf_upload("r.pdf")
    )
    t2.refresh_from_db()
    assert t2.state == TrancheState.SCHEDULED
    with pytest.raises(ValidationError, match="Say what must change"):
        svc.review_report(report, actor=world.itc_officer, accept=False)
    with pytest.raises(PermissionDenied):
        svc.review_report(report, actor=world.most_officer, accept=True)
    svc.review_report(
        report, actor=world.itc_officer, accept=False, comment="Add the expenditure table"
    )
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    svc.submit_report(report, actor=world.hk_lead, summary="Sensors built; expenditure attached")
    svc.review_report(report, actor=world.itc_officer, accept=True, comment="Thank you")
    t2.refresh_from_db()
    assert t2.state == TrancheState.RELEASED and t2.released_at
    # ML side is untouched: its own report gates its own tranche
    assert _side(project, "ML").tranches.get(number=2).state == TrancheState.SCHEDULED
    svc.record_payment(
        t2,
        actor=world.itc_officer,
        amount=Money(300000, "HKD"),
        idempotency_key=svc.new_idempotency_key(),
    )


def test_submit_report_rejects_non_pdf(world, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = _side(project, "HK").reports.first()
    with pytest.raises(ValidationError, match="not a PDF"):
        svc.submit_report(
            report,
            actor=world.hk_lead,
            summary="x",
            file=SimpleUploadedFile("r.pdf", b"hello", content_type="application/pdf"),
        )


def test_change_requests(world, project):
    hk = _side(project, "HK")
    t2, t3 = hk.tranches.get(number=2), hk.tranches.get(number=3)
    with pytest.raises(ValidationError, match="At most"):
        svc.request_change(
            hk,
            actor=world.hk_lead,
            kind=ChangeKind.BUDGET,
            description="More earlier",
            from_tranche=t2,
            to_tranche=t3,
            amount=Money(400000, "HKD"),
        )
    with pytest.raises(PermissionDenied):
        svc.request_change(
            hk,
            actor=world.ml_lead,
            kind=ChangeKind.EXTENSION,
            description="x",
            new_end_date=project.end_date + dt.timedelta(days=90),
        )
    cr = svc.request_change(
        hk,
        actor=world.hk_lead,
        kind=ChangeKind.BUDGET,
        description="Equipment earlier",
        from_tranche=t3,
        to_tranche=t2,
        amount=Money(10000, "HKD"),
    )
    with pytest.raises(PermissionDenied):
        svc.decide_change(cr, actor=world.most_officer, approve=True)
    svc.decide_change(cr, actor=world.itc_officer, approve=True, comment="OK")
    t2.refresh_from_db()
    t3.refresh_from_db()
    assert (t2.amount, t3.amount) == (Money(310000, "HKD"), Money(50000, "HKD"))
    assert cr.state == ChangeState.APPROVED
    with pytest.raises(ValidationError, match="already been decided"):
        svc.decide_change(cr, actor=world.itc_officer, approve=False, comment="no")

    new_end = project.end_date + dt.timedelta(days=180)
    ext = svc.request_change(
        hk,
        actor=world.hk_lead,
        kind=ChangeKind.EXTENSION,
        description="Delay",
        new_end_date=new_end,
    )
    svc.decide_change(ext, actor=world.itc_officer, approve=True)
    project.refresh_from_db()
    assert project.end_date == new_end
    assert hk.reports.get(kind=ReportKind.FINAL).period_end == new_end

    team = svc.request_change(
        hk,
        actor=world.hk_lead,
        kind=ChangeKind.TEAM,
        description="Lead moves",
        new_lead=world.outsider,
    )
    svc.decide_change(team, actor=world.itc_officer, approve=False, comment="Not qualified")
    hk.refresh_from_db()
    assert hk.lead == world.hk_lead


def test_outcomes(world, project):
    with pytest.raises(ValidationError) as exc:
        svc.add_outcome(project, actor=world.hk_lead, kind=OutcomeKind.PATENT, title="Sensor")
    assert set(exc.value.error_dict) == {"ip_status", "jurisdiction"}
    with pytest.raises(PermissionDenied):
        svc.add_outcome(project, actor=world.outsider, kind=OutcomeKind.PUBLICATION, title="Paper")
    o = svc.add_outcome(
        project,
        actor=world.ml_lead,
        kind=OutcomeKind.PATENT,
        title="Sensor",
        ip_status="filed",
        jurisdiction=Jurisdiction.MAINLAND,
        application_number="CN2026100001",
    )
    assert o.is_ip and o.created_by == world.ml_lead
    svc.update_outcome(o, actor=world.hk_lead, ip_status="granted")
    o.refresh_from_db()
    assert o.ip_status == "granted"
    people = svc.add_outcome(
        project,
        actor=world.hk_lead,
        kind=OutcomeKind.PEOPLE_TRAINED,
        title="PhD students",
        count=3,
        ip_status="filed",
    )
    assert people.ip_status == ""
    with pytest.raises(ValidationError, match="follow-on"):
        svc.add_outcome(project, actor=world.hk_lead, kind=OutcomeKind.FOLLOW_ON, title="Series A")


def test_metrics(world, project):
    from sciencebridge.core import metrics

    hk_t1 = project.sides.get(side="HK").tranches.get(number=1)
    ml_t1 = project.sides.get(side="ML").tranches.get(number=1)
    svc.record_payment(
        hk_t1, actor=world.itc_officer, amount=Money(1000, "HKD"), idempotency_key="a"
    )
    svc.record_payment(
        ml_t1, actor=world.most_officer, amount=Money(2000, "CNY"), idempotency_key="b"
    )
    svc.add_outcome(
        project,
        actor=world.hk_lead,
        kind=OutcomeKind.PATENT,
        title="P",
        ip_status="filed",
        jurisdiction="PCT",
    )
    svc.add_outcome(
        project, actor=world.hk_lead, kind=OutcomeKind.PEOPLE_TRAINED, title="PhDs", count=4
    )
    assert metrics.compute("projects.active") == 1
    assert (
        metrics.compute("projects.paid_hkd") == 1000
        and metrics.compute("projects.paid_rmb") == 2000
    )
    assert metrics.compute("projects.outcomes_patent") == 1
    assert metrics.compute("projects.outcomes_people_trained") == 4
    assert metrics.compute("projects.outcomes_patent", call_ids=[world.call.pk + 999]) == 0


def test_deleting_a_demo_proposal_deletes_its_project(world, project):
    """seed_demo --reset deletes demo proposals; their projects, money and reports go with them."""
    hk = project.sides.get(side="HK")
    t1 = hk.tranches.get(number=1)
    svc.record_payment(t1, actor=world.itc_officer, amount=Money(1000, "HKD"), idempotency_key="x")
    svc.request_change(
        hk,
        actor=world.hk_lead,
        kind=ChangeKind.BUDGET,
        description="x",
        from_tranche=hk.tranches.get(number=3),
        to_tranche=hk.tranches.get(number=2),
        amount=Money(10, "HKD"),
    )
    svc.add_outcome(project, actor=world.hk_lead, kind=OutcomeKind.PUBLICATION, title="Paper")
    project.proposal.delete()
    assert not Project.objects.exists() and not Payment.objects.exists()
    assert Payment.history.exists()  # the audit trail stays


def test_project_completes_when_both_final_reports_accepted(world, project):
    from sciencebridge.projects.models import ProjectState

    for side, officer in (("HK", world.itc_officer), ("ML", world.most_officer)):
        ps = project.sides.get(side=side)
        final = ps.reports.get(kind=ReportKind.FINAL)
        svc.submit_report(final, actor=ps.lead, summary="All done", file=pdf_upload())
        svc.review_report(final, actor=officer, accept=True)
        project.refresh_from_db()
        assert project.state == (ProjectState.COMPLETED if side == "ML" else ProjectState.ACTIVE)
        retention = ps.tranches.get(gating_report=final)
        assert retention.state == TrancheState.RELEASED
    # the retention can still be paid after completion
    hk_retention = project.sides.get(side="HK").tranches.get(number=3)
    svc.record_payment(
        hk_retention,
        actor=world.itc_officer,
        amount=hk_retention.amount,
        idempotency_key=svc.new_idempotency_key(),
    )
