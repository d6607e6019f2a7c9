"""Funded projects for the scale benchmark (bench/scale.py): awards, schedules, a year or more of history.

Every jointly funded proposal gets its project; more proposals of the closed calls from ``scale-02``
on are funded until there are ``n_projects`` (``scale-00`` and ``scale-01``, whose pages the
benchmark measures, keep their states), a dozen of them the benchmark applicant's. Rows are written
with bulk_create as years of use would have left them: the schedule is the service's own
(``schedule_rows``); reports due in the past are mostly accepted, some submitted and waiting, some
overdue; tranches after an accepted report are released and mostly paid; a few outcomes per
project. The workflow services themselves are exercised by the tests, not here.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from djmoney.money import Money

from sciencebridge.core.models import StateTransition
from sciencebridge.funding.models import HalfState, JointProposal, ProposalHalf

from .models import (
    Outcome,
    OutcomeKind,
    Payment,
    Project,
    ProjectSide,
    Report,
    ReportState,
    Tranche,
    TrancheState,
)
from .services.projects import schedule_rows, schedule_rules

BATCH = 2000
MEASURED_CALLS = (
    "scale-00",
    "scale-01",
)  # their review and decision pages are measured as generated
BENCH_APPLICANT = "scale-hk-0"
BENCH_APPLICANT_PROJECTS = 12


def _proposals_to_fund(n_projects: int, rng: random.Random) -> tuple[list[int], list[int]]:
    """(already jointly funded proposals, proposals to fund now), at most ``n_projects`` in all."""
    funded_both = list(
        JointProposal.objects.annotate(
            funded=Count("halves", filter=Q(halves__state=HalfState.FUNDED))
        )
        .filter(funded=2, project__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )[:n_projects]
    wanted = n_projects - len(funded_both)
    if wanted <= 0:
        return funded_both, []
    # Both halves through review (eligible or not funded), in a closed call not measured as generated.
    candidates = (
        JointProposal.objects.filter(call__closes_at__lt=timezone.now(), project__isnull=True)
        .exclude(call__code__in=MEASURED_CALLS)
        .annotate(
            reviewed=Count(
                "halves", filter=Q(halves__state__in=[HalfState.ELIGIBLE, HalfState.NOT_FUNDED])
            )
        )
        .filter(reviewed=2)
    )
    mine = list(
        candidates.filter(created_by__username=BENCH_APPLICANT)
        .order_by("pk")
        .values_list("pk", flat=True)[:BENCH_APPLICANT_PROJECTS]
    )
    others = list(candidates.exclude(pk__in=mine).order_by("pk").values_list("pk", flat=True))
    rng.shuffle(others)
    return funded_both, (mine + others)[:wanted]


def _award(proposal_ids: list[int], newly_funded: set[int]) -> None:
    """Each half's awarded amount is its requested budget; newly funded halves move to funded."""
    ct = ContentType.objects.get_for_model(ProposalHalf)
    halves = list(
        ProposalHalf.objects.filter(proposal_id__in=proposal_ids).annotate(
            requested=Sum("budget_lines__amount")
        )
    )
    transitions = []
    for h in halves:
        h.awarded_amount = Money(h.requested or Decimal(0), h.currency)
        if h.proposal_id in newly_funded:
            transitions.append(
                StateTransition(
                    content_type=ct,
                    object_id=h.pk,
                    from_state=h.state,
                    to_state=HalfState.FUNDED,
                    reason="generated: funded",
                )
            )
            h.state = HalfState.FUNDED
    ProposalHalf.objects.bulk_update(
        halves, ["awarded_amount", "awarded_amount_currency", "state"], batch_size=BATCH
    )
    StateTransition.objects.bulk_create(transitions, batch_size=BATCH)


def _story(side: ProjectSide, reports, tranches, today: dt.date, rng: random.Random, rows: dict):
    """What has happened so far: the reports due are mostly accepted, the tranches they gate
    released and mostly paid; the first tranche was released on award."""
    now = timezone.now()
    accepted_at = {}
    for r in reports:
        if r.due_date >= today:
            continue
        roll = rng.random()
        if roll < 0.8:
            r.state = ReportState.ACCEPTED
            r.submitted_at = now - dt.timedelta(days=(today - r.due_date).days + rng.randint(0, 20))
            r.reviewed_at = r.submitted_at + dt.timedelta(days=rng.randint(3, 25))
            r.summary = "Progress as planned."
            accepted_at[r.number] = r.reviewed_at
        elif roll < 0.9:
            r.state = ReportState.SUBMITTED
            r.submitted_at = now - dt.timedelta(days=rng.randint(1, 20))
            r.summary = "Progress as planned."
    start = side.project.start_date
    for t in tranches:
        gate = t.gating_report
        if gate is None:
            t.released_at = now - dt.timedelta(days=(today - start).days)
        elif gate.number in accepted_at:
            t.released_at = accepted_at[gate.number]
        else:
            continue
        t.state = TrancheState.RELEASED
        if t.due_date < today and rng.random() < 0.9:
            t.state = TrancheState.PAID
            rows["payments"].append(
                Payment(
                    project_side=side,
                    tranche=t,
                    amount=t.amount,
                    paid_on=t.due_date - dt.timedelta(days=rng.randint(0, 20)),
                    bank_reference=f"SCALE-{side.pk}-{t.number}",
                    idempotency_key=f"scale-{side.pk}-{t.number}",
                )
            )


