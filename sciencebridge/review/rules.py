"""Who may see which review, object by object (django-rules predicates).

- The reviewer sees their own review always.
- Another reviewer of the same proposal (same half, or the same shared review) sees it only once
  their own review is submitted, only if the scheme allows reviewers to see each other's reviews,
  and never with the author's identity.
- An expert who declared a conflict, or was withdrawn, sees nothing of the proposal or its reviews.
- Programme officers see the submitted reviews of their own agency's side (both agencies for a
  shared review); of the partner side only a summary (count and mean score), and only where the
  scheme shares at least a summary of the partner half.
- Panel chairs and the committee secretariat see submitted reviews; applicants never see reviews
  through these rules (they get anonymised comments to the applicant after the decision, see
  ``selectors.applicant_comments``).
- Anyone with a declared or detected conflict of interest with the proposal (``conflicts``) sees
  none of its reviews, whatever their role (panel chairs, officers and superusers included).
"""

import rules

from sciencebridge.accounts.roles import Role
from sciencebridge.funding.models import PartnerVisibility

from .conflicts import has_conflict
from .models import Assignment, AssignmentState, Review, ReviewState

FULL = "full"
PEER = "peer"  # another reviewer's view: scores and comments, no identity, no confidential comments
SUMMARY = "summary"


def _scheme(review_or_assignment):
    a = (
        review_or_assignment.assignment
        if isinstance(review_or_assignment, Review)
        else review_or_assignment
    )
    return a.proposal.call.scheme


def _officer_agency_sides(user, scheme) -> set[str]:
    if not (user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return set()
    return {s.side for s in scheme.sides.all() if s.agency_id == user.agency_id}


def own_seat(user, assignment: Assignment) -> Assignment | None:
    """The user's own seat on the same review unit (same proposal and half)."""
    profile = getattr(user, "expert_profile", None) if user.is_authenticated else None
    if profile is None:
        return None
    return (
        Assignment.objects.filter(
            proposal_id=assignment.proposal_id, half_id=assignment.half_id, expert=profile
        )
        .exclude(state=AssignmentState.REMOVED)
        .select_related("review")
        .first()
    )


def review_visibility(user, review: Review) -> str | None:
    """None, ``summary``, ``peer`` or ``full``."""
    if not user.is_authenticated:
        return None
    a = review.assignment
    if has_conflict(user, a.proposal_id):
        return None
    if a.expert.user_id == user.pk:
        return FULL if a.state != AssignmentState.CONFLICT else None
    if user.is_superuser:
        return FULL
    if review.state != ReviewState.SUBMITTED:
        return None
    scheme = _scheme(review)
    level = None
    if user.has_role(Role.PANEL_CHAIR) or user.has_role(Role.SECRETARIAT):
        level = FULL
    sides = _officer_agency_sides(user, scheme)
    if sides:
        if a.half_id is None or a.half.side in sides:
            level = FULL
        elif level is None:
            partner = scheme.side(a.half.side)
            if partner.partner_visibility in (PartnerVisibility.SUMMARY, PartnerVisibility.FULL):
                level = SUMMARY
    if level is None and scheme.reviewers_see_other_reviews:
        mine = own_seat(user, a)
        if (
            mine is not None
            and mine.state == AssignmentState.SUBMITTED
            and getattr(mine, "review", None) is not None
            and mine.review.state == ReviewState.SUBMITTED
        ):
            level = PEER
    return level


@rules.predicate
def can_view_review(user, review):
    return review_visibility(user, review) in (FULL, PEER)


@rules.predicate
def is_invited_expert(user, assignment):
    return bool(
        user.is_authenticated
        and assignment.expert.user_id == user.pk
        and assignment.state
        in (AssignmentState.INVITED, AssignmentState.ACCEPTED, AssignmentState.SUBMITTED)
    )


@rules.predicate
def can_open_proposal(user, assignment):
    """Read the proposal as its reviewer: accepted, no conflict confirmed, and none declared or detected."""
    from .services.reviews import may_open

    return may_open(user, assignment)


@rules.predicate
def can_manage_run(user, run):
    from .services.assignment import may_manage

    return may_manage(user, run.call, run.side)


rules.add_perm("review.view_review", can_view_review)
rules.add_perm("review.respond_invitation", is_invited_expert)
rules.add_perm("review.open_proposal", can_open_proposal)
rules.add_perm("review.manage_run", can_manage_run)
