"""Platform metrics for the cooperation dashboard and workplan items (see core.metrics).

Filters every metric understands: ``call_ids`` (usage of allocations linked to proposals in those
calls), ``year``; the usage metrics also take ``direction`` ("HK-ML": Hong Kong teams on Mainland
facilities, "ML-HK": the reverse) and ``facility_kind`` ("computing" or "instrument").
"""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics

from .models import Booking, BookingState, Platform, PlatformStatus, UsageRecord


def _usage(call_ids=None, year=None, direction=None, facility_kind=None, cross_boundary_only=False):
    qs = UsageRecord.objects.all()
    if cross_boundary_only:
        qs = qs.filter(allocation__cross_boundary=True)
    if call_ids:
        qs = qs.filter(allocation__proposal__call_id__in=call_ids)
    if year:
        qs = qs.filter(used_on__year=year)
    if direction in ("HK-ML", "ML-HK"):
        team, fac = direction.split("-")
        qs = qs.filter(allocation__team_institution__region=team, allocation__facility__region=fac)
    if facility_kind:
        qs = qs.filter(allocation__facility__kind=facility_kind)
    return qs


def _hours_per_year(cross_boundary_only: bool):
    def per_year(years, call_ids=None, direction=None, facility_kind=None, **_ignored):
        qs = _usage(call_ids, None, direction, facility_kind, cross_boundary_only)
        return metrics.by_year(qs, "used_on", years, Sum("hours"))

    return per_year


@metrics.register(
    "platforms.facility_hours_used",
    label=_("Shared facility hours used"),
    unit="hours",
    per_year=_hours_per_year(False),
)
def facility_hours_used(call_ids=None, year=None, direction=None, facility_kind=None, **_ignored):
    return _usage(call_ids, year, direction, facility_kind).aggregate(s=Sum("hours"))["s"] or 0


@metrics.register(
    "platforms.cross_boundary_hours",
    label=_("Cross-boundary facility hours used"),
    unit="hours",
    per_year=_hours_per_year(True),
)
def cross_boundary_hours(call_ids=None, year=None, direction=None, facility_kind=None, **_ignored):
    qs = _usage(call_ids, year, direction, facility_kind, cross_boundary_only=True)
    return qs.aggregate(s=Sum("hours"))["s"] or 0


@metrics.register(
    "platforms.cross_boundary_bookings",
    label=_("Cross-boundary facility bookings"),
    unit="bookings",
)
def cross_boundary_bookings(call_ids=None, year=None, **_ignored):
    qs = Booking.objects.filter(allocation__cross_boundary=True, state=BookingState.CONFIRMED)
    if call_ids:
        qs = qs.filter(allocation__proposal__call_id__in=call_ids)
    if year:
        qs = qs.filter(starts_at__year=year)
    return qs.count()


@metrics.register(
    "platforms.platforms_active",
    label=_("Active joint laboratories and platforms"),
    unit="platforms",
)
def platforms_active(kind=None, **_ignored):
    qs = Platform.objects.filter(status=PlatformStatus.ACTIVE)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.count()
