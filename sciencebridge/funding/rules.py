"""Who may see and do what with proposals, object by object (django-rules predicates).

Visibility of a half comes in levels, because officers see a partner half only as far as
the scheme shares it: None < "status" < "summary" < "full".
"""

import rules

from sciencebridge.accounts.roles import Role

from .models import (
    EDITABLE_STATES,
    OFFICER_STATES,
    SUBMITTED_STATES,
    HalfState,
    PartnerVisibility,
    ProposalHalf,
)

LEVELS = [None, PartnerVisibility.STATUS, PartnerVisibility.SUMMARY, PartnerVisibility.FULL]


def _max_level(a, b):
    return a if LEVELS.index(a) >= LEVELS.index(b) else b


def is_applicant_on(user, proposal) -> bool:
    return any(h.lead_id == user.pk for h in proposal.halves.all()) or any(
        m.user_id == user.pk for h in proposal.halves.all() for m in h.team.all()
    )


def half_visibility(user, half: ProposalHalf):
    """How much of this half the user may see (None: nothing)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return PartnerVisibility.FULL
    proposal = half.proposal
    level = None
    if is_applicant_on(user, proposal):
        # Co-applicants of a joint proposal read both halves; they edit only their own.
        level = PartnerVisibility.FULL
    if (user.has_role(Role.RESEARCH_OFFICE) and user.institution_id
            and half.institution_id == user.institution_id and half.state not in EDITABLE_STATES - {HalfState.RETURNED}):
        level = _max_level(level, PartnerVisibility.FULL)
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        if half.agency_id == user.agency_id and half.state in OFFICER_STATES:
            level = _max_level(level, PartnerVisibility.FULL)
        else:
            partner = next((h for h in proposal.halves.all() if h.pk != half.pk), None)
            if partner and partner.agency_id == user.agency_id and partner.state in SUBMITTED_STATES:
                scheme_side = proposal.call.scheme.side(partner.side)
                level = _max_level(level, scheme_side.partner_visibility)
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id and level is None:
        partner = next((h for h in proposal.halves.all() if h.pk != half.pk), None)
        if partner and partner.institution_id == user.institution_id and partner.is_submitted:
            level = PartnerVisibility.SUMMARY
    return level


@rules.predicate
def can_view_proposal(user, proposal):
    return any(half_visibility(user, h) for h in proposal.halves.all())


@rules.predicate
def is_half_lead(user, half):
    return half.lead_id == user.pk


@rules.predicate
def is_proposal_lead(user, proposal):
    return any(h.lead_id == user.pk for h in proposal.halves.all())


@rules.predicate
def is_research_office_of(user, half):
    return bool(user.has_role(Role.RESEARCH_OFFICE) and user.institution_id and half.institution_id == user.institution_id)


@rules.predicate
def is_officer_of(user, half):
    return bool(user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id and half.agency_id == user.agency_id)


@rules.predicate
def is_officer(user):
    return bool(user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id)


rules.add_perm("funding.view_proposal", can_view_proposal)
rules.add_perm("funding.edit_half", is_half_lead)
rules.add_perm("funding.withdraw_proposal", is_proposal_lead)
rules.add_perm("funding.endorse_half", is_research_office_of)
rules.add_perm("funding.screen_half", is_officer_of)
rules.add_perm("funding.list_call_proposals", is_officer)
