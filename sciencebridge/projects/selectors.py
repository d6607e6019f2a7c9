"""Read-side queries for projects, always restricted to what the user may see."""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from sciencebridge.accounts.models import User
from sciencebridge.accounts.roles import Role
from sciencebridge.core.aggregates import per_row
from sciencebridge.core.precompiled import RowsByIds
from sciencebridge.core.prefetched import attach_one

from .models import (
    OPEN_REPORT_STATES,
    ChangeRequest,
    ChangeState,
    Payment,
    Project,
    ProjectSide,
    ProjectState,
    Report,
    ReportState,
    Tranche,
    TrancheState,
)
from .rules import reads_all_projects

MONEY = DecimalField(max_digits=14, decimal_places=2)
# A completed project still has its retention paid after the final reports are accepted.
PAYABLE_PROJECT_STATES = (ProjectState.ACTIVE, ProjectState.COMPLETED)


def sides_in_order(*related) -> QuerySet:
    """Project sides for a prefetch, each project's in side order. Ordered by the column: the
    model's ordering (``project``) would sort by the project's own ordering, a join with every
    project. ``related``: the foreign keys to join (none when none is named: Django's
    ``select_related()`` with no name joins them all)."""
    sides = ProjectSide.objects.order_by("project_id", "side")
    return sides.select_related(*related) if related else sides


def _sides_prefetch():
    return Prefetch("sides", queryset=sides_in_order("agency", "institution", "lead"))


def project_list_rows(user) -> QuerySet:
    """The visible projects as the project list shows them: no proposal or call, and their sides
    (``with_side_names`` then reads the page's institutions and leads)."""
    return (
        visible_projects(user)
        .select_related(None)
        .prefetch_related(None)
        .prefetch_related(Prefetch("sides", queryset=sides_in_order()))
    )


def with_side_names(projects: list) -> list:
    """The page's sides' institutions and leads, by their ids, the leads' names only: joined, the
    planner hashed the whole user table for a page's 100 leads (4,034 rows read on the scale
    data); one object per institution and lead."""
    sides = [side for project in projects for side in project.sides.all()]
    attach_one(sides, "institution")
    attach_one(sides, "lead", queryset=User.objects.only("username", "first_name", "last_name"))
    return projects


def visible_projects(user) -> QuerySet:
    if not user.is_authenticated:
        return Project.objects.none()
    qs = Project.objects.select_related("proposal__call").prefetch_related(_sides_prefetch())
    if reads_all_projects(user):
        return qs
    q = Q(lead=user)
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        q |= Q(agency_id=user.agency_id)
    return qs.filter(pk__in=ProjectSide.objects.filter(q).values("project_id"))


def led_projects(user) -> QuerySet:
    if not user.is_authenticated:
        return Project.objects.none()
    return (
        Project.objects.filter(pk__in=ProjectSide.objects.filter(lead=user).values("project_id"))
        .select_related("proposal__call")
        .prefetch_related(_sides_prefetch())
    )


def officer_scope(user) -> tuple:
    """Which sides the officer's worklists cover: ``("all",)`` for administrators,
    ``("agency", id)`` for an agency's officers, ``("lead", user id)`` otherwise. Users with the
    same scope see the same worklists (``projects.dashboard`` keeps them per scope)."""
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return ("all",)
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        return ("agency", user.agency_id)
    return ("lead", user.pk)


def _officer_sides(user, prefix="project_side__") -> Q:
    """Sides the user manages as officer (all for administrators), or leads otherwise."""
    kind, *value = officer_scope(user)
    if kind == "all":
        return Q()
    if kind == "agency":
        return Q(**{f"{prefix}agency_id": value[0]})
    return Q(**{f"{prefix}lead_id": value[0]})


# What the worklists' rows show (``_overdue_reports.html``, ``_overdue_payments.html``): the
# project's reference and title and the side; not the report's texts, the side's lead or
# institution, or the gating report (issue 16: half of the officer's desk went into building them).
_REPORT_TEXTS = ("summary", "milestones", "expenditure", "review_comment")


def _report_related(qs):
    return qs.select_related("project_side__project").defer(*_REPORT_TEXTS)


