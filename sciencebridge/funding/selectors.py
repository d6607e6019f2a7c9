"""Read-side queries for proposals, always restricted to what the user may see."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from sciencebridge.accounts.roles import Role

from .models import (
    EDITABLE_STATES,
    OFFICER_STATES,
    HalfState,
    JointProposal,
    ProposalHalf,
    TeamMember,
)


def _half_prefetch():
    return Prefetch(
        "halves",
        queryset=ProposalHalf.objects.select_related("institution", "agency", "lead").prefetch_related(
            Prefetch("team", queryset=TeamMember.objects.select_related("institution"))
        ),
    )


def _on_proposal(user) -> Q:
    """The user leads a half of the proposal or is on a half's team (correlated EXISTS, index-friendly)."""
    halves = ProposalHalf.objects.filter(proposal=OuterRef("pk"))
    return Q(Exists(halves.filter(lead=user))) | Q(
        Exists(TeamMember.objects.filter(half__proposal=OuterRef("pk"), user=user))
    )


def visible_proposals(user) -> QuerySet[JointProposal]:
    """Every proposal the user may open, with halves prefetched (no N+1 in lists)."""
    if not user.is_authenticated:
        return JointProposal.objects.none()
    base = JointProposal.objects.select_related("call__scheme", "area", "project_type").prefetch_related(
        "call__scheme__sides", _half_prefetch()
    )
    if user.is_superuser:
        return base
    halves = ProposalHalf.objects.filter(proposal=OuterRef("pk"))
    q = _on_proposal(user)
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        not_draft = [s for s in HalfState.values if s not in EDITABLE_STATES or s == HalfState.RETURNED]
        q |= Q(Exists(halves.filter(institution_id=user.institution_id, state__in=not_draft)))
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        q |= Q(Exists(halves.filter(agency_id=user.agency_id,
                                    state__in=OFFICER_STATES)))
    return base.filter(q)


def my_proposals(user) -> QuerySet[JointProposal]:
    return visible_proposals(user).filter(_on_proposal(user)).order_by("-created_at")


def halves_awaiting_endorsement(user) -> QuerySet[ProposalHalf]:
    if not (user.has_role(Role.RESEARCH_OFFICE) and user.institution_id):
        return ProposalHalf.objects.none()
    return (ProposalHalf.objects.filter(institution_id=user.institution_id)
            .exclude(state__in=[HalfState.DRAFT])
            .select_related("proposal__call", "lead", "agency").order_by("state", "-submitted_at"))


def officer_halves(user, call=None, *, state=None, area=None, institution=None, discipline=None,
                   q=None) -> QuerySet[ProposalHalf]:
    """The halves submitted to the officer's own agency, filtered; partner half prefetched."""
    if not (user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return ProposalHalf.objects.none()
    qs = ProposalHalf.objects.filter(agency_id=user.agency_id, state__in=OFFICER_STATES)
    if call is not None:
        qs = qs.filter(proposal__call=call)
    if state:
        qs = qs.filter(state=state)
    if area:
        qs = qs.filter(proposal__area_id=area)
    if institution:
        qs = qs.filter(institution_id=institution)
    if discipline:
        qs = qs.filter(discipline_codes__code__startswith=discipline).distinct()
    if q:
        qs = qs.filter(Q(proposal__title__icontains=q) | Q(proposal__reference__icontains=q)
                       | Q(keywords__icontains=q))
    return qs.select_related("proposal__call__scheme", "proposal__area", "proposal__project_type",
                             "institution", "lead").prefetch_related(
        Prefetch("proposal__halves", queryset=ProposalHalf.objects.select_related("institution")),
        "discipline_codes",
    ).order_by("proposal__reference")
