"""The ledger's live metrics (see sciencebridge.core.metrics): read by the public dashboard by code."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics


def _cumulative_per_year(years, scale=Decimal(1)) -> dict[int, Decimal]:
    """``{year: RMB remitted to the end of that year}`` from one grouped query."""
    from .selectors import remitted_by_year

    per_year = remitted_by_year()
    return {
        y: sum((v for ry, v in per_year.items() if ry <= int(y)), Decimal(0)) / scale for y in years
    }


@metrics.register(
    "remittances.remitted_rmb",
    label=_("Mainland S&T funds remitted to Hong Kong, recorded on this platform"),
    unit="RMB",
    per_year=lambda years, **_ignored: _cumulative_per_year(years),
)
def remitted_rmb(year=None, **_ignored):
    """Cumulative RMB remitted (to the end of ``year`` when given)."""
    from .selectors import public_totals

    if year is None:
        return public_totals()["remitted_rmb"]
    return _cumulative_per_year([int(year)])[int(year)]


@metrics.register(
    "remittances.remitted_rmb_m",
    label=_("Recorded on this platform (remittance ledger)"),
    unit="RMB million (cumulative)",
    per_year=lambda years, **_ignored: _cumulative_per_year(years, Decimal(1_000_000)),
)
def remitted_rmb_m(year=None, **_ignored):
    return remitted_rmb(year=year) / Decimal(1_000_000)