def overdue_reports(user, today=None) -> QuerySet:
    today = today or timezone.localdate()
    return _report_related(
        Report.objects.filter(
            _officer_sides(user),
            state__in=OPEN_REPORT_STATES,
            due_date__lt=today,
            project_side__project__state=ProjectState.ACTIVE,
        )
    ).order_by("due_date", "pk")


def due_reports(user, today=None, within_days=60) -> QuerySet:
    """Open reports of the user's own sides due within ``within_days`` or already overdue (for leads)."""
    today = today or timezone.localdate()
    return _report_related(
        Report.objects.filter(
            project_side__lead=user,
            state__in=OPEN_REPORT_STATES,
            due_date__lte=today + dt.timedelta(days=within_days),
            project_side__project__state=ProjectState.ACTIVE,
        )
    ).order_by("due_date", "pk")


def awaiting_review(user) -> QuerySet:
    return _report_related(
        Report.objects.filter(_officer_sides(user), state=ReportState.SUBMITTED)
    ).order_by("submitted_at", "pk")


def pending_changes(user) -> QuerySet:
    return (
        ChangeRequest.objects.filter(_officer_sides(user), state=ChangeState.SUBMITTED)
        .select_related("project_side__project", "requested_by")
        .order_by("requested_at", "pk")
    )


def with_paid(qs: QuerySet) -> QuerySet:
    """Annotate tranches with the amount paid so far (one subquery, no per-row queries)."""
    qs = qs.annotate(
        paid=per_row(
            Payment.objects.all(), "tranche", Sum("amount"), output_field=MONEY, default=Decimal(0)
        )
    )
    return qs.annotate(outstanding=ExpressionWrapper(F("amount") - F("paid"), output_field=MONEY))


def _tranche_related(qs):
    return with_paid(qs).select_related("project_side__project")


def overdue_payments(user, today=None) -> QuerySet:
    """Released tranches not paid in full by their payment date."""
    today = today or timezone.localdate()
    return _tranche_related(
        Tranche.objects.filter(
            _officer_sides(user),
            state=TrancheState.RELEASED,
            due_date__lt=today,
            project_side__project__state__in=PAYABLE_PROJECT_STATES,
        )
    ).order_by("due_date", "pk")


def payable_tranches(user) -> QuerySet:
    """Released tranches awaiting payment on the sides this officer manages."""
    return _tranche_related(
        Tranche.objects.filter(
            _officer_sides(user),
            state=TrancheState.RELEASED,
            project_side__project__state__in=PAYABLE_PROJECT_STATES,
        )
    ).order_by("due_date", "pk")


# What ``side_rows`` reads of the visible sides, compiled once per process (``core.precompiled``):
# compiling these joins took longer than running them
_SIDE_TRANCHES = RowsByIds(
    "project_side",
    lambda: (
        with_paid(Tranche.objects.all())
        .select_related("gating_report")
        .order_by("project_side_id", "number")
    ),
)
_SIDE_PAYMENTS = RowsByIds(
    "project_side",
    lambda: Payment.objects.select_related("tranche", "recorded_by").order_by("paid_on", "id"),
)
_SIDE_REPORTS = RowsByIds("project_side", lambda: Report.objects.order_by("due_date", "number"))
_SIDE_CHANGES = RowsByIds(
    "project_side",
    lambda: ChangeRequest.objects.select_related(
        "requested_by", "from_tranche", "to_tranche", "new_lead"
    ),
)


def side_rows(project: Project, sides: set[str]) -> list[dict]:
    """Everything the project page shows per visible side, in a fixed number of queries."""
    side_objs = [s for s in project.sides.all() if s.side in sides]
    ids = [s.pk for s in side_objs]
    tranches = _SIDE_TRANCHES.all(ids)
    payments = _SIDE_PAYMENTS.all(ids)
    reports = _SIDE_REPORTS.all(ids)
    changes = _SIDE_CHANGES.all(ids)
    out = []
    for s in side_objs:
        paid = sum((p.amount.amount for p in payments if p.project_side_id == s.pk), Decimal(0))
        out.append(
            {
                "side": s,
                "paid": paid,
                "remaining": s.approved_budget.amount - paid,
                "tranches": [t for t in tranches if t.project_side_id == s.pk],
                "payments": [p for p in payments if p.project_side_id == s.pk],
                "reports": [r for r in reports if r.project_side_id == s.pk],
                "changes": [c for c in changes if c.project_side_id == s.pk],
            }
        )
    return out
