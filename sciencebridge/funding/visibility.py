"""What each visibility level shares of a proposal half: the one definition the pages and the API use.

``rules.half_visibility`` decides the level a user has; this module decides what that level shows.
A level below "full" on a half that has not been submitted to its agency is ``PENDING``: the viewer
learns that the partner has not (yet) submitted, and nothing of the draft (no state, institution,
team, budget or dates).
"""

from sciencebridge.core.prefetched import is_prefetched, related_rows

from .models import PartnerVisibility, ProposalHalf
from .validation import budget_total

#: A partner half not (yet) submitted to its agency, seen by someone who is not on the proposal.
PENDING = "pending"

#: Levels from nothing to everything; a user's level on a half is one of these.
LEVELS = [
    None,
    PENDING,
    PartnerVisibility.STATUS,
    PartnerVisibility.SUMMARY,
    PartnerVisibility.FULL,
]

_PENDING_FIELDS = ("side", "agency", "submitted")
_STATUS_FIELDS = (*_PENDING_FIELDS, "state", "submitted_at")
_SUMMARY_FIELDS = (*_STATUS_FIELDS, "institution", "lead", "team")
_FULL_FIELDS = (
    *_SUMMARY_FIELDS,
    "screening_reason",
    "keywords",
    "discipline_codes",
    "industry_sponsorship",
    "budget",
    "budget_total",
    "currency",
    "attachments",
)

#: The fields of a half shared at each level. The shared fields of the pair (title, abstract, plan,
#: type, area, duration) belong to the proposal and are seen by everyone who sees the proposal.
HALF_FIELDS: dict[str, tuple[str, ...]] = {
    PENDING: _PENDING_FIELDS,
    PartnerVisibility.STATUS: _STATUS_FIELDS,
    PartnerVisibility.SUMMARY: _SUMMARY_FIELDS,
    PartnerVisibility.FULL: _FULL_FIELDS,
}


def max_level(a, b):
    return a if LEVELS.index(a) >= LEVELS.index(b) else b


def cap_unsubmitted(level, half: ProposalHalf):
    """Below "full", a half not yet submitted to its agency shows only that it is not submitted."""
    if (
        level in (PartnerVisibility.STATUS, PartnerVisibility.SUMMARY)
        and not half.has_reached_agency
    ):
        return PENDING
    return level


#: How each shared field is read from a half (built once: a dict of 16 closures made per field
#: read was ~7 % of the API proposal list's time under the profiler).
_GETTERS = {
    "side": lambda half: half.side,
    "agency": lambda half: half.agency,
    "submitted": lambda half: half.has_reached_agency,
    "state": lambda half: half.state,
    "submitted_at": lambda half: half.submitted_at,
    "institution": lambda half: half.institution,
    "lead": lambda half: half.lead,
    "team": lambda half: related_rows(half, "team"),
    "screening_reason": lambda half: half.screening_reason,
    "keywords": lambda half: half.keyword_list(),
    "discipline_codes": lambda half: related_rows(half, "discipline_codes"),
    "industry_sponsorship": lambda half: half.industry_sponsorship,
    "budget": lambda half: related_rows(half, "budget_lines"),
    "budget_total": lambda half: budget_total(half),
    "currency": lambda half: half.currency,
    "attachments": lambda half: _attachments(half),
}


def _attachments(half: ProposalHalf) -> list:
    """The half's documents with their kind: from the prefetch cache when a list prefetched them
    (``halves__attachments__kind``, the API), else in one query."""
    if is_prefetched(half, "attachments"):
        return related_rows(half, "attachments")
    return list(half.attachments.select_related("kind"))


def half_data(half: ProposalHalf, level) -> dict | None:
    """The half's values that ``level`` shares, as Python objects (None: nothing is shared)."""
    if level is None:
        return None
    return {field: _GETTERS[field](half) for field in HALF_FIELDS[level]}
