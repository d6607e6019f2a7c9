"""REST API of funded projects (read-only), with the pages' object permissions:

- ``/api/v1/projects/``: projects the caller may see; each project lists only the sides (budget,
  tranches, payments) the caller may see: both for its leads, their own agency's side for officers.
- ``/api/v1/project-reports/``: reports of those sides (text, state, due dates; not the PDF).
- ``/api/v1/project-outcomes/``: outcomes of the projects the caller may see.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets

from sciencebridge.accounts.roles import Role
from sciencebridge.api.attached_rows import USER_NAMES, AttachedRowsMixin
from sciencebridge.api.pagination import KnownCountPagination
from sciencebridge.api.serializers import viewer
from sciencebridge.core.precompiled import RowsByIds
from sciencebridge.core.prefetched import attach_one, attach_rows, related_rows
from sciencebridge.funding.models import JointProposal, Side
from sciencebridge.institutions.models import Institution

from . import selectors
from .list_counts import visible_project_count
from .models import (
    OPEN_REPORT_STATES,
    IPStatus,
    Jurisdiction,
    Outcome,
    OutcomeKind,
    Payment,
    Project,
    ProjectSide,
    ProjectState,
    Report,
    ReportKind,
    ReportState,
    Tranche,
)
from .rules import sides_visible_to

CODE_PATTERN = r"^[A-Za-z0-9_./-]*$"


@extend_schema_field({"type": "string", "pattern": CODE_PATTERN})
class CodeFilter(filters.CharFilter):
    field_class = forms.RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", CODE_PATTERN)
        super().__init__(*args, **kwargs)


def _money(source, **kw):
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, source=f"{source}.amount", read_only=True, **kw
    )


class TrancheSerializer(serializers.ModelSerializer):
    amount = _money("amount")
    currency = serializers.CharField(source="amount_currency", read_only=True)
    gating_report = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Tranche
        fields = [
            "id",
            "number",
            "amount",
            "currency",
            "due_date",
            "state",
            "released_at",
            "gating_report",
        ]


class PaymentSerializer(serializers.ModelSerializer):
    amount = _money("amount")
    currency = serializers.CharField(source="amount_currency", read_only=True)
    tranche = serializers.IntegerField(source="tranche.number", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "tranche", "amount", "currency", "paid_on", "bank_reference"]


class SideSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    institution = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    lead = serializers.SerializerMethodField()
    approved_budget = _money("approved_budget")
    currency = serializers.CharField(source="approved_budget_currency", read_only=True)
    # the rows ProjectViewSet attached as lists (a related manager's .all() is a new queryset per call)
    tranches = TrancheSerializer(many=True, read_only=True, source="rows_tranches")
    payments = PaymentSerializer(many=True, read_only=True, source="rows_payments")

    class Meta:
        model = ProjectSide
        fields = [
            "side",
            "agency",
            "institution",
            "lead",
            "approved_budget",
            "currency",
            "tranches",
            "payments",
        ]

    @extend_schema_field({"type": "string"})
    def get_lead(self, obj):
        return str(obj.lead) if obj.lead_id else ""


class ProjectSerializer(serializers.ModelSerializer):
    proposal = serializers.CharField(source="proposal.reference", read_only=True)
    call = serializers.CharField(source="proposal.call.code", read_only=True)
    sides = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "reference",
            "title",
            "proposal",
            "call",
            "start_date",
            "end_date",
            "state",
            "sides",
        ]

    @cached_property
    def _sides(self) -> serializers.ListSerializer:
        """One serializer of sides for the whole page (this serializer is the list's one child):
        building a nested serializer's fields costs more than serializing a side."""
        return SideSerializer(many=True, context=self.context)

    @extend_schema_field(SideSerializer(many=True))
    def get_sides(self, obj):
        return self._sides.to_representation(shown_sides(viewer(self.context), obj))


class ProjectFilter(filters.FilterSet):
    reference = CodeFilter()
    call = CodeFilter(field_name="proposal__call__code")
    state = filters.ChoiceFilter(choices=ProjectState.choices)

    class Meta:
        model = Project
        fields = ["reference", "call", "state"]


# What ``ProjectViewSet.with_rows`` attaches to a page: the columns the JSON shows, compiled once
# per process (``core.precompiled``)
_PROPOSALS = RowsByIds(
    "pk", lambda: JointProposal.objects.select_related("call").only("reference", "call__code")
)
_SIDES = RowsByIds("project", selectors.sides_in_order)
_INSTITUTION_CODES = RowsByIds("pk", lambda: Institution.objects.only("code"))
_TRANCHES = RowsByIds(
    "project_side", lambda: Tranche.objects.defer("state_changed_at").order_by("number")
)
_PAYMENTS = RowsByIds(
    "project_side",
    lambda: Payment.objects.defer("recorded_at", "recorded_by", "idempotency_key").order_by(
        "paid_on", "id"
    ),
)


@extend_schema(
    description="Funded joint projects the caller may see, each with the sides the caller may see."
)
class ProjectViewSet(AttachedRowsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    pagination_class = KnownCountPagination
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        # the projects' own rows only: what their JSON shows is attached to the page (with_rows)
        return (
            selectors.visible_projects(self.request.user)
            .select_related(None)
            .prefetch_related(None)
            .defer("state_changed_at", "created_at", "created_by")
            .order_by("id")
        )

    def known_count(self) -> int | None:
        """The whole list's total, kept between requests (``list_counts``); None for a filtered
        list (any parameter but the page), which is counted."""
        if set(self.request.query_params) - {"page"}:
            return None
        return visible_project_count(self.request.user)

    def with_rows(self, projects: list) -> list:
        """What the projects' JSON shows, for the whole page at once, as plain lists
        (``core.prefetched``): one object per related row (the page's two agencies, not one per
        side), the columns shown, and tranches and payments only of the sides the caller sees
        (an officer sees one side of most projects)."""
        user = viewer(self.get_serializer_context())
        attach_one(projects, "proposal", queryset=_PROPOSALS)
        attach_rows(projects, _SIDES, "project")
        shown = [side for project in projects for side in shown_sides(user, project)]
        attach_one(shown, "agency", "institution", queryset=_INSTITUTION_CODES)
        attach_one(shown, "lead", queryset=USER_NAMES)
        attach_rows(shown, _TRANCHES, "project_side")
        attach_rows(shown, _PAYMENTS, "project_side")
        for side in shown:  # each payment's tranche (its number is shown) among the side's own
            tranches = {t.pk: t for t in side.rows_tranches}
            for payment in side.rows_payments:
                if payment.tranche_id in tranches:
                    Payment.tranche.field.set_cached_value(payment, tranches[payment.tranche_id])
        return projects


def shown_sides(user, project) -> list[ProjectSide]:
    """The project's sides (read by ``ProjectViewSet.with_rows``) that ``user`` may see."""
    sides = related_rows(project, "sides")
    visible = sides_visible_to(user, sides)
    return [s for s in sides if s.side in visible]


def visible_side_q(user, prefix="project_side__") -> Q:
    """Sides the user may see, as a filter on a side-owned model (same rule as rules.visible_sides)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR) or user.has_role(Role.SECRETARIAT):
        return Q()
    led = ProjectSide.objects.filter(lead=user).values("project_id")
    q = Q(**{f"{prefix}project_id__in": led})
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        q |= Q(**{f"{prefix}agency_id": user.agency_id})
    return q


class ReportSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project_side.project.reference", read_only=True)
    side = serializers.ChoiceField(source="project_side.side", choices=Side.choices, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "project",
            "side",
            "kind",
            "number",
            "period_end",
            "due_date",
            "state",
            "is_overdue",
            "summary",
            "milestones",
            "expenditure",
            "submitted_at",
            "reviewed_at",
            "review_comment",
        ]


class ReportFilter(filters.FilterSet):
    project = CodeFilter(field_name="project_side__project__reference")
    side = filters.ChoiceFilter(field_name="project_side__side", choices=Side.choices)
    kind = filters.ChoiceFilter(choices=ReportKind.choices)
    state = filters.ChoiceFilter(choices=ReportState.choices)
    overdue = filters.BooleanFilter(method="filter_overdue", label="Open and past the due date")

    class Meta:
        model = Report
        fields = ["project", "side", "kind", "state", "overdue"]

    def filter_overdue(self, queryset, name, value):
        cond = Q(state__in=OPEN_REPORT_STATES, due_date__lt=timezone.localdate())
        return queryset.filter(cond) if value else queryset.exclude(cond)


@extend_schema(description="Progress and final reports of the project sides the caller may see.")
class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return (
            Report.objects.filter(visible_side_q(self.request.user))
            .select_related("project_side__project")
            .order_by("due_date", "id")
        )


class OutcomeSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.reference", read_only=True)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="amount.amount", read_only=True, allow_null=True
    )
    amount_currency = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Outcome
        fields = [
            "id",
            "project",
            "side",
            "kind",
            "title",
            "description",
            "date",
            "url",
            "ip_status",
            "jurisdiction",
            "application_number",
            "owner",
            "doi",
            "count",
            "amount",
            "amount_currency",
        ]


class OutcomeFilter(filters.FilterSet):
    project = CodeFilter(field_name="project__reference")
    kind = filters.ChoiceFilter(choices=OutcomeKind.choices)
    ip_status = filters.ChoiceFilter(choices=IPStatus.choices)
    jurisdiction = filters.ChoiceFilter(choices=Jurisdiction.choices)

    class Meta:
        model = Outcome
        fields = ["project", "kind", "ip_status", "jurisdiction"]


@extend_schema(
    description="Outcomes (publications, patents and other IP, spin-offs…) of projects the caller may see."
)
class OutcomeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter

    def get_queryset(self):
        ids = selectors.visible_projects(self.request.user).values("id")
        return (
            Outcome.objects.filter(project_id__in=ids)
            .select_related("project")
            .order_by("-date", "id")
        )


def register(router):
    router.register("projects", ProjectViewSet, basename="project")
    router.register("project-reports", ReportViewSet, basename="project-report")
    router.register("project-outcomes", OutcomeViewSet, basename="project-outcome")
