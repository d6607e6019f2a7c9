"""The fixture world of the access matrix: one object of every kind a URL can name, built with the
project's factories and services, plus the identities of ``identities.py``.

Objects (all on one joint call of the ITC/MOST scheme):
- ``p_sub``: a joint proposal submitted, endorsed and screened eligible on both sides; HK half reviewed by
  ``expert`` (review submitted), ``expert_coi`` and ``chair_coi`` declared a conflict on it; both panels have a
  recommendation; HK panel chaired by ``chair_coi``, Mainland panel by ``chair``.
- ``p_draft``: a joint proposal never submitted (both halves drafts).
- ``p_half``: the HK half submitted, endorsed and screened ineligible, the Mainland half still a draft; the HK
  lead asked for a recheck (``recheck``, with a PDF of evidence).
- ``p_funded``: a joint proposal funded by both agencies through the decision service, hence a project with
  tranches, a payment, a submitted report (PDF), a change request and an outcome.
- marketplace: an offer of the HKU TTO, a need of the enterprise, a deal, a saved search.
- platforms: a joint lab with a Mainland instrument, an approved allocation of ``applicant`` and a booking.
- talent: a programme, an open posting hosted by HKU, ``applicant``'s application with a CV (PDF), an exchange.
- cooperation: an agreement in force, a meeting, an approved workplan with an item, an indicator with a value.
- experts: an expert import run by the secretariat, with its report file.
- dataflows: on the funded project, ``partner`` (Tsinghua, Shenzhen) sends survey data to ``applicant_other``
  (HKU): ``dt_signed`` accepted by both with its two filings and a PIIA (PDF); ``dt_draft`` a draft.
- labfunding: an ITC programme, an SKL hosted by HKU with a grant offered by ITC and its report (two PDFs)
  filled in by HKU's office; a reorganisation exercise.
- nominations: an exercise (ITC checks, MOST approves, HKU nominates), HKU's nomination of ``expert``
  (consented, forwarded to MOST), a draft nomination of another HKU expert, a batch upload by HKU.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from djmoney.money import Money

from sciencebridge.core.testing.factories import (
    MINIMAL_PDF,
    AgencyFactory,
    InstitutionFactory,
    make_call,
    make_scheme,
)

from . import identities as ids


def _pdf(name="document.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def _institutions(w):
    w.itc = AgencyFactory(
        code="itc",
        name="Innovation and Technology Commission",
        short_name="ITC",
        region="HK",
        currency="HKD",
    )
    w.most = AgencyFactory(
        code="most",
        name="Ministry of Science and Technology",
        short_name="MOST",
        region="ML",
        currency="CNY",
    )
    w.rgc = AgencyFactory(
        code="rgc", name="Research Grants Council", short_name="RGC", region="HK", currency="HKD"
    )
    w.astri = InstitutionFactory(
        code="astri", name="ASTRI", region="HK", type="research_institute", category="rnd_centre"
    )
    w.hku = InstitutionFactory(
        code="hku", name="The University of Hong Kong", short_name="HKU", region="HK"
    )
    w.cuhk = InstitutionFactory(
        code="cuhk", name="The Chinese University of Hong Kong", short_name="CUHK", region="HK"
    )
    w.company = InstitutionFactory(
        code="hk-co", name="HK Robotics Ltd", region="HK", type="enterprise", category="company"
    )
    w.tsinghua = InstitutionFactory(
        code="tsinghua", name="Tsinghua University", region="ML", category="mainland_university"
    )
    w.fudan = InstitutionFactory(
        code="fudan", name="Fudan University", region="ML", category="mainland_university"
    )


def _call(w):
    from sciencebridge.funding.models import AssessmentCriterion

    w.scheme = make_scheme(
        w.itc, w.most, hk_ceiling=Decimal("1000000"), ml_ceiling=Decimal("800000")
    )
    w.call = make_call(
        w.scheme, budget_hk=Money(5_000_000, "HKD"), budget_ml=Money(4_000_000, "CNY")
    )
    w.quality = AssessmentCriterion.objects.create(
        scheme=w.scheme, order=1, name="Quality", weight=Decimal(2)
    )
    w.feasibility = AssessmentCriterion.objects.create(
        scheme=w.scheme, order=2, name="Feasibility", weight=Decimal(1)
    )


def _ready_pair(w, title):
    from sciencebridge.funding.services import proposals as svc

    hk_lead, ml_lead = w.users[ids.APPLICANT], w.users[ids.PARTNER]
    p = svc.create_proposal(
        hk_lead,
        w.call,
        title=title,
        abstract="An abstract.",
        plan="A plan.",
        project_type=w.scheme.project_types.get(code="platform"),
        area=w.scheme.areas.first(),
        duration_months=24,
    )
    inv = svc.invite_partner(hk_lead, p, email=ml_lead.email, institution=ml_lead.institution)
    svc.accept_invitation(ml_lead, inv.token)
    kind = w.scheme.required_attachments.get(code="proposal")
    for side, lead, cur, amount in (("HK", hk_lead, "HKD", 600000), ("ML", ml_lead, "CNY", 500000)):
        half = p.half(side)
        half.refresh_from_db()
        svc.replace_budget(
            lead, half, [{"category": "staff", "description": "RA", "amount": Money(amount, cur)}]
        )
        svc.update_half(
            lead,
            half,
            keywords="sensing, logistics",
            industry_sponsorship=Decimal(100000) if cur == "HKD" else None,
        )
        svc.add_attachment(lead, half, kind, _pdf("proposal.pdf"))
    p.refresh_from_db()
    return p


def _eligible(w, p):
    from sciencebridge.funding.services import proposals as svc

    hk, ml = p.half("HK"), p.half("ML")
    svc.submit_half(hk.lead, hk)
    svc.submit_half(ml.lead, ml)
    hk.refresh_from_db()
    ml.refresh_from_db()
    svc.endorse(w.users[ids.OFFICE_OWN], hk)
    svc.screen(w.users[ids.OFFICER_HK], hk, eligible=True, reason="Complete and eligible.")
    svc.screen(w.users[ids.OFFICER_ML], ml, eligible=True, reason="Complete and eligible.")
    p.refresh_from_db()
    return p


def _proposals(w):
    from sciencebridge.funding.services import proposals as svc

    w.p_sub = _eligible(w, _ready_pair(w, "Submitted: smart sensing for cross-boundary logistics"))
    w.p_draft = _ready_pair(w, "Draft: secret idea never submitted")
    w.p_draft.refresh_from_db()
    w.p_funded = _eligible(w, _ready_pair(w, "Funded: robots for port logistics"))
    w.p_half = _ready_pair(w, "Half-submitted: membranes for desalination")
    hk = w.p_half.half("HK")
    svc.submit_half(hk.lead, hk)
    w.p_half.refresh_from_db()
    w.attachment = w.p_draft.half("HK").attachments.first()
    w.attachment_sub = w.p_sub.half("HK").attachments.first()
    w.team_member = (
        w.p_draft.half("HK").team.exclude(user=w.users[ids.APPLICANT]).first()
        or w.p_draft.half("HK").team.first()
    )
    w.partner_invitation = w.p_draft.invitations.first()


def _review(w):
    from sciencebridge.experts.models import ExpertProfile, ExpertStatus, Publication
    from sciencebridge.review.models import (
        Assignment,
        AssignmentRun,
        AssignmentState,
        Review,
        ReviewScore,
        ReviewState,
        RunState,
    )

    def profile(user, region="HK"):
        return ExpertProfile.objects.create(
            user=user,
            name_en=user.get_full_name(),
            email=user.email,
            region=region,
            institution=user.institution,
            status=ExpertStatus.ADMITTED,
            keywords="sensing, logistics",
        )

    w.run_hk = AssignmentRun.objects.create(
        call=w.call,
        side="HK",
        state=RunState.PUBLISHED,
        created_by=w.users[ids.OFFICER_HK],
        published_at=timezone.now(),
    )
    w.run_ml = AssignmentRun.objects.create(
        call=w.call,
        side="ML",
        state=RunState.PUBLISHED,
        created_by=w.users[ids.OFFICER_ML],
        published_at=timezone.now(),
    )
    hk, ml = w.p_sub.half("HK"), w.p_sub.half("ML")
    now = timezone.now()
    w.expert_profile = profile(w.users[ids.EXPERT])
    w.assignment = Assignment.objects.create(
        run=w.run_hk,
        proposal=w.p_sub,
        half=hk,
        expert=w.expert_profile,
        state=AssignmentState.SUBMITTED,
        invited_at=now,
        responded_at=now,
        coi_confirmed_at=now,
    )
    w.review = Review.objects.create(
        assignment=w.assignment,
        state=ReviewState.SUBMITTED,
        submitted_at=now,
        comments_to_applicant="Strong team.",
        confidential_comments="CONFIDENTIAL-REVIEW-NOTE",
    )
    for crit, score in ((w.quality, 8), (w.feasibility, 7)):
        ReviewScore.objects.create(review=w.review, criterion=crit, score=score)
    w.coi_profile = profile(w.users[ids.EXPERT_COI])
    w.assignment_coi = Assignment.objects.create(
        run=w.run_hk,
        proposal=w.p_sub,
        half=hk,
        expert=w.coi_profile,
        state=AssignmentState.CONFLICT,
        invited_at=now,
        responded_at=now,
        response_note="My former student leads it.",
    )
    w.chair_coi_profile = profile(w.users[ids.CHAIR_COI])
    w.assignment_chair_coi = Assignment.objects.create(
        run=w.run_hk,
        proposal=w.p_sub,
        half=hk,
        expert=w.chair_coi_profile,
        state=AssignmentState.CONFLICT,
        invited_at=now,
        responded_at=now,
        response_note="Co-author of the lead.",
    )
    w.publication = Publication.objects.create(
        expert=w.expert_profile, title="Sensing paper", year=2024
    )
    w.chair_profile = profile(w.users[ids.CHAIR], region="ML")
    w.assignment_ml = Assignment.objects.create(
        run=w.run_ml,
        proposal=w.p_sub,
        half=ml,
        expert=w.chair_profile,
        state=AssignmentState.SUBMITTED,
        invited_at=now,
        responded_at=now,
        coi_confirmed_at=now,
    )
    review_ml = Review.objects.create(
        assignment=w.assignment_ml, state=ReviewState.SUBMITTED, submitted_at=now
    )
    for crit, score in ((w.quality, 6), (w.feasibility, 6)):
        ReviewScore.objects.create(review=review_ml, criterion=crit, score=score)


def _panels(w):
    from sciencebridge.decisions.services import panel as psvc

    w.panel_hk = psvc.panel_for(w.call, "HK")
    psvc.appoint_chair(w.users[ids.OFFICER_HK], w.panel_hk, w.users[ids.CHAIR_COI])
    w.panel_ml = psvc.panel_for(w.call, "ML")
    psvc.appoint_chair(w.users[ids.OFFICER_ML], w.panel_ml, w.users[ids.CHAIR])
    psvc.record_recommendation(
        w.users[ids.CHAIR],
        w.p_sub.half("ML"),
        recommendation="fund",
        notes="Good cooperation.",
        conditions="",
    )


def _decisions_and_project(w):
    from sciencebridge.decisions.services import decisions as dsvc
    from sciencebridge.projects.models import ReportState
    from sciencebridge.projects.services import projects as prj

    # the call is still open and no panel sat on p_funded: each officer decides with a recorded override
    dsvc.decide(
        w.users[ids.OFFICER_HK],
        w.p_funded.half("HK"),
        fund=True,
        amount="600000",
        reason="Strong.",
        override_reason="Matrix world: decided before the call closes.",
    )
    dsvc.decide(
        w.users[ids.OFFICER_ML],
        w.p_funded.half("ML"),
        fund=True,
        amount="500000",
        reason="Strong.",
        override_reason="Matrix world: decided before the call closes.",
    )
    w.p_funded.refresh_from_db()
    w.project = prj.create_project_from_award(
        w.p_funded, actor=w.users[ids.OFFICER_HK], notify_leads=False
    )
    w.project_side_hk = w.project.sides.get(side="HK")
    w.tranche = w.project_side_hk.tranches.order_by("number").first()
    if w.tranche.state != "released":
        prj.release_tranche(w.tranche, actor=w.users[ids.OFFICER_HK])
    w.tranche.refresh_from_db()
    w.payment, _created = prj.record_payment(
        w.tranche,
        actor=w.users[ids.OFFICER_HK],
        amount=Money(1000, "HKD"),
        idempotency_key=prj.new_idempotency_key(),
    )
    w.tranche_unreleased = (
        w.project_side_hk.tranches.exclude(pk=w.tranche.pk).order_by("number").first()
    )
    w.report = (
        w.project_side_hk.reports.filter(state=ReportState.PENDING).order_by("due_date").first()
    )
    prj.submit_report(
        w.report, actor=w.users[ids.APPLICANT], summary="Progress.", file=_pdf("report.pdf")
    )
    w.report.refresh_from_db()
    w.change = prj.request_change(
        w.project_side_hk,
        actor=w.users[ids.APPLICANT],
        kind="extension",
        description="Six more months.",
        new_end_date=w.project.end_date + dt.timedelta(days=180),
    )
    w.outcome = prj.add_outcome(
        w.project, actor=w.users[ids.APPLICANT], kind="publication", title="A paper"
    )


def _experts(w):
    from sciencebridge.experts.services import importing as imp
    from sciencebridge.jobs.models import Job
    from sciencebridge.jobs.runner import execute

    folder = imp.import_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "upload-matrix.csv"
    path.write_text(
        "name_en,email,region\nLeak Person,leak.person@example.org,HK\n,no-name@example.org,HK\n",
        encoding="utf-8",
    )
    job = Job.objects.create(
        kind="experts.import",
        handler="sciencebridge.experts.services.importing.run_import_job",
        params={"path": str(path), "filename": "experts.csv", "status": "admitted"},
        created_by=w.users[ids.SECRETARIAT],
    )
    w.import_job = execute(job.pk)


def _market(w):
    from sciencebridge.transfer.services import alerts
    from sciencebridge.transfer.services import deals as deal_svc
    from sciencebridge.transfer.services import needs as need_svc
    from sciencebridge.transfer.services import offers as offer_svc

    w.offer = offer_svc.create_offer(
        w.users[ids.TTO],
        publish=True,
        notify_matches=False,
        title_en="Solid-state electrolyte",
        summary_en="A ceramic-polymer electrolyte.",
        field="energy",
        keywords="battery, electrolyte",
        trl=5,
        ip_status="granted",
        ip_jurisdiction="CN",
        ip_reference="ZL2023",
        offer_types=["licence"],
        visibility="public",
        details="CONFIDENTIAL-OFFER-DETAILS",
    )
    w.need = need_svc.post_need(
        w.users[ids.ENTERPRISE],
        title="Safer batteries",
        description="Our packs overheat; we need a solid electrolyte.",
        field="energy",
        keywords="battery",
    )
    w.deal = deal_svc.express_interest(
        w.users[ids.ENTERPRISE], w.offer, message="Interested in a licence."
    )
    w.search = alerts.save_search(w.users[ids.ENTERPRISE], query="battery")


def _platforms(w):
    from sciencebridge.core.testing.factories import UserFactory
    from sciencebridge.platforms.models import Facility, Platform
    from sciencebridge.platforms.services import facilities as svc

    w.lab = Platform.objects.create(code="m-lab", kind="cas_joint_lab", name="Joint laboratory")
    w.lab.hosts.add(w.hku)
    w.lab.partners.add(w.tsinghua)
    manager = UserFactory(username="m_facility_manager", institution=w.tsinghua)
    w.facility = Facility.objects.create(
        platform=w.lab,
        code="m-nmr",
        name="NMR spectrometer",
        kind="instrument",
        region="ML",
        slot_minutes=60,
    )
    w.facility.managers.add(manager)
    w.allocation = svc.request_allocation(
        w.users[ids.APPLICANT],
        w.facility,
        project_reference=w.project.reference,
        hours_requested=Decimal("10"),
        purpose="Structure of sensing materials",
    )
    svc.decide_allocation(manager, w.allocation, approve=True, hours_approved=Decimal("6"))
    w.allocation.refresh_from_db()
    start = (timezone.localtime() + dt.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    w.booking = svc.book(
        w.users[ids.APPLICANT], w.allocation, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )


def _talent(w):
    from sciencebridge.talent.models import Exchange, Programme, ProgrammeCall
    from sciencebridge.talent.services import exchanges as svc

    now = timezone.now()
    prog = Programme.objects.create(
        code="m-ysx", name="Young scientist exchange", kind="young_scientist"
    )
    call = ProgrammeCall.objects.create(
        programme=prog,
        code="m-ysx-2026",
        title="2026 exchanges",
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=30),
    )
    w.posting = svc.create_posting(
        w.users[ids.OFFICE_OTHER],
        call,
        title="Visiting researcher",
        description="Quantum sensing.",
        keywords="quantum",
        duration_months=6,
        positions=1,
    )
    w.application = svc.apply(
        w.users[ids.APPLICANT],
        w.posting,
        statement="PRIVATE-STATEMENT",
        documents=[("cv", _pdf("cv.pdf"))],
    )
    w.document = w.application.documents.first()
    w.exchange = Exchange.objects.create(
        programme=prog,
        person_name="Visiting Person",
        home=w.tsinghua,
        host=w.hku,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 6, 30),
    )


def _cooperation(w):
    from sciencebridge.cooperation.models import (
        Agreement,
        CooperationArea,
        Indicator,
        IndicatorValue,
        Meeting,
        WorkplanItem,
    )
    from sciencebridge.cooperation.services import workplans as wsvc

    sec = w.users[ids.SECRETARIAT]
    area = CooperationArea.objects.create(code="m-area", name="Joint funding")
    w.agreement = Agreement.objects.create(
        code="m-mou", kind="memorandum", title="MoU", status="in_force"
    )
    w.agreement_draft = Agreement.objects.create(
        code="m-draft-mou", kind="memorandum", title="Draft MoU", status="draft"
    )
    w.meeting = Meeting.objects.create(number=77, held_on=dt.date(2026, 3, 1), place="Hong Kong")
    w.workplan = wsvc.create_workplan(sec, code="m-wp", title="Workplan", period="2026")
    w.workplan_item = WorkplanItem.objects.create(
        workplan=w.workplan, area=area, number="i", text="Fund projects"
    )
    w.indicator = Indicator.objects.create(code="m-rd", name="R&D spending", unit="HKD")
    w.indicator_value = IndicatorValue.objects.create(
        indicator=w.indicator, year=2025, value=Decimal("1.5")
    )


def _dataflows(w):
    from sciencebridge.dataflows import reference as dataflow_reference
    from sciencebridge.dataflows.models import GBALocation
    from sciencebridge.dataflows.services import agreements as svc

    dataflow_reference.load()  # a transactional test before may have flushed the migration's rows
    loc = {x.code: x for x in GBALocation.objects.all()}
    today = timezone.localdate()
    partner, recipient = w.users[ids.PARTNER], w.users[ids.APPLICANT_OTHER]
    fields = {
        "project": w.project,
        "processor_institution": w.tsinghua,
        "processor_location": loc["shenzhen"],
        "recipient_institution": w.hku,
        "recipient_location": loc["hong-kong"],
        "recipient_contact": recipient,
        "purpose": "PRIVATE-PURPOSE survey analysis",
        "processing_method": "Pseudonymised analysis",
        "pi_categories": "Age band, district",
        "volume": 500,
        "retention_months": 24,
        "consent_basis": "consent",
        "security_measures": "Encryption",
        "piia_date": today - dt.timedelta(days=5),
        "effective_date": today,
    }
    w.dt_signed = svc.create_agreement(
        partner, title="Survey transfer", piia_file=_pdf("piia.pdf"), **fields
    )
    svc.submit(partner, w.dt_signed)
    svc.accept(partner, w.dt_signed, "processor")
    svc.accept(recipient, w.dt_signed, "recipient")
    w.dt_filing = w.dt_signed.filings.get(party="processor")
    w.dt_draft = svc.create_agreement(partner, title="Draft transfer", **fields)


def _accounts(w):
    from sciencebridge.core.testing.factories import UserFactory
    from sciencebridge.notifications.models import Notification

    w.inactive = UserFactory(
        username="m_inactive", is_active=False
    )  # registered, not yet activated
    w.notification = (
        Notification.objects.filter(recipient=w.users[ids.APPLICANT]).order_by("pk").first()
    )
    assert w.notification is not None, "the world sent the applicant no notification"


def _exclusions(w):
    """Issue 17: an expert the HK applicant asked to avoid on p_sub (matched to nobody, so it changes
    no one's conflicts)."""
    from sciencebridge.exclusions.models import ExpertExclusion

    w.exclusion = ExpertExclusion.objects.create(
        half=w.p_sub.half("HK"),
        name="Nobody Known-Here",
        reason="Competitor of the applicant",
        created_by=w.users[ids.APPLICANT],
    )


def _remittances(w):
    from sciencebridge.remittances.services import remittances as rsvc

    side_ml = w.project.sides.get(side="ML")
    w.remittance = rsvc.instruct(side_ml.tranches.get(number=1), actor=w.users[ids.OFFICER_ML])
    w.tranche_ml_later = side_ml.tranches.get(number=2)


def _samples_and_datasets(w):
    """A pilot unit's (HKU-Shenzhen Hospital's) approved export to HKU on ``project``, one transfer
    under review; a dataset of ``project`` registered by ``applicant``, held by ASTRI."""
    from sciencebridge.accounts.roles import Role
    from sciencebridge.core.testing.factories import UserFactory
    from sciencebridge.dataflows.models_samples import PilotUnit
    from sciencebridge.dataflows.services import datasets as dsvc
    from sciencebridge.dataflows.services import samples as ssvc

    hosp = InstitutionFactory(
        code="m-hku-szh", name="HKU-Shenzhen Hospital", region="ML", category="mainland_institute"
    )
    unit = PilotUnit.objects.create(institution=hosp, kind="hospital", parent=w.hku)
    sender = UserFactory(username="m_szh_researcher", institution=hosp, roles=[Role.APPLICANT])
    today = timezone.localdate()
    w.hgr_export = ssvc.create_application(
        sender,
        pilot_unit=unit,
        recipient=w.hku,
        sample_kind="blood",
        quantity=50,
        purpose="PRIVATE-SAMPLE-PURPOSE",
    )
    w.hgr_export.project = w.project  # linked by the secretariat (the sender leads no project here)
    w.hgr_export.save(update_fields=["project"])
    ssvc.submit(sender, w.hgr_export)
    ssvc.record_approval(
        w.users[ids.SECRETARIAT],
        w.hgr_export,
        approval_reference="M-HGR-1",
        approval_date=today - dt.timedelta(days=5),
    )
    w.hgr_transfer = ssvc.record_transfer(sender, w.hgr_export, quantity=10, shipped_on=today)
    w.dataset = dsvc.register_dataset(
        w.users[ids.APPLICANT],
        w.project,
        title="Port robot telemetry",
        description="PRIVATE-DATASET-DESCRIPTION",
        holder=w.astri,
        held_in="HK",
        location="ASTRI data lake",
        licence="cc-by-4.0",
        access="team",
        classification="internal",
    )


def _labfunding(w):
    from sciencebridge.labfunding.models import Exercise, LabProgramme
    from sciencebridge.labfunding.services import grants as svc
    from sciencebridge.labfunding.services.exercises import record_outcome
    from sciencebridge.platforms.models import Platform

    prog = LabProgramme.objects.create(
        code="m-skl",
        name="SKL funding",
        platform_kind="skl",
        funder=w.itc,
        yearly_ceiling=Money(20_000_000, "HKD"),
        min_matching=Money(4_000_000, "HKD"),
        first_year=2025,
    )
    w.skl = Platform.objects.create(code="m-skl", kind="skl", name="State key lab")
    w.skl.hosts.add(w.hku)
    w.lab_grant = svc.offer_grant(
        w.users[ids.OFFICER_HK], prog, w.skl, year=2026, amount=Decimal("20000000")
    )
    svc.save_report(
        w.users[ids.OFFICE_OTHER],
        w.lab_grant.report,
        work_plan=_pdf("plan.pdf"),
        financial_report=_pdf("finance.pdf"),
        expenditure=Decimal("100"),
        matching=Decimal("4000000"),
    )
    w.lab_exercise = Exercise.objects.create(
        code="m-reorg", name="Reorganisation", kind="reorganisation", year=2025
    )
    record_outcome(w.lab_exercise, w.lab, "closed")


def _nominations(w):
    from sciencebridge.core.workflow import record_initial_state, transition
    from sciencebridge.experts.models import ExpertProfile
    from sciencebridge.nominations.models import Nomination, NominationBatch, NominationExercise

    today = timezone.localdate()
    w.nom_exercise = NominationExercise.objects.create(
        code="m-edb",
        name="Expert databases",
        year=today.year,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=10),
        checking_agency=w.itc,
        approving_agency=w.most,
    )
    w.nom_exercise.nominating_institutions.set([w.hku])
    # ``expert`` (the identity, whose profile is at CUHK) is nominated by HKU here: who sees a nomination
    # depends on the nominating institution and the expert's account, which is what the matrix checks.
    w.nomination = Nomination.objects.create(
        exercise=w.nom_exercise,
        expert=w.expert_profile,
        institution=w.hku,
        database="programmes",
        consent="given",
        consent_at=timezone.now(),
        nominated_by=w.users[ids.OFFICE_OTHER],
    )
    record_initial_state(w.nomination)
    transition(w.nomination, "submitted", actor=w.users[ids.OFFICE_OTHER])
    transition(w.nomination, "forwarded", actor=w.users[ids.OFFICER_HK])
    other = ExpertProfile.objects.create(
        name_en="Draft Nominee", region="HK", institution=w.hku, email="draft.nominee@example.org"
    )
    w.nomination_draft = Nomination.objects.create(
        exercise=w.nom_exercise, expert=other, institution=w.hku, database="awards"
    )
    w.nomination_batch = NominationBatch.objects.create(
        exercise=w.nom_exercise,
        institution=w.hku,
        uploaded_by=w.users[ids.OFFICE_OTHER],
        filename="batch.csv",
        rows=[
            {
                "row": 2,
                "email": "x@example.org",
                "database": "awards",
                "ok": False,
                "messages": ["No expert"],
            }
        ],
        n_bad=1,
    )


