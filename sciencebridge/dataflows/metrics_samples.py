"""Sample-export and dataset metrics for the cooperation committee's workplan items on GBA flows
(see core.metrics). Transfers count in the year they were shipped."""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics

from .models_datasets import DatasetState, ResearchDataset
from .models_samples import (
    COUNTED_TRANSFER_STATES,
    HgrApplicationState,
    HgrExportApplication,
    HgrTransfer,
    TransferReview,
)


def _transfers(year=None, kind=None):
    qs = HgrTransfer.objects.filter(state__in=COUNTED_TRANSFER_STATES)
    if year:
        qs = qs.filter(shipped_on__year=year)
    if kind:
        qs = qs.filter(sample_kind=kind)
    return qs


@metrics.register(
    "dataflows.hgr_whitelist_notifications",
    label=_("Sample transfers by white-list notification"),
    unit="transfers",
)
def whitelist_notifications(year=None, kind=None, **_ignored):
    return _transfers(year, kind).filter(review=TransferReview.NOTIFICATION).count()


@metrics.register(
    "dataflows.hgr_transfers", label=_("Sample transfers to Hong Kong"), unit="transfers"
)
def transfers(year=None, kind=None, **_ignored):
    return _transfers(year, kind).count()


@metrics.register(
    "dataflows.hgr_samples_transferred",
    label=_("Human genetic resource samples transferred to Hong Kong"),
    unit="samples",
)
def samples_transferred(year=None, kind=None, **_ignored):
    return _transfers(year, kind).aggregate(s=Sum("quantity"))["s"] or 0


@metrics.register(
    "dataflows.hgr_exports_approved",
    label=_("Sample export applications approved"),
    unit="applications",
)
def exports_approved(year=None, kind=None, **_ignored):
    qs = HgrExportApplication.objects.filter(
        state__in=[HgrApplicationState.APPROVED, HgrApplicationState.CLOSED]
    )
    if year:
        qs = qs.filter(approval_date__year=year)
    if kind:
        qs = qs.filter(sample_kind=kind)
    return qs.count()


@metrics.register(
    "dataflows.research_datasets", label=_("Research datasets shared"), unit="datasets"
)
def research_datasets(year=None, **_ignored):
    qs = ResearchDataset.objects.filter(Q(state=DatasetState.ACTIVE))
    if year:
        qs = qs.filter(created_at__year=year)
    return qs.count()
