"""Small pieces other apps' pages show: the applicant's "experts to avoid" card on the half edit page,
the officer's link on the proposal page, and the duplicate-submission notice at screening."""

from django import template

from ..rules import applicant_sees_exclusions, name_blocker, officer_sees_exclusions
from ..services import duplicates_for

register = template.Library()


@register.inclusion_tag("exclusions/_card.html", takes_context=True)
def avoid_card(context, half):
    user = context["request"].user
    side = half.proposal.call.scheme.side(half.side)
    officer = officer_sees_exclusions(user, half)
    shown = side.avoid_experts_allowed and (officer or applicant_sees_exclusions(user, half))
    return {
        "show": shown,
        "half": half,
        "officer": officer,
        "n": half.expert_exclusions.count() if shown else 0,
        "max": side.avoid_experts_max,
        "editable": half.lead_id == user.pk and name_blocker(half) is None,
    }


@register.inclusion_tag("exclusions/_duplicates.html", takes_context=True)
def duplicate_notice(context, half):
    return {"duplicates": duplicates_for(context["request"].user, half)}
