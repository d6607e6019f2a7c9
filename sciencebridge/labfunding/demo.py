"""Demo data for laboratory funding (called by ``manage.py seed_demo``), built through the services.

The programmes and the 2025 reorganisation are the public record (``reference.py``); the grants, reports and
figures below are invented, in every state: released, report approved but matching below the minimum,
report submitted, returned, draft, and a cancelled grant. Idempotent.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from sciencebridge.core.testing.factories import MINIMAL_PDF
from sciencebridge.platforms.models import Platform

from .models import LabGrant, LabProgramme
from .reference import load
from .services import grants as svc

# (programme, lab code, year, amount HKD, matching HKD, scenario)
GRANTS = [
    ("itc-skl", "skl25-hkust-nsd", 2025, "20000000", "4500000", "released"),
    ("itc-skl", "skl25-hkust-displays", 2025, "18000000", "4000000", "released"),
    ("itc-skl", "skl25-coastal", 2025, "20000000", "6000000", "released"),
    ("itc-skl", "skl25-hkust-nsd", 2026, "20000000", "4200000", "submitted"),
    ("itc-skl", "skl25-hkust-displays", 2026, "18000000", "3500000", "approved_low"),
    ("itc-skl", "skl25-coastal", 2026, "20000000", "5000000", "returned"),
    ("itc-skl", "skl25-hku-eid", 2026, "20000000", None, "draft"),
    ("itc-skl", "skl25-hku-liver", 2026, "15000000", "4000000", "cancelled"),
    ("itc-cnerc", "cnerc-polyu-rail", 2024, "5000000", "5000000", "released"),
    ("itc-cnerc", "cnerc-polyu-rail", 2025, "5000000", "5000000", "released"),
    ("itc-cnerc", "cnerc-polyu-rail", 2026, "5000000", "4000000", "approved_low"),
    ("itc-cnerc", "cnerc-cityu-eis", 2026, "4000000", "4000000", "approved"),
    ("itc-cnerc", "cnerc-polyu-steel", 2026, "5000000", None, "draft"),
]


def _pdf(name):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def seed(command, rng):
    counts = load()
    User = get_user_model()
    officer = User.objects.filter(username="itc.officer").first()
    if officer is None or not LabProgramme.objects.exists():
        command.stdout.write("  labfunding: no ITC officer or programme; grants skipped")
        return
    programmes = {p.code: p for p in LabProgramme.objects.all()}
    labs = {p.code: p for p in Platform.objects.filter(code__in={g[1] for g in GRANTS})}
    made = 0
    for pcode, lab, year, amount, matching, scenario in GRANTS:
        platform = labs.get(lab)
        if platform is None or LabGrant.objects.filter(platform=platform, year=year).exists():
            continue
        grant = svc.offer_grant(
            officer, programmes[pcode], platform, year=year, amount=Decimal(amount)
        )
        made += 1
        office = (
            User.objects.filter(institution_id=grant.institution_id, groups__name="research_office")
            .order_by("pk")
            .first()
        )
        if office is None:
            office = User.objects.create(
                username=f"demo.office.{grant.institution.code}",
                email=f"demo.office.{grant.institution.code}@example.org",
                first_name="Research",
                last_name="Office",
                **_verified(grant.institution),
            )
            office.set_password("demo12345")
            office.save()
            office.grant_role("research_office")
        report = grant.report
        if scenario == "cancelled":
            svc.cancel_grant(
                officer, grant, "The laboratory asked to defer the grant to next year."
            )
            continue
        if scenario == "draft":
            continue
        svc.save_report(
            office,
            report,
            work_plan=_pdf(f"work-plan-{year}.pdf"),
            financial_report=_pdf(f"financial-report-{year}.pdf"),
            expenditure=Decimal(amount) * Decimal("0.9"),
            matching=Decimal(matching),
            summary=f"Work plan for {year} and the financial report of the year before.",
        )
        svc.submit_report(office, report)
        if scenario == "submitted":
            continue
        if scenario == "returned":
            svc.decide_report(
                officer, report, approve=False, reason="Break the equipment line down by item."
            )
            continue
        svc.decide_report(officer, report, approve=True, reason="In order.")
        if scenario == "released":
            svc.release_grant(officer, grant, "Report approved; matching confirmed.")
    command.stdout.write(
        f"  labfunding: {counts['programmes']} programmes, {counts['exercise outcomes']} outcomes "
        f"of the 2025 reorganisation, {made} grants"
    )


def _verified(inst):
    from sciencebridge.accounts.models import verified_affiliation

    return verified_affiliation(inst)
