"""Lab-funding metrics for the cooperation dashboard and workplan items (see core.metrics)."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics


@metrics.register(
    "labfunding.grants_released_hkd", label=_("Laboratory grants released (HKD)"), unit="HKD"
)
def grants_released_hkd(year=None, kind=None, **_ignored):
    from .models import GrantState, LabGrant

    qs = LabGrant.objects.filter(state=GrantState.RELEASED)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(programme__platform_kind=kind)
    return qs.aggregate(s=Sum("amount"))["s"] or 0


@metrics.register("labfunding.labs_funded", label=_("Laboratories funded"), unit="laboratories")
def labs_funded(year=None, kind=None, **_ignored):
    from .models import GrantState, LabGrant

    qs = LabGrant.objects.filter(state=GrantState.RELEASED)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(programme__platform_kind=kind)
    return qs.values("platform").distinct().count()