def _outcomes(project: Project, rng: random.Random) -> list[Outcome]:
    out = []
    for i in range(rng.randint(0, 3)):
        kind = rng.choice([OutcomeKind.PUBLICATION, OutcomeKind.PUBLICATION, OutcomeKind.PATENT])
        out.append(
            Outcome(
                project=project,
                side=rng.choice(["HK", "ML", ""]),
                kind=kind,
                title=f"{project.title[:200]} ({kind}, {i + 1})",
                date=project.start_date + dt.timedelta(days=rng.randint(90, 700)),
                ip_status="filed" if kind == OutcomeKind.PATENT else "",
                jurisdiction=rng.choice(["CN", "HK", "PCT"]) if kind == OutcomeKind.PATENT else "",
                doi=f"10.5555/scale.{project.pk}.{i}" if kind == OutcomeKind.PUBLICATION else "",
            )
        )
    return out


def _build(proposals: list[JointProposal], rng: random.Random) -> int:
    today = timezone.localdate()
    projects = []
    for p in proposals:
        start = today - dt.timedelta(days=rng.randint(0, 1000))
        projects.append(
            Project(
                proposal=p,
                reference=f"P-{p.reference}"[:40],
                title=p.title,
                start_date=start,
                end_date=start + relativedelta(months=p.duration_months),
            )
        )
    Project.objects.bulk_create(projects, batch_size=BATCH)
    sides = [
        ProjectSide(
            project=project,
            side=h.side,
            agency_id=h.agency_id,
            institution_id=h.institution_id,
            lead_id=h.lead_id,
            approved_budget=h.awarded_amount,
        )
        for project, p in zip(projects, proposals, strict=True)
        for h in sorted(p.halves.all(), key=lambda h: h.side)
    ]
    ProjectSide.objects.bulk_create(sides, batch_size=BATCH)
    rules = {}
    rows = {"reports": [], "tranches": [], "payments": []}
    for side in sides:
        scheme = side.project.proposal.call.scheme
        if scheme.pk not in rules:
            rules[scheme.pk] = schedule_rules(scheme)
        reports, tranches = schedule_rows(
            side, side.project.start_date, side.project.end_date, rules[scheme.pk]
        )
        _story(side, reports, tranches, today, rng, rows)
        rows["reports"] += reports
        rows["tranches"] += tranches
    Report.objects.bulk_create(rows["reports"], batch_size=BATCH)
    Tranche.objects.bulk_create(rows["tranches"], batch_size=BATCH)
    Payment.objects.bulk_create(rows["payments"], batch_size=BATCH)
    Outcome.objects.bulk_create(
        [o for project in projects for o in _outcomes(project, rng)], batch_size=BATCH
    )
    project_ct = ContentType.objects.get_for_model(Project)
    tranche_ct = ContentType.objects.get_for_model(Tranche)
    StateTransition.objects.bulk_create(
        [
            StateTransition(
                content_type=project_ct,
                object_id=p.pk,
                to_state="active",
                reason="Project created from the award.",
            )
            for p in projects
        ]
        + [
            StateTransition(
                content_type=tranche_ct,
                object_id=t.pk,
                from_state=TrancheState.SCHEDULED,
                to_state=t.state,
                reason="generated",
            )
            for t in rows["tranches"]
            if t.state != TrancheState.SCHEDULED
        ],
        batch_size=BATCH,
    )
    return len(projects)


def generate(n_projects: int, rng: random.Random) -> int:
    """Projects for up to ``n_projects`` funded proposals; returns how many were made."""
    already, to_fund = _proposals_to_fund(n_projects, rng)
    made = 0
    ids = already + to_fund
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            _award(chunk, set(to_fund) & set(chunk))
            proposals = list(
                JointProposal.objects.filter(pk__in=chunk)
                .select_related("call__scheme")
                .prefetch_related("halves")
                .order_by("pk")
            )
            made += _build(proposals, rng)
        print(f"    {made:>7,} projects", end="\r", flush=True)
    print()
    return made
