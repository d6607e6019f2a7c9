"""The rows of proposal halves that pages and the API show, read for many halves at once by SQL
compiled once per process (``core.precompiled``).

Each relation comes in its owner's order (``Meta.ordering`` within one half), sorted by the half's
id rather than by the half's own order, which would join the halves for nothing.
"""

from sciencebridge.classification.models import DisciplineCode
from sciencebridge.core.precompiled import RowsByIds
from sciencebridge.core.prefetched import attach_many, attach_rows

from .models import Attachment, BudgetLine, ProposalHalf, TeamMember

TEAM = RowsByIds(
    "half",
    lambda: TeamMember.objects.select_related("institution").order_by("half_id", "role", "id"),
)
BUDGET_LINES = RowsByIds("half", lambda: BudgetLine.objects.order_by("half_id", "id"))
DISCIPLINE_CODES = RowsByIds(
    "proposalhalf",
    lambda: ProposalHalf.discipline_codes.through.objects.select_related("disciplinecode").order_by(
        *(f"disciplinecode__{name}" for name in DisciplineCode._meta.ordering)
    ),
)
ATTACHMENTS = RowsByIds(
    "half",
    lambda: Attachment.objects.select_related("kind").order_by("half_id", "kind__code", "id"),
)


def attach_full_rows(halves: list[ProposalHalf]) -> None:
    """What the "full" level shares beyond the half's own row (``visibility.half_data``): its budget
    lines, attachments and discipline codes, for ``halves`` in three queries."""
    attach_rows(halves, BUDGET_LINES, "half")
    attach_rows(halves, ATTACHMENTS, "half")
    attach_many(halves, "discipline_codes", DISCIPLINE_CODES)
