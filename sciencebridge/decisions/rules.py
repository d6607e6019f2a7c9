"""Who may see and do what with panels and decisions (django-rules predicates, object by object)."""

import rules

from sciencebridge.accounts.roles import Role
from sciencebridge.funding.rules import is_applicant_on, officer_receives


def _officer_agency(user):
    if user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        return user.agency_id
    return None


def call_agency_ids(call) -> set[int]:
    return {s.agency_id for s in call.scheme.sides.all()}


def is_other_agency_officer(user, call) -> bool:
    """A programme officer whose agency takes no part in the call's scheme: refused with 403 (not an
    empty page) on the call's panels, meeting, budget and decisions."""
    agency = _officer_agency(user)
    return bool(agency and not user.is_superuser and agency not in call_agency_ids(call))


@rules.predicate
def is_call_officer(user, call):
    """A programme officer of either agency of the call's scheme (the joint review meeting)."""
    return bool(
        user.is_superuser
        or (_officer_agency(user) and _officer_agency(user) in call_agency_ids(call))
    )


@rules.predicate
def can_view_panel(user, panel):
    if not user.is_authenticated:
        return False
    if user.is_superuser or panel.chair_id == user.pk:
        return True
    agency = _officer_agency(user)
    scheme_side = panel.call.scheme.side(panel.side)
    return bool(agency and scheme_side and agency == scheme_side.agency_id)


@rules.predicate
def is_panel_chair(user, panel):
    return bool(user.is_authenticated and panel.chair_id == user.pk)


@rules.predicate
def can_view_outcome(user, proposal):
    """Applicants of the proposal, and the officers of an agency a half has been submitted to."""
    if not user.is_authenticated:
        return False
    return bool(
        user.is_superuser or is_applicant_on(user, proposal) or officer_receives(user, proposal)
    )


rules.add_perm("decisions.view_meeting", is_call_officer)
rules.add_perm("decisions.view_panel", can_view_panel)
rules.add_perm("decisions.chair_panel", is_panel_chair)
rules.add_perm("decisions.view_outcome", can_view_outcome)
