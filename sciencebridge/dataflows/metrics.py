"""Data-flow metrics for the cooperation dashboard and workplan items (see core.metrics).

Agreements count once signed by both parties (in the year they were signed); filings count once
recorded. The on-time rate is the percentage of recorded filings made on or before their due date.
"""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sciencebridge.core import metrics

from .models import AgreementState, DataTransferAgreement, Filing

# Units of the metrics below, for the dashboard's translated unit labels (makemessages extracts them).
UNITS = [gettext_noop("filings"), gettext_noop("days")]


def _signed(year=None, city=None, project=None):
    qs = DataTransferAgreement.objects.filter(state=AgreementState.SIGNED)
    if year:
        qs = qs.filter(signed_at__year=year)
    if city:
        qs = qs.filter(Q(processor_location__code=city) | Q(recipient_location__code=city))
    if project:
        qs = qs.filter(project__reference=project)
    return qs


def _filed(year=None):
    qs = Filing.objects.filter(filed_on__isnull=False)
    if year:
        qs = qs.filter(filed_on__year=year)
    return qs


@metrics.register(
    "dataflows.agreements_signed",
    label=_("GBA data-transfer agreements signed"),
    unit="agreements",
)
def agreements_signed(year=None, city=None, project=None, **_ignored):
    return _signed(year, city, project).count()


@metrics.register(
    "dataflows.filings_recorded", label=_("GBA data-transfer filings recorded"), unit="filings"
)
def filings_recorded(year=None, **_ignored):
    return _filed(year).count()


@metrics.register(
    "dataflows.on_time_filing_rate",
    label=_("GBA data-transfer filings made on time"),
    unit="%",
)
def on_time_filing_rate(year=None, **_ignored):
    agg = _filed(year).aggregate(
        n=Count("id"), on_time=Count("id", filter=Q(filed_on__lte=F("due_date")))
    )
    return round(100 * agg["on_time"] / agg["n"], 1) if agg["n"] else 0


@metrics.register(
    "dataflows.mean_days_to_file",
    label=_("Days from a contract taking effect to its filing (mean)"),
    unit="days",
)
def mean_days_to_file(year=None, **_ignored):
    rows = list(_filed(year).values_list("filed_on", "agreement__effective_date"))
    if not rows:
        return 0
    return round(sum((f - e).days for f, e in rows) / len(rows), 1)


def summary(qs=None) -> dict:
    """Oversight figures over a queryset of agreements (the secretariat's filters): two queries."""
    qs = DataTransferAgreement.objects.all() if qs is None else qs
    by_state = dict(qs.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    filings = list(
        Filing.objects.filter(agreement__in=qs.values("pk")).values_list(
            "filed_on", "due_date", "agreement__effective_date"
        )
    )
    filed = [(f, d, e) for f, d, e in filings if f is not None]
    on_time = sum(1 for f, d, _e in filed if f <= d)
    return {
        "agreements": sum(by_state.values()),
        "signed": by_state.get(AgreementState.SIGNED, 0),
        "awaiting": by_state.get(AgreementState.SUBMITTED, 0),
        "filings_due": len(filings),
        "filings_filed": len(filed),
        "on_time_rate": round(100 * on_time / len(filed), 1) if filed else None,
        "mean_days_to_file": round(sum((f - e).days for f, _d, e in filed) / len(filed), 1)
        if filed
        else None,
    }


def by_project_and_city(qs) -> list[dict]:
    """[{project, city, n}] over signed and pending agreements: one query."""
    rows = (
        qs.values("project__reference", "processor_location__code", "recipient_location__code")
        .annotate(n=Count("id"))
        .order_by("project__reference")
    )
    return list(rows)


from . import metrics_samples  # noqa: E402,F401  (sample exports and datasets)
