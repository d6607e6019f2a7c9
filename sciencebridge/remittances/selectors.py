"""Read-side queries for remittances, always restricted to what the user may see (mirrors rules.py)."""

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from sciencebridge.accounts.roles import Role
from sciencebridge.projects.models import Tranche, TrancheState

from .models import Remittance, RemittanceState
from .rules import reads_all

REMITTED_STATES = (RemittanceState.REMITTED, RemittanceState.RECEIVED, RemittanceState.REPORTED)


def _related(qs: QuerySet) -> QuerySet:
    return qs.select_related(
        "agency", "recipient", "tranche__project_side__project", "tranche__project_side__lead"
    )


def visible_q(user) -> Q | None:
    """The remittances the user may see as a filter (None: none at all)."""
    if not user.is_authenticated:
        return None
    if reads_all(user):
        return Q()
    q = None
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        q = Q(agency_id=user.agency_id)
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        office = Q(recipient_id=user.institution_id)
        q = office if q is None else q | office
    return q


def visible_remittances(user) -> QuerySet:
    q = visible_q(user)
    if q is None:
        return Remittance.objects.none()
    return _related(Remittance.objects.filter(q))


def to_reconcile(user) -> QuerySet:
    """Received remittances flagged for a difference and not yet reconciled (the officers' list)."""
    return visible_remittances(user).filter(needs_reconciliation=True, reconciled_at__isnull=True)


def instructable_tranches(user) -> QuerySet:
    """Due (released or paid) RMB tranches of the officer's agency with money used in Hong Kong and no
    remittance yet. The service's ``instruct_blocker`` states the same rule for one tranche."""
    if not (user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return Tranche.objects.none()
    hk_projects = Q(project_side__institution__region="HK") | Q(
        project_side__project__sides__side="HK",
        project_side__project__sides__institution__region="HK",
    )
    ids = (
        Tranche.objects.filter(
            hk_projects,
            project_side__agency_id=user.agency_id,
            amount_currency="CNY",
            state__in=[TrancheState.RELEASED, TrancheState.PAID],
            remittance__isnull=True,
        )
        .values("pk")
        .distinct()
    )
    return (
        Tranche.objects.filter(pk__in=ids)
        .select_related("project_side__project", "project_side__institution")
        .order_by("due_date", "pk")
    )


def public_totals() -> dict:
    """What the public sees: aggregates only (no project, institution or bank reference)."""
    agg = Remittance.objects.filter(state__in=REMITTED_STATES).aggregate(
        rmb=Sum("remitted_amount"),
    )
    received = Remittance.objects.filter(
        state__in=(RemittanceState.RECEIVED, RemittanceState.REPORTED)
    ).aggregate(hkd=Sum("received_amount"))
    return {
        "remitted_rmb": agg["rmb"] or Decimal(0),
        "received_hkd": received["hkd"] or Decimal(0),
    }


def remitted_by_year() -> dict[int, Decimal]:
    rows = (
        Remittance.objects.filter(state__in=REMITTED_STATES)
        .annotate(y=ExtractYear("remitted_on"))
        .values("y")
        .annotate(total=Sum("remitted_amount"))
        .order_by("y")
    )
    return {r["y"]: r["total"] or Decimal(0) for r in rows}
