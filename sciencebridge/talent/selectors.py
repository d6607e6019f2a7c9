"""Read-side queries for the talent exchange (no N+1 in lists)."""

from django.db.models import Count, Q

from sciencebridge.core.scripts import icontains_any

from .models import Application, Exchange, ExchangeState, Posting, PostingState, Programme


def programmes():
    return (
        Programme.objects.select_related("organiser")
        .prefetch_related("calls")
        .annotate(
            n_completed=Count("exchanges", filter=Q(exchanges__state=ExchangeState.COMPLETED))
        )
    )


def open_postings(kind=None, region=None, q=None):
    qs = Posting.objects.filter(state=PostingState.OPEN).select_related("call__programme", "host")
    if kind:
        qs = qs.filter(call__programme__kind=kind)
    if region:
        qs = qs.filter(host__region=region)
    if q:
        qs = qs.filter(icontains_any(["title", "description", "keywords"], q))
    return qs


def my_applications(user):
    return Application.objects.filter(applicant=user).select_related(
        "posting__host", "posting__call__programme"
    )


def managed_postings(user):
    if not user.is_authenticated:
        return Posting.objects.none()
    qs = Posting.objects.select_related("call__programme", "host").annotate(
        n_applications=Count("applications")
    )
    if user.has_role("secretariat") or user.has_role("administrator"):
        return qs
    if user.has_role("research_office") and user.institution_id:
        return qs.filter(host_id=user.institution_id)
    return qs.none()


def exchanges(direction=None, year=None):
    qs = Exchange.objects.select_related("programme", "home", "host").filter(
        state__in=[ExchangeState.COMPLETED, ExchangeState.IN_PROGRESS]
    )
    if direction in ("HK-ML", "ML-HK"):
        home, host = direction.split("-")
        qs = qs.filter(home__region=home, host__region=host)
    if year:
        qs = qs.filter(ends_on__year=year)
    return qs


def completed_per_direction_year():
    """[{year, HK_ML, ML_HK, other}] for completed exchanges, by the year they ended."""
    rows = (
        Exchange.objects.filter(state=ExchangeState.COMPLETED)
        .values("ends_on__year", "home__region", "host__region")
        .annotate(n=Count("id"))
    )
    table: dict[int, dict] = {}
    for r in rows:
        y = table.setdefault(
            r["ends_on__year"], {"year": r["ends_on__year"], "HK_ML": 0, "ML_HK": 0, "other": 0}
        )
        key = f"{r['home__region']}_{r['host__region']}"
        y[key if key in ("HK_ML", "ML_HK") else "other"] += r["n"]
    return [table[y] for y in sorted(table, reverse=True)]
