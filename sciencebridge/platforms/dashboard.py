"""Dashboard panels: facility requests waiting for a manager; the signed-in user's own facility time."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from sciencebridge.core.first_rows import first_rows
from sciencebridge.core.probes import probed

from .models import Allocation, AllocationMember, AllocationState, Facility
from .selectors import allocations_with_usage, visible_allocations


def probes(user):
    """Necessary for the two panels (``core.probes``): a facility the user manages; an approved
    allocation that names the user."""
    return {
        "platforms.managed": Facility.objects.filter(managers=user),
        "platforms.named": [
            Allocation.objects.filter(requested_by=user, state=AllocationState.APPROVED),
            AllocationMember.objects.filter(user=user, allocation__state=AllocationState.APPROVED),
        ],
    }


def panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    out = []
    managed = Facility.objects.filter(managers=user)
    if probed(request, "platforms.managed") and managed.exists():
        pending = allocations_with_usage().filter(
            facility__in=managed, state=AllocationState.REQUESTED
        )[:20]
        out.append(
            {
                "title": _("Facility requests waiting for your decision"),
                "template": "platforms/_panel_pending.html",
                "rows": pending,
            }
        )
    if not probed(request, "platforms.named"):
        return out
    named = Q(requested_by=user) | Q(
        Exists(AllocationMember.objects.filter(allocation=OuterRef("pk"), user=user))
    )
    approved = visible_allocations(user).filter(named, state=AllocationState.APPROVED)
    # chosen without the usage sums (a join and a GROUP BY), which only the rows shown need
    mine = first_rows(approved, 10, rows=allocations_with_usage(approved))
    if mine:
        out.append(
            {
                "title": _("Your facility time"),
                "template": "platforms/_panel_mine.html",
                "rows": mine,
            }
        )
    return out
