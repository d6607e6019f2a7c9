"""Dashboard sections: officers see their agency's open recheck requests (overdue first, marked);
applicants their own requests while open."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciencebridge.accounts.roles import Role
from sciencebridge.core.first_rows import first_rows
from sciencebridge.core.probes import probed

from . import selectors
from .models import RecheckRequest, RecheckState


def probes(user):
    """Necessary for the applicant's section (``core.probes``): an open request about a half the
    user leads or is on the team of (``selectors.mine``)."""
    return {
        "rechecks.mine": [
            RecheckRequest.objects.filter(half__lead=user, state=RecheckState.REQUESTED),
            RecheckRequest.objects.filter(half__team__user=user, state=RecheckState.REQUESTED),
        ]
    }


def panels(request):
    user = request.user
    out = []
    if not user.is_authenticated:
        return out
    today = timezone.localdate()
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        open_requests = first_rows(selectors.open_for_officer(user).order_by("due_date", "pk"), 20)
        overdue = sum(1 for r in open_requests if r.due_date < today)
        if open_requests:
            out.append(
                {
                    "title": _("Recheck requests (%(n)s overdue)") % {"n": overdue}
                    if overdue
                    else _("Recheck requests"),
                    "template": "rechecks/dashboard_officer.html",
                    "open": open_requests,
                    "today": today,
                }
            )
    if not probed(request, "rechecks.mine"):
        return out
    mine = first_rows(
        selectors.mine(user).filter(state=RecheckState.REQUESTED).order_by("due_date", "pk"), 20
    )
    if mine:
        out.append(
            {
                "title": _("Your recheck requests"),
                "template": "rechecks/dashboard_applicant.html",
                "mine": mine,
                "today": today,
            }
        )
    return out
