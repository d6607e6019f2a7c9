"""Demo data for funded projects, built through the services.

Projects are made for the demo calls' jointly funded proposals. When the funding decisions of the demo
have funded none yet, a few eligible proposals of the past call (mhkjfs-2025) are funded first, through
the same workflow transition and hand-over signal the decision service uses. Each project then gets a
story over its first year: tranches paid, progress reports submitted, accepted or overdue, next tranches
released, change requests, and outcomes (patents in several jurisdictions, papers, people trained…).
"""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import MINIMAL_PDF
from sciencebridge.core.workflow import transition
from sciencebridge.funding.models import HalfState, JointProposal, ProposalHalf
from sciencebridge.funding.signals import proposal_jointly_funded

from .models import ChangeKind, OutcomeKind, Payment, Project, ReportKind, TrancheState
from .services import projects as svc

DEMO_CALLS = ["mhkjfs-2026", "jrs-2026", "mhkjfs-2025"]
PAST_CALL = "mhkjfs-2025"
FUND_AT_MOST = 6

PATENTS = [
    (
        "Low-power wireless sensor node with adaptive duty cycling",
        "PCT",
        "filed",
        "PCT/CN2025/118{n:03d}",
    ),
    (
        "Method for cross-boundary cold-chain temperature tracing",
        "CN",
        "granted",
        "ZL 2025 1 0{n:06d}.X",
    ),
    ("Edge inference accelerator for medical imaging", "HK", "filed", "HK 3202500{n:03d}"),
    (
        "Biodegradable scaffold with controlled drug release",
        "US",
        "published",
        "US 2025/0{n:06d} A1",
    ),
    ("Perovskite encapsulation layer for outdoor modules", "EP", "filed", "EP 25 1{n:05d}.6"),
]
PAPERS = [
    "Field evaluation of {t} in the Greater Bay Area",
    "A benchmark dataset for {t}",
    "Towards reliable {t}: lessons from a joint Mainland–Hong Kong study",
]


@contextmanager
def at(moment):
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _award(half: ProposalHalf) -> Money:
    total = half.budget_lines.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    call = half.proposal.call
    ceiling = call.ceiling_for(half.side) or total
    amount = min(total, ceiling) if total else ceiling
    return Money(Decimal(amount).quantize(Decimal("1")), half.currency)


def _officer(agency):
    return (
        get_user_model()
        .objects.filter(agency=agency, groups__name=Role.PROGRAMME_OFFICER, is_active=True)
        .order_by("pk")
        .first()
    )


def fund_past_proposals(command, rng, when) -> list[JointProposal]:
    """Fund a few eligible proposals of the past call on both sides (the decisions' transition)."""
    eligible_ml = ProposalHalf.objects.filter(side="ML", state=HalfState.ELIGIBLE).values(
        "proposal_id"
    )
    candidates = list(
        JointProposal.objects.filter(
            call__code=PAST_CALL,
            halves__side="HK",
            halves__state=HalfState.ELIGIBLE,
            id__in=eligible_ml,
        ).order_by("reference")[:FUND_AT_MOST]
    )
    funded = []
    for proposal in candidates:
        with transaction.atomic(), at(when):
            for half in proposal.halves.select_related("agency"):
                half.awarded_amount = _award(half)
                half.decided_at = when
                transition(
                    half,
                    HalfState.FUNDED,
                    actor=_officer(half.agency),
                    reason="Funded at the 2025 joint funding decision (demo).",
                    update_fields=["awarded_amount", "awarded_amount_currency", "decided_at"],
                )
        funded.append(proposal)
    return funded


def _pdf(title: str) -> ContentFile:
    return ContentFile(MINIMAL_PDF, name=f"{title[:40]}.pdf")


