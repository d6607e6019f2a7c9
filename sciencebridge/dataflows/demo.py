"""Demo data for GBA data flows (called by ``manage.py seed_demo``), built through the services.

On a demo project with a Mainland lead, the lead (Shenzhen) sends survey data to a partner at HKU
(``hku.partner``, added here): one agreement signed and filed by both parties, one signed with the Hong
Kong filing still open (overdue), one awaiting the recipient's acceptance, one draft. The committee's
workplan items on research-data flow and GBA flows are linked to the data-flow metrics. Idempotent.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sciencebridge.accounts.models import verified_affiliation
from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import MINIMAL_PDF
from sciencebridge.institutions.models import Institution

from . import reference
from .models import DataTransferAgreement, GBALocation
from .services import agreements as svc
from .services import filings as fsvc

PARTNER = "hku.partner"


def _partner(command):
    User = get_user_model()
    user = User.objects.filter(username=PARTNER).first()
    if user is not None:
        return user
    hku = Institution.objects.filter(code="hku").first()
    if hku is None:
        return None
    from sciencebridge.core.demo_support import DEMO_PASSWORD

    user = User.objects.create_user(
        username=PARTNER,
        email="hku.partner@demo.sciencebridge.local",
        password=DEMO_PASSWORD,
        first_name="Siu Wai",
        last_name="Cheung",
        **verified_affiliation(hku),
    )
    user.grant_role(Role.APPLICANT)
    command.stdout.write(f"  {PARTNER}: a researcher at HKU (data recipient)")
    return user


def _link_workplan(command):
    from sciencebridge.cooperation.demo import CODE
    from sciencebridge.cooperation.models import CooperationArea, Workplan
    from sciencebridge.cooperation.services import workplans as wsvc

    wp = Workplan.objects.filter(code=CODE).first()
    sec = get_user_model().objects.filter(username="secretariat").first()
    if wp is None or sec is None:
        return
    item = wp.items.filter(number="v").first()
    if item is not None and not item.metric_code:
        wsvc.save_item(sec, wp, item, metric_code="dataflows.agreements_signed", target=Decimal(5))
    gba = CooperationArea.objects.filter(code="gba").first()
    if gba is not None and not wp.items.filter(number="ix").exists():
        wsvc.save_item(
            sec,
            wp,
            area=gba,
            number="ix",
            text_en="File every GBA data-transfer agreement on time with both authorities",
            text_zh_hant="所有大灣區數據傳輸合同均按時向雙方主管部門備案",
            text_zh_hans="所有大湾区数据传输合同均按时向双方主管部门备案",
            metric_code="dataflows.on_time_filing_rate",
            target=Decimal(100),
        )
    command.stdout.write("  workplan items v and ix linked to the data-flow metrics")


def seed(command, rng):
    _link_workplan(command)
    if DataTransferAgreement.objects.exists():
        command.stdout.write("  data-transfer agreements exist already: nothing added")
        return
    from sciencebridge.projects.models import ProjectSide

    side = (
        ProjectSide.objects.filter(side="ML", lead__isnull=False, lead__institution__isnull=False)
        .select_related("project", "lead__institution")
        .order_by("project__reference")
        .first()
    )
    partner = _partner(command)
    if side is None or partner is None:
        command.stdout.write("  no funded project with a Mainland lead: no agreements")
        return
    lead, project = side.lead, side.project
    loc = {x.code: x for x in GBALocation.objects.all()}
    today = timezone.localdate()

    def make(title, effective, **over):
        fields = {
            "title": title,
            "project": project,
            "processor_institution": lead.institution,
            "processor_location": loc["shenzhen"],
            "recipient_institution": partner.institution,
            "recipient_location": loc["hong-kong"],
            "recipient_contact": partner,
            "purpose": "Joint analysis of a household survey on cross-boundary commuting",
            "processing_method": "Pseudonymised statistical analysis on the recipient's secure server",
            "pi_categories": "Age band; district of residence; commuting times; occupation",
            "volume": 1200,
            "retention_months": 36,
            "consent_basis": "consent",
            "security_measures": "Encryption in transit and at rest; named researchers only; audit log",
            "piia_date": min(effective - dt.timedelta(days=14), today - dt.timedelta(days=1)),
            "effective_date": effective,
            "supplementary_terms": "Publications from the data are co-authored by both teams.",
        }
        fields.update(over)
        return svc.create_agreement(
            lead,
            piia_file=SimpleUploadedFile("piia.pdf", MINIMAL_PDF, content_type="application/pdf"),
            **fields,
        )

    def sign(a):
        svc.submit(lead, a)
        svc.accept(lead, a, "processor")
        svc.accept(partner, a, "recipient")
        a.refresh_from_db()
        return a

    a1 = sign(make("Commuter survey 2026 (wave 1)", today - dt.timedelta(days=60)))
    for f in a1.filings.all():
        fsvc.record_filing(
            lead if f.party == "processor" else partner,
            f,
            reference=f"{'GDCAC' if f.party == 'processor' else 'DPO'}-2026-{a1.pk:04d}",
            filed_on=a1.effective_date + dt.timedelta(days=5 if f.party == "processor" else 9),
        )
    svc.add_log_entry(
        partner, a1, occurred_on=a1.effective_date + dt.timedelta(days=3), activity="Data received"
    )
    a2 = sign(make("Commuter survey 2026 (wave 2)", today - dt.timedelta(days=30)))
    f = a2.filings.get(party="processor")
    fsvc.record_filing(lead, f, reference=f"GDCAC-2026-{a2.pk:04d}", filed_on=f.due_date)
    a3 = make("Clinic visit records for the air-quality study", today)
    svc.submit(lead, a3)
    make("Follow-up interviews (draft)", today + dt.timedelta(days=20))
    command.stdout.write(
        f"  4 data-transfer agreements on {project.reference}: {lead.username} (Shenzhen) → "
        f"{PARTNER} (HKU); one Hong Kong filing overdue"
    )


_seed_agreements = seed

from .demo_samples import LOGINS  # noqa: E402,F401  (the pilot unit's demo accounts)
from .demo_samples import seed as _seed_samples  # noqa: E402


def seed(command, rng):  # noqa: F811  (agreements, then sample exports and datasets)
    # The GBA locations, annex and requirements come with the migration; a database flushed since
    # (e.g. by a test) has lost them, and the demo needs them: reload (idempotent).
    reference.load()
    _seed_agreements(command, rng)
    _seed_samples(command, rng)
