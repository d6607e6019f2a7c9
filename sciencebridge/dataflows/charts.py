"""The public dashboard's data-flow chart: aggregates only (counts per year and direction, no party)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import AgreementState, DataTransferAgreement


def agreements_per_year() -> dict:
    """GBA data-transfer agreements signed per year, stacked by direction: one query."""
    from sciencebridge.cooperation.services.charts import _chart, _years

    years = _years()
    rows = (
        DataTransferAgreement.objects.filter(
            state=AgreementState.SIGNED, signed_at__year__gte=years[0]
        )
        .values("signed_at__year", "processor_location__jurisdiction")
        .annotate(n=Count("id"))
    )
    ml_hk = [0] * len(years)
    hk_ml = [0] * len(years)
    for r in rows:
        i = years.index(r["signed_at__year"]) if r["signed_at__year"] in years else None
        if i is None:
            continue
        (ml_hk if r["processor_location__jurisdiction"] == "ML" else hk_ml)[i] += r["n"]
    found = [
        {
            "label": _("Mainland GBA cities to Hong Kong"),
            "data": ml_hk,
            "unit": "agreements",
            "stack": "all",
        }
        if any(ml_hk)
        else None,
        {
            "label": _("Hong Kong to Mainland GBA cities"),
            "data": hk_ml,
            "unit": "agreements",
            "stack": "all",
        }
        if any(hk_ml)
        else None,
    ]
    found = [d for d in found if d]
    return _chart(
        "data-flows",
        _("GBA data-transfer agreements signed per year"),
        years if found else [],
        found,
        note=_(
            "Agreements under the GBA Standard Contract signed by both parties, in the year signed, by "
            "direction of the personal information; each bar is every agreement signed that year."
        )
        if found
        else _("Not recorded on this platform yet."),
    )
