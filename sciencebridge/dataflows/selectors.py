"""Read-side queries for data-transfer agreements: restricted querysets, no N+1 in lists."""

from django.db.models import Q

from sciencebridge.accounts.roles import Role

from .models import DataTransferAgreement, Filing
from .rules import reads_all

LIST_RELATED = (
    "project",
    "processor_institution",
    "processor_location",
    "recipient_institution",
    "recipient_location",
)


def visible_agreements(user):
    """Agreements this user may see: their parties (signatories, creator, their institutions' research
    offices), the project's leads and funding officers, and the secretariat (all)."""
    qs = DataTransferAgreement.objects.select_related(*LIST_RELATED).prefetch_related(
        "filings", "project__sides"
    )
    if not user.is_authenticated:
        return qs.none()
    if reads_all(user):
        return qs
    cond = (
        Q(created_by=user)
        | Q(processor_contact=user)
        | Q(recipient_contact=user)
        | Q(project__sides__lead=user)
    )
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        cond |= Q(processor_institution_id=user.institution_id) | Q(
            recipient_institution_id=user.institution_id
        )
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        cond |= Q(project__sides__agency_id=user.agency_id)
    ids = DataTransferAgreement.objects.filter(cond).values("pk")
    return qs.filter(pk__in=ids)


def filter_agreements(qs, *, state=None, city=None, project=None, overdue=None, q=None):
    if state:
        qs = qs.filter(state=state)
    if city:
        qs = qs.filter(Q(processor_location__code=city) | Q(recipient_location__code=city))
    if project:
        qs = qs.filter(project__reference=project)
    if overdue:
        from django.utils import timezone

        qs = qs.filter(
            filings__filed_on__isnull=True, filings__due_date__lt=timezone.localdate()
        ).distinct()
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(title__icontains=q))
    return qs


def overdue_filings():
    from django.utils import timezone

    return (
        Filing.objects.filter(filed_on__isnull=True, due_date__lt=timezone.localdate())
        .select_related("agreement__processor_institution", "agreement__recipient_institution")
        .order_by("due_date")
    )
