"""Who may see and change the experts an applicant asks to avoid, object by object.

- the lead of the half names them while the half is editable;
- the lead and team members of that half read what they entered, without the match result;
- the officers of that half's agency (once it reached them, and without a conflict of interest with the
  proposal) read the match result and may override one exclusion with a reason; the partner side's
  officers, reviewers, panel chairs and the partner team see nothing of them.
"""

from __future__ import annotations

import rules

from sciencebridge.core.prefetched import related_rows
from sciencebridge.funding.models import ProposalHalf
from sciencebridge.funding.rules import _is_officer_of


def is_team_of_half(user, half: ProposalHalf) -> bool:
    if not user.is_authenticated:
        return False
    return half.lead_id == user.pk or any(m.user_id == user.pk for m in related_rows(half, "team"))


def officer_sees_exclusions(user, half: ProposalHalf, conflicted_ids=None) -> bool:
    """The match result: this half's agency's officers (no conflict) and administrators.

    ``conflicted_ids``: the user's conflicted proposal ids (``review.conflicts.conflicted_proposal_ids``),
    when the caller has them for a whole list (the API); without them, one proposal is checked."""
    if not user.is_authenticated or not half.has_reached_agency:
        return False
    if not (user.is_superuser or _is_officer_of(user, half.agency_id)):
        return False
    if conflicted_ids is not None:
        return half.proposal_id not in conflicted_ids
    from sciencebridge.review.conflicts import has_conflict

    return not has_conflict(user, half.proposal_id)


def applicant_sees_exclusions(user, half: ProposalHalf) -> bool:
    return is_team_of_half(user, half)


def name_blocker(half: ProposalHalf) -> str | None:
    """Why experts to avoid cannot be named on this half now (None: they can)."""
    from django.utils.translation import gettext as _

    side = half.proposal.call.scheme.side(half.side)
    if not side.avoid_experts_allowed:
        return _("This scheme does not let applicants name experts to avoid on this side.")
    if not half.is_editable:
        return _("Experts to avoid can be named only while the half is a draft or returned.")
    return None


@rules.predicate
def can_name_experts_to_avoid(user, half):
    return half.lead_id == user.pk and name_blocker(half) is None


@rules.predicate
def can_see_exclusion_matches(user, half):
    return officer_sees_exclusions(user, half)


rules.add_perm("exclusions.name_experts", can_name_experts_to_avoid)
rules.add_perm("exclusions.see_matches", can_see_exclusion_matches)
