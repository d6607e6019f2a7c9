"""Export experts to CSV/XLSX in the same columns the import reads (so a file round-trips)."""

import tablib
from django.http import HttpResponse

from .importing import COLUMNS


def experts_dataset(experts) -> tablib.Dataset:
    data = tablib.Dataset(headers=[*COLUMNS, "status"])
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
    data = experts_dataset(experts)
    if fmt == "xlsx":
        resp = HttpResponse(
            data.export("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        fmt = "csv"
        resp = HttpResponse("\ufeff" + data.export("csv"), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp
