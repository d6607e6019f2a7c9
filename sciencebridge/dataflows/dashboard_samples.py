"""Dashboard panels: sample exports waiting for the signed-in user (to submit, to decide, transfers to
review), from the same restricted querysets as the pages."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciencebridge.core.first_rows import first_rows

from .models_samples import HgrApplicationState, HgrTransferState
from .rules import reads_all
from .selectors_samples import visible_exports, visible_transfers


def panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    exports = visible_exports(user)
    if not reads_all(user) and not (user.institution_id or user.agency_id):
        return []
    waiting = first_rows(
        exports.filter(
            Q(state=HgrApplicationState.DRAFT, applicant=user)
            | Q(state=HgrApplicationState.SUBMITTED)
        ).order_by("-created_at"),
        10,
    )
    reviews = first_rows(
        visible_transfers(user).filter(state=HgrTransferState.UNDER_REVIEW).order_by("shipped_on"),
        10,
    )
    if not waiting and not reviews:
        return []
    return [
        {
            "title": _("Sample exports"),
            "template": "dataflows/samples_panel.html",
            "waiting": waiting,
            "reviews": reviews,
        }
    ]
