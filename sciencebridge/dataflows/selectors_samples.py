"""Restricted querysets for sample exports, transfers and datasets (the same people as ``rules_samples``).

Each is one query however many rows: the visibility is a filter, not a per-row check."""

from django.db.models import Count, Q, QuerySet, Sum

from sciencebridge.accounts.roles import Role
from sciencebridge.projects.models import ProjectSide

from .models_datasets import ResearchDataset
from .models_samples import (
    COUNTED_TRANSFER_STATES,
    HgrExportApplication,
    HgrTransfer,
    TransferReview,
)
from .rules import reads_all


def _project_ids(user):
    """Projects the user leads or whose side an officer's agency funds."""
    q = Q(lead=user)
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        q |= Q(agency_id=user.agency_id)
    return ProjectSide.objects.filter(q).values("project_id")


def _export_filter(user, prefix="") -> Q | None:
    if not user.is_authenticated:
        return Q(pk__in=[])
    if reads_all(user):
        return None
    q = Q(**{f"{prefix}applicant": user}) | Q(**{f"{prefix}project_id__in": _project_ids(user)})
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        q |= Q(**{f"{prefix}pilot_unit__institution_id": user.institution_id}) | Q(
            **{f"{prefix}recipient_id": user.institution_id}
        )
    return q


def exports_base(user) -> QuerySet:
    """The applications the user may see, without annotations (for counting and grouping)."""
    f = _export_filter(user)
    qs = HgrExportApplication.objects.all()
    return qs if f is None else qs.filter(f)


def visible_exports(user) -> QuerySet:
    return (
        exports_base(user)
        .select_related("pilot_unit__institution", "recipient", "applicant", "project")
        .annotate(
            used=Sum("transfers__quantity", filter=Q(transfers__state__in=COUNTED_TRANSFER_STATES)),
            n_transfers=Count("transfers"),
        )
    )


def visible_transfers(user) -> QuerySet:
    qs = HgrTransfer.objects.select_related("application", "sender", "recipient")
    f = _export_filter(user, "application__")
    return qs if f is None else qs.filter(f)


def visible_datasets(user) -> QuerySet:
    qs = ResearchDataset.objects.select_related("project", "holder", "registered_by")
    if not user.is_authenticated:
        return qs.none()
    if reads_all(user):
        return qs
    q = Q(registered_by=user) | Q(project_id__in=_project_ids(user))
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        q |= Q(holder_id=user.institution_id) | Q(
            project_id__in=ProjectSide.objects.filter(institution_id=user.institution_id).values(
                "project_id"
            )
        )
    return qs.filter(q)


def export_metrics(exports: QuerySet, transfers: QuerySet) -> dict:
    """Figures for the oversight page over the given (already restricted and filtered) querysets;
    ``exports`` without annotations (``exports_base``)."""
    by_kind = list(
        exports.order_by()
        .values("sample_kind")
        .annotate(n=Count("id", distinct=True))
        .order_by("sample_kind")
    )
    t = transfers.order_by().aggregate(
        n=Count("id"),
        notifications=Count("id", filter=Q(review=TransferReview.NOTIFICATION)),
        full=Count("id", filter=Q(review=TransferReview.FULL)),
        quantity=Sum("quantity", filter=Q(state__in=COUNTED_TRANSFER_STATES)),
    )
    return {"by_kind": by_kind, "transfers": t}
