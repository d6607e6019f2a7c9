"""Export experts to CSV/XLSX in the same columns the import reads (so a file round-trips; formula-safe
through sciencebridge.core.spreadsheets, which the importer undoes)."""

from django.http import HttpResponse

from sciencebridge.core.spreadsheets import Sheet

from .importing import COLUMNS


def experts_dataset(experts) -> Sheet:
    data = Sheet([*COLUMNS, "status"])
    for e in experts.iterator(chunk_size=2000):  # prefetches run per chunk
        data.append(
            [
                e.name_en,
                e.name_zh,
                e.email,
                e.region,
                e.institution.code if e.institution_id else "",
                e.department,
                e.title,
                " ".join(f"{c.scheme.code}:{c.code}" for c in e.discipline_codes.all()),
                e.keywords,
                e.languages,
                e.orcid,
                "yes" if e.consent_to_contact else "no",
                e.status,
            ]
        )
    return data


def experts_response(experts, fmt: str, filename: str = "experts") -> HttpResponse:
    return experts_dataset(experts).response(fmt, filename)
