"""Grants: offer within the rules, report, approval, release gated by the report and the matching."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from djmoney.money import Money

from sciencebridge.core.models import StateTransition
from sciencebridge.core.testing.factories import MINIMAL_PDF
from sciencebridge.labfunding.models import GrantState, ReportState
from sciencebridge.labfunding.services import grants as svc

pytestmark = pytest.mark.django_db


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def ready_report(world, grant, matching):
    svc.save_report(
        world.hku_office if grant.institution == world.hku else world.hk_office,
        grant.report,
        work_plan=pdf("plan.pdf"),
        financial_report=pdf("fin.pdf"),
        expenditure=Decimal("100"),
        matching=Decimal(matching),
    )


def test_full_route_skl(world, lf):
    grant = svc.offer_grant(world.itc_officer, lf.skl_prog, lf.skl, year=2026, amount=20_000_000)
    assert grant.institution == world.hku and grant.amount == Money(20_000_000, "HKD")
    ready_report(world, grant, "4000000")
    svc.submit_report(world.hku_office, grant.report)
    svc.decide_report(world.itc_officer, grant.report, approve=True, reason="ok")
    svc.release_grant(world.itc_officer, grant, "go")
    grant.refresh_from_db()
    assert grant.state == GrantState.RELEASED and grant.released_on is not None
    steps = list(StateTransition.objects.filter(object_id__in=[grant.pk, grant.report.pk]))
    assert {s.to_state for s in steps} >= {"offered", "draft", "submitted", "approved", "released"}


def test_release_refused_without_approved_report(world, lf):
    grant = svc.offer_grant(world.itc_officer, lf.skl_prog, lf.skl, year=2026, amount=20_000_000)
    with pytest.raises(ValidationError) as e:
        svc.release_grant(world.itc_officer, grant)
    assert "cannot be released before the laboratory's work plan and financial report" in str(
        e.value
    )
    ready_report(world, grant, "4000000")
    svc.submit_report(world.hku_office, grant.report)
    with pytest.raises(ValidationError, match="report: Submitted"):
        svc.release_grant(world.itc_officer, grant)
    grant.refresh_from_db()
    assert grant.state == GrantState.OFFERED


def test_release_refused_with_matching_below_minimum(world, lf):
    grant = svc.offer_grant(world.itc_officer, lf.skl_prog, lf.skl, year=2026, amount=10_000_000)
    ready_report(world, grant, "3999999.99")
    svc.submit_report(world.hku_office, grant.report)
    svc.decide_report(world.itc_officer, grant.report, approve=True)
    with pytest.raises(ValidationError) as e:
        svc.release_grant(world.itc_officer, grant)
    msg = str(e.value)
    assert "below the programme's minimum" in msg and "4,000,000.00" in msg
    assert svc.matching_check(grant.report)["ok"] is False


def test_dollar_for_dollar_matching_for_cnerc(world, lf):
    grant = svc.offer_grant(world.itc_officer, lf.cnerc_prog, lf.cnerc, year=2024, amount=5_000_000)
    assert lf.cnerc_prog.required_matching(grant.amount) == Money(5_000_000, "HKD")
    ready_report(world, grant, "4500000")
    assert svc.matching_check(grant.report)["ok"] is False
    svc.save_report(world.hk_office, grant.report, matching=Decimal("5000000"))
    assert svc.matching_check(grant.report)["ok"] is True


def test_offer_rules(world, lf):
    with pytest.raises(ValidationError, match="over the programme's ceiling"):
        svc.offer_grant(world.itc_officer, lf.skl_prog, lf.skl, year=2026, amount=20_000_001)
    with pytest.raises(ValidationError, match="not a laboratory of this programme's kind"):
        svc.offer_grant(world.itc_officer, lf.skl_prog, lf.cnerc, year=2026, amount=1)
    with pytest.raises(ValidationError, match="apply from 2025"):
        svc.offer_grant(world.itc_officer, lf.skl_prog, lf.skl, year=2024, amount=1)
    with pytest.raises(ValidationError, match="in HKD, not CNY"):
        svc.offer_grant(world.itc_officer, lf.skl_prog, lf.skl, year=2026, amount=Money(1, "CNY"))
    for year in (2024, 2025, 2026):
        svc.offer_grant(world.itc_officer, lf.cnerc_prog, lf.cnerc, year=year, amount=5_000_000)
    with pytest.raises(ValidationError, match="at most 3 years"):
        svc.offer_grant(world.itc_officer, lf.cnerc_prog, lf.cnerc, year=2027, amount=5_000_000)
    with pytest.raises(ValidationError, match="already has a grant for 2026"):
        svc.offer_grant(world.itc_officer, lf.skl_prog, lf.skl, year=2026, amount=1)
        svc.offer_grant(world.itc_officer, lf.skl_prog, lf.skl, year=2026, amount=1)
    with pytest.raises(PermissionDenied):
        svc.offer_grant(world.most_officer, lf.skl_prog, lf.skl, year=2027, amount=1)


def test_report_checks(world, lf):
    grant = svc.offer_grant(world.itc_officer, lf.skl_prog, lf.skl, year=2026, amount=1_000_000)
    with pytest.raises(ValidationError, match="without the work plan"):
        svc.submit_report(world.hku_office, grant.report)
    fake = SimpleUploadedFile("plan.pdf", b"<html>%PDF-</html>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="is not a PDF"):
        svc.save_report(world.hku_office, grant.report, work_plan=fake)
    with pytest.raises(PermissionDenied):
        svc.save_report(world.hk_office, grant.report, summary="not my lab")
    ready_report(world, grant, "4000000")
    svc.submit_report(world.hku_office, grant.report)
    with pytest.raises(ValidationError, match="no longer be changed"):
        svc.save_report(world.hku_office, grant.report, summary="late")
    with pytest.raises(ValidationError, match="Say what the laboratory should change"):
        svc.decide_report(world.itc_officer, grant.report, approve=False)
    svc.decide_report(world.itc_officer, grant.report, approve=False, reason="More detail")
    assert grant.report.state == ReportState.RETURNED
    svc.submit_report(world.hku_office, grant.report)  # resubmitted after changes
    assert grant.report.state == ReportState.SUBMITTED