def _recheck(w):
    """``p_half``'s HK half endorsed, then screened ineligible; its lead asks for a recheck (with evidence)."""
    from sciencebridge.funding.services import proposals as svc
    from sciencebridge.rechecks.models import RecheckPolicy
    from sciencebridge.rechecks.services import request_recheck

    RecheckPolicy.objects.create(scheme_side=w.scheme.side("HK"), allowed=True)
    hk = w.p_half.half("HK")
    svc.endorse(w.users[ids.OFFICE_OWN], hk)
    svc.screen(w.users[ids.OFFICER_HK], hk, eligible=False, reason="Industry letter missing.")
    w.recheck = request_recheck(
        w.users[ids.APPLICANT], hk, reasons="The letter was attached.", evidence=_pdf("letter.pdf")
    )
    w.p_half.refresh_from_db()


def build_world():
    w = SimpleNamespace()
    _institutions(w)
    w.users = {}
    w.users.update(ids.build_identities(w))
    _call(w)
    _proposals(w)
    _review(w)
    _panels(w)
    _decisions_and_project(w)
    _recheck(w)
    _experts(w)
    _market(w)
    _platforms(w)
    _talent(w)
    _cooperation(w)
    _dataflows(w)
    _samples_and_datasets(w)
    _labfunding(w)
    _nominations(w)
    _accounts(w)
    _exclusions(w)
    _remittances(w)
    return w
