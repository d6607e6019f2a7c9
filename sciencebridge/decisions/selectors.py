"""Read-side queries for panels and decisions, restricted to what the user may see."""

from django.db.models import Prefetch, Q, QuerySet

from sciencebridge.accounts.roles import Role
from sciencebridge.funding.models import Call, HalfState, JointProposal, ProposalHalf

from .models import FINAL_DECISION_STATES, Panel, SideDecision


def officer_calls(user) -> QuerySet[Call]:
    """Calls of a scheme in which the officer's agency funds a side."""
    if user.is_superuser:
        return Call.objects.select_related("scheme").order_by("-closes_at")
    if not (user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return Call.objects.none()
    return Call.objects.filter(scheme__sides__agency_id=user.agency_id).select_related("scheme").distinct() \
        .order_by("-closes_at")


def chaired_panels(user) -> QuerySet[Panel]:
    if not user.is_authenticated:
        return Panel.objects.none()
    return Panel.objects.filter(chair=user).select_related("call__scheme").order_by("-call__closes_at", "side")


def meeting_proposals(call: Call, ids=None) -> list[JointProposal]:
    """Proposals of the call with at least one half at the decision stage (``ids``: only those), both
    halves, their panel recommendations and decisions prefetched (no per-row queries)."""
    halves = ProposalHalf.objects.select_related("panel_recommendation", "side_decision", "institution", "lead",
                                                 "agency")
    at_stage = [HalfState.ELIGIBLE, HalfState.FUNDED, HalfState.NOT_FUNDED]
    qs = JointProposal.objects.filter(call=call, halves__state__in=at_stage)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return list(qs.distinct().prefetch_related(Prefetch("halves", queryset=halves)).order_by("reference"))


def pending_decisions(user) -> QuerySet[ProposalHalf]:
    """Halves of the officer's agency that the panel has recommended on and that still wait for this
    side's decision (eligible halves still under review are not pending yet)."""
    if not (user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return ProposalHalf.objects.none()
    return (ProposalHalf.objects.filter(agency_id=user.agency_id, state=HalfState.ELIGIBLE)
            .exclude(panel_recommendation__isnull=True).exclude(panel_recommendation__recommendation="")
            .filter(Q(side_decision__isnull=True) | Q(side_decision__state=""))
            .select_related("proposal__call").order_by("proposal__call_id", "proposal__reference"))


def decisions_for_user(user) -> QuerySet[SideDecision]:
    """Decisions the user may read through the API: officers of the half's agency (all states);
    applicants of the proposal (final decisions only)."""
    if not user.is_authenticated:
        return SideDecision.objects.none()
    qs = SideDecision.objects.select_related("half__proposal", "call").exclude(state="")
    if user.is_superuser:
        return qs
    q = Q(pk__in=[])
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        q |= Q(half__agency_id=user.agency_id)
    applicant = Q(half__proposal__halves__lead=user) | Q(half__proposal__halves__team__user=user)
    ids = SideDecision.objects.filter(applicant, state__in=FINAL_DECISION_STATES).values("id")
    q |= Q(id__in=ids)
    return qs.filter(q)


def my_outcomes(user) -> QuerySet[JointProposal]:
    """The user's own proposals (lead or team member) whose funding decision has been announced."""
    if not user.is_authenticated:
        return JointProposal.objects.none()
    mine = JointProposal.objects.filter(Q(halves__lead=user) | Q(halves__team__user=user)).values("id")
    decided = JointProposal.objects.filter(halves__state__in=[HalfState.FUNDED, HalfState.NOT_FUNDED]).values("id")
    return (JointProposal.objects.filter(id__in=mine).filter(id__in=decided).select_related("call")
            .prefetch_related("halves").order_by("-call__closes_at", "reference"))
