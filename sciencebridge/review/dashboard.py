"""Dashboard sections: an expert's pending invitations and reviews due; an officer's assignment
status per call."""

from django.utils.translation import gettext_lazy as _

from sciencebridge.core.probes import probed
from sciencebridge.experts.models import ExpertProfile
from sciencebridge.funding.selectors import agency_calls

from . import selectors
from .models import AssignmentState


def probes(user):
    """Necessary for the expert's section (``core.probes``): an expert profile."""
    return {"review.expert": ExpertProfile.objects.filter(user=user)}


def panels(request):
    user = request.user
    out = []
    if not user.is_authenticated:
        return out
    if probed(request, "review.expert") and getattr(user, "expert_profile", None) is not None:
        seats = selectors.mark_withheld(
            user,
            list(
                selectors.my_assignments(user).filter(
                    state__in=[AssignmentState.INVITED, AssignmentState.ACCEPTED]
                )
            ),
        )
        windows = {(w.call_id, w.side): w for w in selectors.windows_for(seats)}
        for a in seats:
            a.window = windows.get((a.proposal.call_id, a.run.side))
        out.append(
            {
                "title": _("My reviews"),
                "template": "review/dashboard_expert.html",
                "invited": [a for a in seats if a.state == AssignmentState.INVITED],
                "due": [a for a in seats if a.state == AssignmentState.ACCEPTED],
            }
        )
    calls = agency_calls(user)[:10]
    if calls:
        rows = []
        status = selectors.assignment_status_of(calls)
        for call in calls:
            for row in status[call.pk]:
                row["call"] = call
                rows.append(row)
        out.append(
            {
                "title": _("Review assignment"),
                "template": "review/dashboard_officer.html",
                "rows": rows,
            }
        )
    return out
