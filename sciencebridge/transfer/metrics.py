"""Marketplace metrics for the cooperation dashboard and workplan items (see core.metrics).

Deals by stage (the current stage of every deal), deals concluded, and the value licensed per
currency (licences and spin-offs, each in its own currency: HKD and RMB are never added together).
Filters: ``year`` (the year a deal was first contacted, or concluded for the value metrics).
"""

from types import MappingProxyType

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics
from sciencebridge.core.request_cache import once_per_request

from .models import DEAL_DONE, Deal, DealState, OfferState, TechnologyOffer


def _deals(year=None):
    qs = Deal.objects.all()
    if year:
        qs = qs.filter(contacted_on__year=year)
    return qs


def _concluded(currency: str | None = None):
    """Deals concluded (licences and spin-offs), of one currency when given."""
    qs = Deal.objects.filter(state__in=DEAL_DONE)
    return qs.filter(value_currency=currency) if currency else qs


def _stages_per_year(years: tuple[int, ...]) -> dict[str, dict[int, int]]:
    """``{stage: {year of first contact: deals}}`` in one grouped query, once per request: the
    dashboard's pipeline chart asks each of the six stages for the same years."""

    return once_per_request(
        ("transfer.stages_per_year", years),
        lambda: MappingProxyType(
            metrics.by_year(Deal.objects.all(), "contacted_on", years, group="state")
        ),
    )


def _stage_metric(state, label):
    def fn(year=None, **_ignored):
        return _deals(year).filter(state=state).count()

    def per_year(years, **_ignored):
        return _stages_per_year(tuple(years)).get(state, {})

    metrics.register(f"transfer.deals_{state}", label=label, unit="deals", per_year=per_year)(fn)
    return fn


STAGE_LABELS = {
    DealState.CONTACTED: _("Deals at stage: contacted"),
    DealState.UNDER_NDA: _("Deals at stage: under NDA"),
    DealState.NEGOTIATING: _("Deals at stage: negotiating"),
    DealState.LICENSED: _("Deals at stage: licensed"),
    DealState.SPIN_OFF: _("Deals at stage: spin-off"),
    DealState.CLOSED: _("Deals at stage: closed"),
}
for _state, _label in STAGE_LABELS.items():
    _stage_metric(_state, _label)


def deals_by_stage(year=None) -> dict[str, int]:
    """{stage: number of deals} in one query (for pages that show the whole pipeline)."""
    from django.db.models import Count

    counts = dict(_deals(year).values_list("state").annotate(n=Count("id")).order_by())
    return {s: counts.get(s, 0) for s in DealState.values}


@metrics.register(
    "transfer.offers_published", label=_("Technology offers published"), unit="offers"
)
def offers_published(year=None, **_ignored):
    qs = TechnologyOffer.objects.filter(state=OfferState.PUBLISHED)
    if year:
        qs = qs.filter(published_at__year=year)
    return qs.count()


@metrics.register(
    "transfer.deals_concluded",
    label=_("Technology deals concluded (licences and spin-offs)"),
    unit="deals",
    per_year=lambda years, **_ignored: metrics.by_year(_concluded(), "closed_on", years),
)
def deals_concluded(year=None, **_ignored):
    qs = _concluded()
    if year:
        qs = qs.filter(closed_on__year=year)
    return qs.count()


def licensed_value(currency: str, year=None) -> float:
    qs = _concluded(currency)
    if year:
        qs = qs.filter(closed_on__year=year)
    return float(qs.aggregate(s=Sum("value"))["s"] or 0)


def licensed_value_per_year(currency: str, years) -> dict:
    return metrics.by_year(_concluded(currency), "closed_on", years, Sum("value"))


@metrics.register(
    "transfer.licensed_value_hkd",
    label=_("Value of technology deals concluded (HKD)"),
    unit="HKD",
    per_year=lambda years, **_ignored: licensed_value_per_year("HKD", years),
)
def licensed_value_hkd(year=None, **_ignored):
    return licensed_value("HKD", year)


@metrics.register(
    "transfer.licensed_value_rmb",
    label=_("Value of technology deals concluded (RMB)"),
    unit="RMB",
    per_year=lambda years, **_ignored: licensed_value_per_year("CNY", years),
)
def licensed_value_rmb(year=None, **_ignored):
    return licensed_value("CNY", year)
