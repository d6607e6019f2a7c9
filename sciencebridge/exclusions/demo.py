"""Demo data of issue 17 (runs after the experts' demo and before the review runs, so the runs show the
exclusions): on the NSFC side of the JRS call under review, three applicants named experts to avoid —
the best-matching experts for their proposals (so the run page lists them excluded, "named by the
applicant") and one person who is not in the database; the NSFC officer overrode one exclusion. And one
application was submitted twice to the call with a new title (a duplicate pair flagged at screening)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from sciencebridge.core.workflow import record_initial_state
from sciencebridge.experts.matching_adapter import ExpertQuery, find_experts
from sciencebridge.funding.models import HalfState, JointProposal, ProposalHalf

from . import services
from .models import ExpertExclusion

CALL = "jrs-2026"
REASONS = [
    "Leads a competing group on the same topic.",
    "A personal dispute over an earlier joint project.",
    "Co-founded a company that competes with our industry partner.",
]


def seed(command, rng):
    halves = list(
        ProposalHalf.objects.filter(proposal__call__code=CALL, side="ML", state=HalfState.ELIGIBLE)
        .select_related("proposal__call__scheme", "lead")
        .order_by("proposal__reference")[:3]
    )
    if not halves:
        command.stdout.write("No JRS demo call: no experts to avoid.")
        return
    if ExpertExclusion.objects.filter(half__proposal__call__code=CALL).exists():
        command.stdout.write("Demo exclusions already exist.")
        return
    officer = (
        get_user_model()
        .objects.filter(agency_id=halves[0].agency_id, groups__name="programme_officer")
        .order_by("pk")
        .first()
    )
    n = 0
    with override_settings(EXPERTS_MATCHING_MODEL="tfidf"), transaction.atomic():
        for i, half in enumerate(halves):
            p = half.proposal
            hits = find_experts(ExpertQuery(text=p.abstract, title=p.title, region="ML"), limit=2)
            named = [h.expert for h in hits][: 2 if i == 0 else 1]
            rows = [
                {
                    "name": e.name_en,
                    "institution": str(e.institution or ""),
                    "reason": REASONS[(i + k) % len(REASONS)],
                }
                for k, e in enumerate(named)
            ]
            if i == 0:
                rows.append({"name": "Wang Not-In-Pool", "reason": REASONS[2]})
            for r in rows:
                x = ExpertExclusion.objects.create(half=half, created_by=half.lead, **r)
                record_initial_state(x, actor=half.lead, reason="Named by the applicant.")
                services.rematch(x)
                n += 1
            if i == 2 and officer is not None:
                x = half.expert_exclusions.first()
                services.override(
                    officer, x, "The only specialist in this field; no competing project found."
                )
        pair = _duplicate(halves[-1].proposal)
    command.stdout.write(
        f"Experts to avoid: {n} named on {len(halves)} NSFC halves; duplicate pair "
        f"{halves[-1].proposal.reference} / {pair.reference}."
    )


def _duplicate(original: JointProposal) -> JointProposal:
    """The same application submitted again to the same call with a new title (awaiting screening)."""
    now = timezone.now()
    copy = JointProposal.objects.create(
        call=original.call,
        reference=f"{original.reference}-R",
        title=f"{original.title} (resubmitted)",
        abstract=original.abstract,
        plan=original.plan,
        project_type=original.project_type,
        area=original.area,
        duration_months=original.duration_months,
        created_by=original.created_by,
    )
    for h in original.halves.all():
        new = ProposalHalf.objects.create(
            proposal=copy,
            side=h.side,
            agency=h.agency,
            institution=h.institution,
            lead=h.lead,
            state=HalfState.SUBMITTED,
            submitted_at=now,
            keywords=h.keywords,
        )
        new.discipline_codes.set(h.discipline_codes.all())
        for m in h.team.all():
            m.pk = None
            m.half = new
            m.save()
        record_initial_state(new, actor=h.lead, reason="Submitted.")
    return copy
