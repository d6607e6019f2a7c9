"""Who may see and do what with proposals, object by object (django-rules predicates).

Visibility of a half comes in levels (``visibility.LEVELS``), because officers see a partner half only
as far as the scheme shares it: None < "pending" < "status" < "summary" < "full". What each level
shows is defined once, in ``visibility.HALF_FIELDS``. Staff see nothing of a half before it is
submitted: an agency's officers see a half once it has been submitted to their own agency, and the
partner half (at the scheme's level) only once it has been submitted to its own.
"""

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from sciencebridge.accounts.roles import Role
from sciencebridge.core.prefetched import related_rows

from .models import (
    DECIDED_STATES,
    FINAL_STATES,
    HalfState,
    PartnerVisibility,
    ProposalHalf,
)
from .visibility import LEVELS, PENDING, cap_unsubmitted, max_level

__all__ = ["LEVELS", "PENDING", "half_visibility"]


def is_applicant_on(user, proposal) -> bool:
    halves = related_rows(proposal, "halves")
    return any(h.lead_id == user.pk for h in halves) or any(
        m.user_id == user.pk for h in halves for m in related_rows(h, "team")
    )


def _partner(half: ProposalHalf) -> ProposalHalf | None:
    return next((h for h in related_rows(half.proposal, "halves") if h.pk != half.pk), None)


def _is_office_of(user, institution_id) -> bool:
    return bool(
        institution_id
        and user.has_role(Role.RESEARCH_OFFICE)
        and user.institution_id == institution_id
    )


def _is_officer_of(user, agency_id) -> bool:
    return bool(agency_id and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id == agency_id)


def half_visibility(user, half: ProposalHalf):
    """How much of this half the user may see (None: nothing). Mirrored by ``selectors.visible_halves``."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return PartnerVisibility.FULL
    proposal = half.proposal
    if is_applicant_on(user, proposal):
        # Co-applicants of a joint proposal read both halves; they edit only their own.
        return PartnerVisibility.FULL
    level = None
    if _is_office_of(user, half.institution_id) and half.submitted_at is not None:
        level = (
            PartnerVisibility.FULL
        )  # sent to the research office (for endorsement) at least once
    partner = _partner(half)
    if _is_officer_of(user, half.agency_id) and half.has_reached_agency:
        level = PartnerVisibility.FULL
    elif partner and _is_officer_of(user, partner.agency_id) and partner.has_reached_agency:
        level = max_level(level, proposal.call.scheme.side(partner.side).partner_visibility)
    if (
        level is None
        and partner
        and _is_office_of(user, partner.institution_id)
        and partner.is_submitted
    ):
        level = PartnerVisibility.SUMMARY
    return cap_unsubmitted(level, half)


def officer_receives(user, proposal) -> bool:
    """A programme officer of an agency to which a half of this proposal has been submitted."""
    return bool(
        user.is_authenticated
        and user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id
        and any(
            h.agency_id == user.agency_id and h.has_reached_agency for h in proposal.halves.all()
        )
    )


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
    return _is_office_of(user, half.institution_id)


@rules.predicate
def is_officer_of(user, half):
    return _is_officer_of(user, half.agency_id)


@rules.predicate
def is_officer(user):
    return bool(user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id)


@rules.predicate
def takes_part_in_call(user, call):
    """A programme officer of one of the call's agencies: they list the halves submitted to it."""
    if call is None or not is_officer(user):
        return False
    return user.agency_id in {s.agency_id for s in call.scheme.sides.all()}


# ----------------------------------------------------------------------------------------------
# What the half's state allows now. The services raise these reasons; the pages offer an action
# only when its reason is None, so a button is never offered and then refused.
# ----------------------------------------------------------------------------------------------
def submission_blocker(half: ProposalHalf, now=None) -> str | None:
    call = half.proposal.call
    if not call.is_open(now):
        return _(
            "The call is not open: submissions are accepted from %(o)s to %(c)s (Hong Kong time)."
        ) % {
            "o": timezone.localtime(call.opens_at).strftime("%Y-%m-%d %H:%M"),
            "c": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M"),
        }
    if not half.is_editable:
        return _("This half is %(state)s.") % {"state": half.get_state_display()}
    return None


def endorsement_blocker(half: ProposalHalf) -> str | None:
    if half.state != HalfState.SUBMITTED:
        return _("Only a submitted half awaiting endorsement can be endorsed or returned.")
    return None


def screening_blocker(half: ProposalHalf) -> str | None:
    scheme_side = half.proposal.call.scheme.side(half.side)
    ready = (
        {HalfState.ENDORSED}
        if scheme_side.requires_endorsement
        else {HalfState.SUBMITTED, HalfState.ENDORSED}
    )
    ready |= {
        HalfState.ELIGIBLE,
        HalfState.INELIGIBLE,
    }  # a screening decision may be revised with a reason
    if half.state in ready:
        return None
    if half.state == HalfState.SUBMITTED:
        return _("This half must be endorsed by its institution before screening.")
    return _("This half is %(state)s and cannot be screened.") % {"state": half.get_state_display()}


def withdrawal_blocker(halves) -> str | None:
    if any(h.state in DECIDED_STATES for h in halves):
        return _("The funding decision has been made; the proposal can no longer be withdrawn.")
    if all(h.state in FINAL_STATES for h in halves):
        return _("This proposal is already closed.")
    return None


@rules.predicate
def can_submit_half(user, half):
    return bool(half.lead_id == user.pk and submission_blocker(half) is None)


@rules.predicate
def can_endorse_half(user, half):
    return bool(_is_office_of(user, half.institution_id) and endorsement_blocker(half) is None)


@rules.predicate
def can_screen_half(user, half):
    return bool(_is_officer_of(user, half.agency_id) and screening_blocker(half) is None)


@rules.predicate
def can_withdraw_proposal(user, proposal):
    halves = list(proposal.halves.all())
    return bool(any(h.lead_id == user.pk for h in halves) and withdrawal_blocker(halves) is None)


rules.add_perm("funding.view_proposal", can_view_proposal)
rules.add_perm("funding.edit_half", is_half_lead)
rules.add_perm("funding.submit_half", can_submit_half)
rules.add_perm("funding.withdraw_proposal", can_withdraw_proposal)
rules.add_perm("funding.endorse_half", can_endorse_half)
rules.add_perm("funding.screen_half", can_screen_half)
rules.add_perm("funding.list_call_proposals", is_officer & takes_part_in_call)


# ----------------------------------------------------------------------------------------------
# Personal eligibility data (national programmes): the person, and the screening officers of an agency
# to which the person has submitted a national-programme half. Nobody else: not reviewers, panel chairs,
# research offices, other agencies' officers or partners.
# ----------------------------------------------------------------------------------------------
def can_view_eligibility_of(user, person) -> bool:
    if not user.is_authenticated or person is None:
        return False
    if user.pk == person.pk:
        return True
    if not (user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return False
    from sciencebridge.review.conflicts import conflicted_proposal_ids

    from .models import ProposalHalf, SchemeKind, reached_agency_q

    return (
        ProposalHalf.objects.filter(
            reached_agency_q(),
            lead=person,
            agency_id=user.agency_id,
            proposal__call__scheme__kind=SchemeKind.NATIONAL,
        )
        .exclude(proposal_id__in=conflicted_proposal_ids(user))
        .exists()
    )


rules.add_perm("funding.view_eligibility_profile", rules.predicate(can_view_eligibility_of))
