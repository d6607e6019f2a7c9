"""Talent-exchange metrics for the cooperation dashboard and workplan items (see core.metrics).

Exchanges count in the year they ended. ``direction`` is "HK-ML" (Hong Kong home institution,
Mainland host) or "ML-HK"; the two directions also have their own codes so a workplan item can link
to one without filters.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics

from .models import Application, Exchange, ExchangeState


def _exchanges(year=None, direction=None, programme=None):
    qs = Exchange.objects.filter(state=ExchangeState.COMPLETED)
    if year:
        qs = qs.filter(ends_on__year=year)
    if direction in ("HK-ML", "ML-HK"):
        home, host = direction.split("-")
        qs = qs.filter(home__region=home, host__region=host)
    if programme:
        qs = qs.filter(programme__code=programme)
    return qs


def _per_year(fixed_direction=None):
    """Per year in one query; a metric of one direction ignores a ``direction`` filter, as its
    ``fn`` does."""

    def per_year(years, direction=None, programme=None, **_ignored):
        chosen = fixed_direction or direction
        return metrics.by_year(_exchanges(None, chosen, programme), "ends_on", years)

    return per_year


@metrics.register(
    "talent.exchanges_completed",
    label=_("Talent exchanges completed"),
    unit="people",
    per_year=_per_year(),
)
def exchanges_completed(year=None, direction=None, programme=None, **_ignored):
    return _exchanges(year, direction, programme).count()


@metrics.register(
    "talent.exchanges_hk_to_ml",
    label=_("Exchanges completed, Hong Kong to the Mainland"),
    unit="people",
    per_year=_per_year("HK-ML"),
)
def exchanges_hk_to_ml(year=None, programme=None, **_ignored):
    return _exchanges(year, "HK-ML", programme).count()


@metrics.register(
    "talent.exchanges_ml_to_hk",
    label=_("Exchanges completed, the Mainland to Hong Kong"),
    unit="people",
    per_year=_per_year("ML-HK"),
)
def exchanges_ml_to_hk(year=None, programme=None, **_ignored):
    return _exchanges(year, "ML-HK", programme).count()


@metrics.register(
    "talent.cross_boundary_exchanges",
    label=_("Cross-boundary talent exchanges completed"),
    unit="people",
)
def cross_boundary_exchanges(year=None, programme=None, **_ignored):
    return (
        _exchanges(year, None, programme)
        .filter(Q(home__region="HK", host__region="ML") | Q(home__region="ML", host__region="HK"))
        .count()
    )


@metrics.register(
    "talent.applications", label=_("Talent exchange applications"), unit="applications"
)
def applications(year=None, **_ignored):
    qs = Application.objects.all()
    if year:
        qs = qs.filter(created_at__year=year)
    return qs.count()
