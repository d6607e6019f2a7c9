"""CSV/XLSX export of an officer's proposal list (formula-safe: sciencebridge.core.spreadsheets)."""

from django.http import HttpResponse

from sciencebridge.core.spreadsheets import Sheet

from .validation import budget_total

COLUMNS = [
    "Reference",
    "Title",
    "Side",
    "State",
    "Lead institution",
    "Lead",
    "Area",
    "Type",
    "Duration (months)",
    "Budget",
    "Currency",
    "Partner state",
    "Keywords",
    "Discipline codes",
    "Submitted at",
]


def halves_dataset(halves) -> Sheet:
    data = Sheet(COLUMNS)
    for h in halves.prefetch_related("budget_lines"):
        partner = next((p for p in h.proposal.halves.all() if p.pk != h.pk), None)
        data.append(
            [
                h.proposal.reference,
                h.proposal.title,
                h.side,
                h.state,
                str(h.institution or ""),
                str(h.lead or ""),
                str(h.proposal.area or ""),
                str(h.proposal.project_type or ""),
                h.proposal.duration_months,
                float(budget_total(h)),
                h.currency,
                (partner.state if partner.has_reached_agency else "not submitted")
                if partner
                else "",
                h.keywords,
                " ".join(c.code for c in h.discipline_codes.all()),
                h.submitted_at.isoformat() if h.submitted_at else "",
            ]
        )
    return data


def halves_response(halves, fmt: str, filename: str) -> HttpResponse:
    return halves_dataset(halves).response(fmt, filename)
