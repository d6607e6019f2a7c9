"""Read-side queries for recheck requests, always restricted to what the user may see."""

from django.db.models import Prefetch, Q, QuerySet

from sciencebridge.accounts.roles import Role
from sciencebridge.funding.models import TeamMember

from .models import RecheckRequest, RecheckState


def _base() -> QuerySet[RecheckRequest]:
    return RecheckRequest.objects.select_related(
        "half__proposal__call__scheme", "half__agency", "half__lead", "requested_by", "decided_by"
    ).prefetch_related(
        Prefetch("half__team", queryset=TeamMember.objects.only("id", "half_id", "user_id"))
    )


def visible_requests(user) -> QuerySet[RecheckRequest]:
    """The requests about halves the user is on the team of, and (officers) about their agency's halves."""
    if not user.is_authenticated:
        return RecheckRequest.objects.none()
    qs = _base()
    if user.is_superuser:
        return qs
    q = Q(half__lead=user) | Q(half__team__user=user)
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        q |= Q(half__agency_id=user.agency_id)
    return qs.filter(pk__in=RecheckRequest.objects.filter(q).values("pk"))


def open_for_officer(user) -> QuerySet[RecheckRequest]:
    """The officer's agency's requests awaiting a decision, the oldest due first."""
    if not (user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return RecheckRequest.objects.none()
    return _base().filter(half__agency_id=user.agency_id, state=RecheckState.REQUESTED)


def mine(user) -> QuerySet[RecheckRequest]:
    """Requests about halves the user is on the team of (what an applicant follows)."""
    if not user.is_authenticated:
        return RecheckRequest.objects.none()
    return _base().filter(
        pk__in=RecheckRequest.objects.filter(Q(half__lead=user) | Q(half__team__user=user)).values(
            "pk"
        )
    )
