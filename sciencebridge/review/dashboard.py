"""Dashboard sections: an expert's pending invitations and reviews due; an officer's assignment
status per call."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sciencebridge.core.first_rows import rows_in_order
from sciencebridge.core.probes import probed
from sciencebridge.core.table_stamps import KeptByTables
from sciencebridge.experts.models import ExpertProfile
from sciencebridge.funding.models import Call
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
    ids = tuple(call.pk for call in agency_calls(user)[:10])
    if ids:
        out.append(
            {
                "title": _("Review assignment"),
                "template": "review/dashboard_officer.html",
                "rows": _kept_status.get_or_compute(
                    ("review.assignment-status", ids, get_language()), lambda: _status_rows(ids)
                ),
            }
        )
    return out


#: The review assignment status of an agency's calls, the same for all its officers, kept per
#: process while the tables it is computed from are unchanged (``core.table_stamps``; a seat's
#: new state is a write to its table). Shared between requests: read only.
_kept_status = KeptByTables(max_entries=64, max_age=300)


def _status_rows(call_ids: tuple[int, ...]) -> list[dict]:
    """A row per call and review (side): its newest run and its published seats per state. The
    calls are read here, so that their rows' stamps cover them."""
    calls = rows_in_order(Call.objects.select_related("scheme"), list(call_ids))
    status = selectors.assignment_status_of(calls)
    return [{**row, "call": call} for call in calls for row in status[call.pk]]
