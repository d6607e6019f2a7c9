"""Dashboard panels: the person's own affiliation while unverified; requests a research office decides."""

from django.utils.translation import gettext_lazy as _

from .models import AffiliationState
from .roles import Role
from .selectors import affiliation_requests_for


def panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    out = []
    pending = None if user.institution_id else user.pending_affiliation
    if pending or (not user.institution_id and user.has_role(Role.APPLICANT)):
        out.append(
            {
                "title": _("Your affiliation"),
                "template": "accounts/_panel_affiliation.html",
                "pending": pending,
                "pending_by_email": bool(pending and pending.institution.owns_email(user.email)),
            }
        )
    if user.has_perm("accounts.review_affiliations"):
        n = affiliation_requests_for(user, state=AffiliationState.PENDING).count()
        if n:
            out.append(
                {
                    "title": _("Affiliation requests"),
                    "template": "accounts/_panel_requests.html",
                    "n": n,
                }
            )
    return out
