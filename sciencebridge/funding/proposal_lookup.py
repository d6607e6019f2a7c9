"""One proposal by its reference, as the user may open it: the proposal pages' read.

The rule is ``selectors.visible_proposals``' (``visible_proposal_q``, then the officer's conflicts),
and so are the rows: the proposal with its call, scheme, area and type; its scheme's sides; its
halves with their institution, agency and lead; each half's team. Where ``visible_proposals`` builds
and compiles that queryset and its three prefetches on every request (~40 % of the proposal page's
time on the national-scale data, issue 16), this reads them by SQL compiled once per process
(``core.precompiled``): one statement for each shape of the rule (which of a research office's and
a programme officer's scopes the user has), whatever the user.
"""

from __future__ import annotations

from django.db.models import Q

from sciencebridge.core.precompiled import STAND_IN_IDS, Precompiled, RowsByIds
from sciencebridge.core.prefetched import prefetch_rows

from .half_rows import TEAM
from .models import JointProposal, ProposalHalf
from .selectors import (
    SCHEME_SIDES,
    applicant_proposal_ids,
    officer_conflicts,
    proposal_with_call,
    staff_scope,
    visible_proposal_q,
)

# Stand-ins no row has (ids are positive), one per value of the statement.
_REFERENCE, _INSTITUTION, _AGENCY = "~stand-in reference~", -(2**62) - 23, -(2**62) - 29


def _shape(institution: bool, agency: bool) -> Precompiled:
    def build(reference, own_ids, *scope):
        scope = iter(scope)
        q = visible_proposal_q(
            Q(pk__any=own_ids),
            next(scope) if institution else None,
            next(scope) if agency else None,
        )
        return proposal_with_call().filter(q, reference=reference)

    stand_ins = (_INSTITUTION,) * institution + (_AGENCY,) * agency
    return Precompiled(build, _REFERENCE, STAND_IN_IDS, *stand_ins)


_BY_SHAPE = {(i, a): _shape(i, a) for i in (False, True) for a in (False, True)}
_ANY = Precompiled(lambda reference: proposal_with_call().filter(reference=reference), _REFERENCE)

_HALVES = RowsByIds(
    "proposal", lambda: ProposalHalf.objects.select_related("institution", "agency", "lead")
)


def visible_proposal(user, reference: str) -> JointProposal | None:
    """The proposal ``reference`` with its rows (as ``visible_proposals``' prefetches leave them), or
    None when ``user`` may not open it or it does not exist: the same answer for both."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        proposal = _ANY.first(reference)
    else:
        institution_id, agency_id = staff_scope(user)
        scope = [v for v in (institution_id, agency_id) if v is not None]
        statement = _BY_SHAPE[institution_id is not None, agency_id is not None]
        own = sorted(applicant_proposal_ids(user))
        proposal = statement.first(reference, own, *scope)
        if proposal is not None and proposal.pk in officer_conflicts(user):
            proposal = None
    if proposal is not None:
        prefetch_rows([proposal.call.scheme], SCHEME_SIDES)
        prefetch_rows([proposal], _HALVES)
        prefetch_rows(list(proposal.halves.all()), TEAM)
    return proposal
