"""Dashboard panels: applications waiting at the host office; the signed-in user's own applications."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from sciencebridge.core.first_rows import first_rows
from sciencebridge.core.probes import probed

from .models import Application, ApplicationState, PostingState
from .selectors import managed_postings, my_applications

LIVE = [ApplicationState.SUBMITTED, ApplicationState.SHORTLISTED]


def probes(user):
    """Necessary for the applicant's panel (``core.probes``): an application of the user's."""
    return {"talent.mine": Application.objects.filter(applicant=user)}


def panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    out = []
    if user.has_perm("talent.post"):
        rows = (
            managed_postings(user)
            .filter(state=PostingState.OPEN)
            .annotate(n_waiting=Count("applications", filter=Q(applications__state__in=LIVE)))
            .filter(n_waiting__gt=0)[:20]
        )
        if rows:
            out.append(
                {
                    "title": _("Exchange applications to decide"),
                    "template": "talent/_panel_postings.html",
                    "rows": rows,
                }
            )
    if not probed(request, "talent.mine"):
        return out
    mine = first_rows(my_applications(user).order_by("-created_at", "-pk"), 10)
    if mine:
        out.append(
            {
                "title": _("Your exchange applications"),
                "template": "talent/_panel_mine.html",
                "rows": mine,
            }
        )
    return out
