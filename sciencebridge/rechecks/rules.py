"""Who may see and act on a recheck request, object by object (django-rules predicates).

A request is seen only by the team of the half it is about (its lead and the team members with an
account) and by that side's agency officers; never by the partner half's team or agency, reviewers or
research offices. ``selectors.visible_requests`` is the queryset twin of ``can_view_request``.
"""

import rules

from sciencebridge.accounts.roles import Role


def on_half_team(user, half) -> bool:
    """The half's lead or a team member of that half (team prefetched: no query)."""
    return bool(
        user.is_authenticated
        and (half.lead_id == user.pk or any(m.user_id == user.pk for m in half.team.all()))
    )


def is_side_officer(user, half) -> bool:
    return bool(
        user.is_authenticated
        and user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id
        and user.agency_id == half.agency_id
    )


@rules.predicate
def can_view_request(user, req):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return on_half_team(user, req.half) or is_side_officer(user, req.half)


@rules.predicate
def can_decide_request(user, req):
    return is_side_officer(user, req.half) and req.is_open


@rules.predicate
def can_withdraw_request(user, req):
    return bool(req.half.lead_id == user.pk and req.is_open)


rules.add_perm("rechecks.view_request", can_view_request)
rules.add_perm("rechecks.decide_request", can_decide_request)
rules.add_perm("rechecks.withdraw_request", can_withdraw_request)
