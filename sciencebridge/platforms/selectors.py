"""Read-side queries for platforms and facilities (no N+1 in lists)."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum

from sciencebridge.core.aggregates import per_row
from sciencebridge.core.scripts import icontains_any

from .models import (
    Allocation,
    AllocationMember,
    AllocationState,
    BookingState,
    Facility,
    Platform,
    PlatformStatus,
    UsageRecord,
)
from .reference import PUBLIC_TOTALS


def platforms(kind=None, status=None, cluster=None, host=None, q=None):
    qs = Platform.objects.prefetch_related("hosts", "partners").annotate(
        n_facilities=Count("facilities")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if cluster:
        qs = qs.filter(cluster=cluster)
    if host:
        qs = qs.filter(hosts=host)
    if q:
        qs = qs.filter(
            icontains_any(
                [
                    "name_en",
                    "name_zh_hant",
                    "name_zh_hans",
                    "short_name",
                    "areas_en",
                    "areas_zh_hant",
                    "areas_zh_hans",
                    "code",
                ],
                q,
            )
        )
    return qs


def counts_by_kind():
    """Per kind: platforms listed, how many active, and the total the public record reports."""
    rows = (
        Platform.objects.values("kind")
        .annotate(n=Count("id"), active=Count("id", filter=Q(status=PlatformStatus.ACTIVE)))
        .order_by("kind")
    )
    return [{**r, "reported": PUBLIC_TOTALS.get(r["kind"])} for r in rows]


def facilities(kind=None, region=None):
    qs = Facility.objects.select_related("platform").filter(active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region=region)
    return qs


def allocations_with_usage(qs=None):
    qs = qs if qs is not None else Allocation.objects.all()
    money = DecimalField(max_digits=12, decimal_places=2)
    used = per_row(
        UsageRecord.objects.all(),
        "allocation",
        Sum("hours"),
        output_field=money,
        default=Decimal(0),
    )
    return qs.select_related(
        "facility__platform", "team_institution", "requested_by", "proposal"
    ).annotate(
        used=used,
        n_bookings=Count(
            "bookings", filter=Q(bookings__state=BookingState.CONFIRMED), distinct=True
        ),
    )


def my_allocations(user, facility=None):
    """``visible_allocations`` with each one's usage (hours used, confirmed bookings)."""
    return allocations_with_usage(visible_allocations(user, facility))


def visible_allocations(user, facility=None):
    """Allocations the user may see (rules.platforms.view_allocation, as a queryset): those naming them,
    their facilities' (managers), their verified institution's (research office), all (secretariat)."""
    if not user.is_authenticated:
        return Allocation.objects.none()
    q = Q(requested_by=user) | Q(
        Exists(AllocationMember.objects.filter(allocation=OuterRef("pk"), user=user))
    )
    if user.has_role("research_office") and user.institution_id:
        q |= Q(team_institution_id=user.institution_id)
    if user.has_role("secretariat") or user.has_role("administrator"):
        q = Q()
    else:
        q |= Q(facility__in=Facility.objects.filter(managers=user).values("pk"))
    qs = Allocation.objects.filter(q)
    if facility is not None:
        qs = qs.filter(facility=facility)
    return qs


def pending_for(facility):
    return allocations_with_usage(facility.allocations.filter(state=AllocationState.REQUESTED))


def cross_boundary_allocations(direction=None):
    qs = Allocation.objects.filter(
        cross_boundary=True, state__in=[AllocationState.APPROVED, AllocationState.CLOSED]
    )
    if direction in ("HK-ML", "ML-HK"):
        team, fac = direction.split("-")
        qs = qs.filter(team_institution__region=team, facility__region=fac)
    return allocations_with_usage(qs)


def cross_boundary_totals():
    """Hours used across the boundary, per direction (team's region → facility's region)."""
    rows = (
        UsageRecord.objects.filter(allocation__cross_boundary=True)
        .values("allocation__team_institution__region", "allocation__facility__region")
        .annotate(hours=Sum("hours"))
    )
    out = {"HK_ML": 0, "ML_HK": 0}
    for r in rows:
        out[f"{r['allocation__team_institution__region']}_{r['allocation__facility__region']}"] = r[
            "hours"
        ]
    return out
