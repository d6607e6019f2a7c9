"""Read-side queries for panels and decisions, restricted to what the user may see.

Every query that lists or fetches proposals for a page takes the viewing user and leaves out the
proposals the user has a conflict of interest with (``review.conflicts``), so a view built on these
selectors cannot show a conflicted person a proposal by forgetting a check."""

from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from sciencebridge.accounts.roles import Role
from sciencebridge.core.precompiled import STAND_IN_IDS, Precompiled, RowsByIds
from sciencebridge.core.prefetched import prefetch_rows
from sciencebridge.funding.models import Call, HalfState, JointProposal, ProposalHalf
from sciencebridge.funding.selectors import (
    applicant_proposal_ids,
    calls_of_agency,
    visible_halves,
)
from sciencebridge.review.conflicts import exclude_conflicted

from .models import FINAL_DECISION_STATES, Panel, SideDecision


def officer_calls(user) -> QuerySet[Call]:
    """Calls of a scheme in which the officer's agency funds a side."""
    if user.is_superuser:
        return Call.objects.select_related("scheme").order_by("-closes_at")
    return calls_of_agency(user)


def calls_with_decisions(calls: Sequence[Call]) -> list[Call]:
    """Those of ``calls`` (in their order) on which a side decision has been recorded."""
    ids = set(
        Call.objects.filter(pk__in=[call.pk for call in calls])
        .filter(Exists(SideDecision.objects.filter(call=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    return [call for call in calls if call.pk in ids]


def chaired_panels(user) -> QuerySet[Panel]:
    if not user.is_authenticated:
        return Panel.objects.none()
    return (
        Panel.objects.filter(chair=user)
        .select_related("call__scheme")
        .order_by("-call__closes_at", "side")
    )


def meeting_proposals(user, call: Call, ids=None) -> list[JointProposal]:
    """Proposals of the call with at least one half at the decision stage (``ids``: only those), both
    halves, their panel recommendations and decisions prefetched (no per-row queries); never one the
    user has a conflict with.

    Only what the meeting's rows show and read is loaded (the reference and title; each half's side,
    state and agency, the recommendation and the decision): the whole rows with the halves'
    institutions, leads and agencies were 9 ms of model instances on a page of 50 (issue 16)."""
    halves = ProposalHalf.objects.select_related("panel_recommendation", "side_decision").only(
        "proposal_id",
        "side",
        "state",
        "agency_id",
        "panel_recommendation__recommendation",
        "side_decision__state",
        "side_decision__amount",
        "side_decision__amount_currency",
    )
    at_stage = [HalfState.ELIGIBLE, HalfState.FUNDED, HalfState.NOT_FUNDED]
    qs = JointProposal.objects.filter(call=call, halves__state__in=at_stage)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    qs = exclude_conflicted(qs, user, "pk")
    return list(
        qs.distinct()
        .only("call_id", "reference", "title")
        .prefetch_related(Prefetch("halves", queryset=halves))
        .order_by("reference")
    )


def panel_half(user, panel: Panel, ref: str) -> ProposalHalf:
    """The panel's half of proposal ``ref`` for the recommendation page; 404 when it is not at the
    panel or the user has a conflict with the proposal."""
    from .services.panel import PANEL_STATES

    qs = ProposalHalf.objects.select_related("proposal", "lead", "institution").filter(
        proposal__reference=ref, proposal__call=panel.call, side=panel.side, state__in=PANEL_STATES
    )
    half = exclude_conflicted(qs, user).first()
    if half is None:
        raise Http404
    return half


def decision_half(user, ref: str, side: str) -> ProposalHalf:
    """The half to decide on; 404 when it does not exist or the user has a conflict with its proposal."""
    qs = (
        visible_halves(user)
        .select_related(
            "proposal__call__scheme", "agency", "lead", "institution", "panel_recommendation"
        )
        .filter(proposal__reference=ref, side=side)
    )
    half = exclude_conflicted(qs, user).first()
    if half is None:
        raise Http404
    return half


def call_decisions(user, call: Call) -> QuerySet[SideDecision]:
    """The call's recorded decisions (budget page), without proposals the user has a conflict with."""
    qs = (
        SideDecision.objects.filter(call=call)
        .exclude(state="")
        .select_related("half__proposal", "decided_by")
        .order_by("side", "-decided_at")
    )
    return exclude_conflicted(qs, user, "half__proposal")


def pending_decisions(user) -> QuerySet[ProposalHalf]:
    """Halves of the officer's agency that the panel has recommended on and that still wait for this
    side's decision (eligible halves still under review are not pending yet); never one the officer
    has a conflict with."""
    if not (user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return ProposalHalf.objects.none()
    qs = (
        ProposalHalf.objects.filter(agency_id=user.agency_id, state=HalfState.ELIGIBLE)
        .exclude(panel_recommendation__isnull=True)
        .exclude(panel_recommendation__recommendation="")
        .filter(Q(side_decision__isnull=True) | Q(side_decision__state=""))
        .select_related("proposal__call")
        .order_by("proposal__call_id", "proposal__reference")
    )
    return exclude_conflicted(qs, user)


def decisions_for_user(user) -> QuerySet[SideDecision]:
    """Decisions the user may read through the API: officers of the half's agency (all states);
    applicants of the proposal (final decisions only)."""
    if not user.is_authenticated:
        return SideDecision.objects.none()
    qs = SideDecision.objects.select_related("half__proposal", "call").exclude(state="")
    if user.is_superuser:
        return exclude_conflicted(qs, user, "half__proposal")
    q = Q(pk__in=[])
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        # An officer never reads a decision on a proposal they have a conflict with.
        officer = exclude_conflicted(
            SideDecision.objects.filter(half__agency_id=user.agency_id), user, "half__proposal"
        ).values("id")
        q |= Q(id__in=officer)
    applicant = Q(half__proposal_id__in=applicant_proposal_ids(user))
    ids = SideDecision.objects.filter(applicant, state__in=FINAL_DECISION_STATES).values("id")
    q |= Q(id__in=ids)
    return qs.filter(q)


#: How many decided proposals the dashboard lists for an applicant.
DASHBOARD_OUTCOMES = 20


def _decided_among(ids) -> QuerySet[JointProposal]:
    """Of the proposals ``ids``, those with a decision announced, with only what the dashboard's list
    shows: whether the proposal is funded (``is_jointly_funded``: the halves' states, and for a
    single half whether the scheme is joint)."""
    decided = JointProposal.objects.filter(
        halves__state__in=[HalfState.FUNDED, HalfState.NOT_FUNDED]
    ).values("id")
    return (
        JointProposal.objects.filter(id__any=ids)
        .filter(id__in=decided)
        .select_related("call__scheme")
        .only("reference", "title", "call__closes_at", "call__scheme__kind")
        .order_by("-call__closes_at", "reference")
    )


_FIRST_DECIDED = Precompiled(lambda ids: _decided_among(ids)[:DASHBOARD_OUTCOMES], STAND_IN_IDS)
_STATES = RowsByIds("proposal", lambda: ProposalHalf.objects.only("proposal_id", "state"))


def my_outcomes(user) -> list[JointProposal]:
    """The first ``DASHBOARD_OUTCOMES`` of the user's own proposals (lead or team member) whose
    funding decision has been announced, their halves' states prefetched; by SQL compiled once."""
    if not user.is_authenticated:
        return []
    mine = sorted(applicant_proposal_ids(user))
    if not mine:  # an officer, an expert: nothing to read
        return []
    rows = _FIRST_DECIDED.all(mine)
    prefetch_rows(rows, _STATES)
    return rows
