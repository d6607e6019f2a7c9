"""Affiliation requests a research office (its own VERIFIED institution) or an administrator decides."""

from .models import AffiliationRequest, AffiliationState
from .roles import Role


def affiliation_requests_for(user, state=AffiliationState.PENDING):
    """Requests of people who confirmed their e-mail address (activated accounts), for the caller's
    institution (research office) or all institutions (administrator)."""
    if not user.is_authenticated:
        return AffiliationRequest.objects.none()
    qs = AffiliationRequest.objects.filter(user__is_active=True).select_related(
        "user", "institution", "decided_by"
    )
    if state:
        qs = qs.filter(state=state)
    if user.has_role(Role.ADMINISTRATOR):
        return qs
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        return qs.filter(institution_id=user.institution_id)
    return AffiliationRequest.objects.none()