def story(project: Project, k: int, rng, start: dt.datetime):
    """Year one of a project: k picks which of the usual situations it is in."""
    day = dt.timedelta(days=1)
    sides = {s.side: s for s in project.sides.select_related("agency", "lead")}
    officers = {side: _officer(s.agency) for side, s in sides.items()}
    for side, s in sides.items():
        officer = officers[side]
        if officer is None or s.lead is None:
            continue
        t1 = s.tranches.get(number=1)
        if k % 3 == 1 and side == "ML":
            continue  # the first tranche is not paid yet: an overdue payment on the officer's dashboard
        with at(start + rng.randint(10, 28) * day):
            svc.record_payment(
                t1,
                actor=officer,
                amount=t1.amount,
                paid_on=timezone.localdate(),
                idempotency_key=f"demo-{project.reference}-{side}-1",
                bank_reference=f"{'HSBC' if side == 'HK' else 'ICBC'}-{rng.randint(100000, 999999)}",
            )
        report = s.reports.filter(kind=ReportKind.PROGRESS).order_by("number").first()
        if report is None or report.due_date > timezone.localdate() + 20 * day:
            continue
        submitted_at = (
            timezone.make_aware(dt.datetime.combine(report.due_date, dt.time(10)))
            - rng.randint(2, 20) * day
        )
        if k % 3 == 1 and side == "HK":
            continue  # report not submitted: overdue on the officer's dashboard
        with at(min(submitted_at, timezone.now())):
            svc.submit_report(
                report,
                actor=s.lead,
                file=_pdf(str(report)),
                summary="Work packages 1 and 2 completed on both sides; the joint prototype was "
                "integrated and tested in the partner laboratory.",
                milestones="M1 requirements and design; M2 first prototype; joint workshop held.",
                expenditure="Staff 62%, equipment 25%, consumables 9%, travel 4% of the first tranche.",
            )
        if k % 3 == 2 and side == "ML":
            continue  # awaiting the officer's review
        with at(min(submitted_at + rng.randint(3, 12) * day, timezone.now())):
            svc.review_report(
                report, actor=officer, accept=True, comment="Progress as planned. Accepted."
            )
        t2 = report.gated_tranches.first()
        if t2 is not None and t2.state == TrancheState.RELEASED and k % 2 == 0:
            with at(min(submitted_at + rng.randint(14, 25) * day, timezone.now())):
                svc.record_payment(
                    t2,
                    actor=officer,
                    amount=t2.amount,
                    paid_on=timezone.localdate(),
                    idempotency_key=f"demo-{project.reference}-{side}-2",
                )
    hk, ml = sides.get("HK"), sides.get("ML")
    if hk and hk.lead and k % 3 == 2:
        svc.request_change(
            hk,
            actor=hk.lead,
            kind=ChangeKind.EXTENSION,
            new_end_date=project.end_date + dt.timedelta(days=180),
            description="The clinical partner's ethics approval took five months longer than "
            "planned; we ask for a six-month no-cost extension.",
        )
    lead = (hk or ml).lead
    if lead is None:
        return
    title = project.title.split(":")[0][:80]
    n = project.pk
    patent = PATENTS[k % len(PATENTS)]
    svc.add_outcome(
        project,
        actor=lead,
        kind=OutcomeKind.PATENT,
        title=patent[0],
        jurisdiction=patent[1],
        ip_status=patent[2],
        application_number=patent[3].format(n=n),
        date=start.date() + 250 * day,
        owner=hk.institution.name_en if hk else "",
        description="Arising from work package 2.",
    )
    if k % 2 == 0:
        second = PATENTS[(k + 1) % len(PATENTS)]
        svc.add_outcome(
            project,
            actor=lead,
            kind=OutcomeKind.PATENT,
            title=second[0],
            jurisdiction="CN",
            ip_status="filed",
            application_number=f"CN 2025 1 {n:07d}",
            date=start.date() + 300 * day,
            owner=ml.institution.name_en if ml else "",
        )
    svc.add_outcome(
        project,
        actor=lead,
        kind=OutcomeKind.PUBLICATION,
        title=rng.choice(PAPERS).format(t=title.lower()),
        doi=f"10.1016/j.demo.2025.{n:05d}",
        date=start.date() + 200 * day,
    )
    svc.add_outcome(
        project,
        actor=lead,
        kind=OutcomeKind.PEOPLE_TRAINED,
        title="Research students and postdocs",
        count=rng.randint(2, 6),
        date=start.date() + 330 * day,
    )
    extra = [
        OutcomeKind.PROTOTYPE,
        OutcomeKind.STANDARD,
        OutcomeKind.SPIN_OFF,
        OutcomeKind.FOLLOW_ON,
    ][k % 4]
    data = {
        OutcomeKind.PROTOTYPE: {"title": "Field-deployable prototype, version 1"},
        OutcomeKind.STANDARD: {
            "title": "Contribution to a group standard on data exchange (T/CAS draft)"
        },
        OutcomeKind.SPIN_OFF: {
            "title": "Spin-off company incorporated in Hong Kong Science Park",
            "owner": hk.institution.name_en if hk else "",
        },
        OutcomeKind.FOLLOW_ON: {
            "title": "ITF Enterprise Support Scheme follow-on grant",
            "amount": Money(rng.randint(8, 30) * 100000, "HKD"),
        },
    }[extra]
    svc.add_outcome(project, actor=lead, kind=extra, date=start.date() + 340 * day, **data)


def _has_story(project) -> bool:
    return (
        project.outcomes.exists() or Payment.objects.filter(project_side__project=project).exists()
    )


def seed(command, rng):
    out = command.stdout
    now = timezone.now()
    funded = [
        p
        for p in JointProposal.objects.filter(call__code__in=DEMO_CALLS).prefetch_related("halves")
        if p.is_jointly_funded
    ]
    if not funded:
        funded = fund_past_proposals(command, rng, now - dt.timedelta(days=330))
    projects, told = [], 0
    for k, proposal in enumerate(funded):
        project = Project.objects.filter(proposal=proposal).first()
        if project is None:
            # The award took effect about eleven months ago for the past call, today for this year's calls.
            start = (
                now - dt.timedelta(days=rng.randint(400, 430))
                if proposal.call.code == PAST_CALL
                else now
            )
            with transaction.atomic():
                with at(start):
                    project = svc.create_project_from_award(
                        proposal, actor=None, start=start.date()
                    )
                proposal_jointly_funded.send(
                    sender=JointProposal, proposal=proposal, actor=None
                )  # idempotent
        else:  # started by the funding decision (the decisions demo), on the day the award took effect
            start = timezone.make_aware(dt.datetime.combine(project.start_date, dt.time(10)))
        if start < now and not _has_story(project):
            with transaction.atomic():
                story(project, k, rng, start)
            told += 1
        projects.append(project)
    leads = sorted({s.lead.username for p in projects for s in p.sides.all() if s.lead})
    out.write(
        f"  {len(projects)} projects from jointly funded proposals ({told} given their first year now), "
        f"{sum(p.outcomes.count() for p in projects)} outcomes"
    )
    if leads:
        out.write(f"  project leads (password demo12345): {', '.join(leads[:6])}")
