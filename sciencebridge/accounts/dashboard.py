"""Dashboard panels: the person's own affiliation while unverified; requests a research office decides."""

from django.utils.translation import gettext_lazy as _

from .models import AffiliationState
from .selectors import affiliation_requests_for


def panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    out = []
    if not user.institution_id and not user.agency_id:
        pending = user.pending_affiliation
        out.append({"title": _("Your affiliation"), "template": "accounts/_panel_affiliation.html",
                    "pending": pending,
                    "pending_by_email": bool(pending and pending.institution.owns_email(user.email))})
    if user.has_perm("accounts.review_affiliations"):
        n = affiliation_requests_for(user, state=AffiliationState.PENDING).count()
        if n:
            out.append({"title": _("Affiliation requests"), "template": "accounts/_panel_requests.html", "n": n})
    return out
