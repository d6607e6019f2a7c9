"""``{% recheck_box half %}`` on the proposal page: the half's latest recheck request (to its team and its
side's officers) and, for its lead, the "Ask for a recheck" button while the window is open."""

from django import template
from django.utils import timezone

from ..rules import is_side_officer, on_half_team
from ..services import request_blocker, window_closes_at

register = template.Library()


@register.inclusion_tag("rechecks/_half_box.html", takes_context=True)
def recheck_box(context, half):
    user = context["request"].user
    if half is None or not (
        user.is_superuser or on_half_team(user, half) or is_side_officer(user, half)
    ):
        return {"show": False}
    from ..models import RecheckRequest

    latest = RecheckRequest.objects.filter(half=half).order_by("-requested_at", "-pk").first()
    can_request = (
        half.lead_id == user.pk and half.state == "ineligible" and not request_blocker(half)
    )
    return {
        "show": bool(latest or can_request),
        "half": half,
        "latest": latest,
        "today": timezone.localdate(),
        "can_request": can_request,
        "closes_at": window_closes_at(half) if can_request else None,
    }
