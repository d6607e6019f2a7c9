"""Dashboard panels: sample exports waiting for the signed-in user (to submit, to decide, transfers to
review), from the same restricted querysets as the pages."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciencebridge.core.first_rows import first_rows
from sciencebridge.core.probes import probed

from .models_samples import HgrApplicationState, HgrTransferState
from .rules import reads_all
from .selectors_samples import exports_base, visible_exports, visible_transfers


def _waiting_for(user) -> Q:
    """Exports waiting for someone: the user's own drafts, and every submitted one."""
    return Q(state=HgrApplicationState.DRAFT, applicant=user) | Q(
        state=HgrApplicationState.SUBMITTED
    )


def probes(user):
    """Necessary for the panel (``core.probes``; asked through ``dataflows.dashboard``): an export
    waiting or a transfer under review that the user may see."""
    return {
        "dataflows.samples": [
            exports_base(user).filter(_waiting_for(user)),
            visible_transfers(user).filter(state=HgrTransferState.UNDER_REVIEW),
        ]
    }


def panels(request):
    user = request.user
    if not user.is_authenticated or not probed(request, "dataflows.samples"):
        return []
    exports = visible_exports(user)
    if not reads_all(user) and not (user.institution_id or user.agency_id):
        return []
    waiting = first_rows(exports.filter(_waiting_for(user)).order_by("-created_at"), 10)
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
