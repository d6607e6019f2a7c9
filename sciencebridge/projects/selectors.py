"""Read-side queries for projects, always restricted to what the user may see."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sciencebridge.accounts.roles import Role

from .models import (
    Payment,
    Project,
    ProjectSide,
    ProjectState,
    Report,
    ReportState,
    Tranche,
    TrancheState,
)


def _sides_prefetch():
    return Prefetch("sides", queryset=ProjectSide.objects.select_related("agency", "institution", "lead"))


def visible_projects(user) -> QuerySet:
    if not user.is_authenticated:
        return Project.objects.none()
    qs = Project.objects.prefetch_related(_sides_prefetch())
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return qs
    q = Q(sides__lead=user)
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        q |= Q(sides__agency_id=user.agency_id)
    return qs.filter(pk__in=Project.objects.filter(q).values("pk"))


def _officer_sides(user) -> Q:
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return Q()
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        return Q(project_side__agency_id=user.agency_id)
    return Q(project_side__lead=user)


def overdue_reports(user, today=None) -> QuerySet:
    today = today or timezone.localdate()
    return (
        Report.objects.filter(_officer_sides(user), state__in=[ReportState.PENDING, ReportState.RETURNED],
                              due_date__lt=today, project_side__project__state=ProjectState.ACTIVE)
        .select_related("project_side__project", "project_side__lead", "project_side__institution")
        .order_by("due_date", "pk")
    )


def awaiting_review(user) -> QuerySet:
    return (
        Report.objects.filter(_officer_sides(user), state=ReportState.SUBMITTED)
        .select_related("project_side__project", "project_side__lead", "project_side__institution")
        .order_by("submitted_at")
    )


def with_paid(qs: QuerySet) -> QuerySet:
    """Annotate tranches with the amount paid so far (one subquery, no per-row queries)."""
    paid = (Payment.objects.filter(tranche=OuterRef("pk")).order_by().values("tranche")
            .annotate(s=Sum("amount")).values("s"))
    return qs.annotate(paid=Coalesce(Subquery(paid, output_field=DecimalField(max_digits=14, decimal_places=2)),
                                     Value(Decimal(0)), output_field=DecimalField(max_digits=14, decimal_places=2)))


def overdue_payments(user, today=None) -> QuerySet:
    """Released tranches not paid in full by their payment date."""
    today = today or timezone.localdate()
    qs = Tranche.objects.filter(_officer_sides(user), state=TrancheState.RELEASED, due_date__lt=today,
                                project_side__project__state=ProjectState.ACTIVE)
    return with_paid(qs).select_related(
        "project_side__project", "project_side__institution", "gating_report").order_by("due_date", "pk")


def ready_to_release(user) -> QuerySet:
    """Scheduled tranches whose gating report has been accepted."""
    return (
        Tranche.objects.filter(_officer_sides(user), state=TrancheState.SCHEDULED,
                               gating_report__state=ReportState.ACCEPTED)
        .select_related("project_side__project", "project_side__institution", "gating_report")
        .order_by("due_date")
    )
