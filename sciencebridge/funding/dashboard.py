"""Dashboard panel: the invitations to lead a partner half waiting for the signed-in user."""

from django.utils.translation import gettext_lazy as _

from sciencebridge.core.first_rows import first_rows
from sciencebridge.core.probes import probed

from .selectors import open_invitations_to, pending_invitations_for


def probes(user):
    """Necessary for the panel (``core.probes``): an invitation to the user's address, still open."""
    return {"funding.invitations": open_invitations_to(user)}


def panels(request):
    user = request.user
    if not user.is_authenticated or not probed(request, "funding.invitations"):
        return []
    # ids first: an empty panel (nearly everyone's) is one narrow query, not a join of five tables
    rows = first_rows(pending_invitations_for(user), 20)
    if not rows:
        return []
    return [
        {
            "title": _("Invitations to join a proposal"),
            "template": "funding/_panel_invitations.html",
            "rows": rows,
        }
    ]
