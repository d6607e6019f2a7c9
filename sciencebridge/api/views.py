from django import forms
from django.db.models import prefetch_related_objects
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import viewsets

from sciencebridge.accounts.request_user import unwrapped_user
from sciencebridge.core.first_rows import narrow_ids
from sciencebridge.core.precompiled import RowsByIds
from sciencebridge.core.prefetched import (
    attach_one,
    attach_rows,
    related_rows,
    rows_prefetch,
)
from sciencebridge.core.request_cache import once_per_request
from sciencebridge.exclusions.models import ExpertExclusion
from sciencebridge.funding import half_rows, officer_list
from sciencebridge.funding.models import (
    Call,
    HalfState,
    JointProposal,
    PartnerVisibility,
    ProposalHalf,
    Scheme,
)
from sciencebridge.funding.reference_rows import reference_rows
from sciencebridge.funding.selectors import visible_proposals
from sciencebridge.institutions.models import Institution

from . import serializers as s
from .attached_rows import USER_NAMES, AttachedRowsMixin
from .pagination import CountedPagePagination

CODE_PATTERN = r"^[A-Za-z0-9_./-]*$"


@extend_schema_field({"type": "string", "pattern": CODE_PATTERN})
class CodeFilter(filters.CharFilter):
    """A code, slug or reference: letters, digits and _ . / - only (anything else is a 400)."""

    field_class = forms.RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", CODE_PATTERN)
        super().__init__(*args, **kwargs)


TEXT_PATTERN = r"^[^\x00]*$"


@extend_schema_field({"type": "string", "maxLength": 200, "pattern": TEXT_PATTERN})
class SearchTextFilter(filters.CharFilter):
    """Free text for searching: up to 200 characters, anything but NUL (which no database column holds)."""

    field_class = forms.RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", TEXT_PATTERN)
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


class InstitutionFilter(filters.FilterSet):
    code = CodeFilter()

    class Meta:
        model = Institution
        fields = ["region", "type", "category", "code"]


class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Institution.objects.order_by("id")
    serializer_class = s.InstitutionSerializer
    filterset_class = InstitutionFilter


class SchemeFilter(filters.FilterSet):
    code = CodeFilter()
    exercise_group = CodeFilter()

    class Meta:
        model = Scheme
        fields = ["code", "exercise_group"]


class SchemeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Scheme.objects.prefetch_related(
        "sides__agency", "criteria", "project_types", "areas"
    ).order_by("id")
    serializer_class = s.SchemeSerializer
    filterset_class = SchemeFilter


class CallFilter(filters.FilterSet):
    scheme = CodeFilter(field_name="scheme__code")
    exercise = CodeFilter()
    code = CodeFilter()

    class Meta:
        model = Call
        fields = ["scheme", "exercise", "code"]


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Call.objects.select_related("scheme").prefetch_related("themes").order_by("-opens_at", "id")
    )
    serializer_class = s.CallSerializer
    filterset_class = CallFilter


class ProposalFilter(filters.FilterSet):
    call = CodeFilter(method="filter_call")
    area = CodeFilter(field_name="area__code")
    reference = CodeFilter()
    state = filters.ChoiceFilter(
        field_name="halves__state", choices=HalfState.choices, distinct=True
    )

    class Meta:
        model = JointProposal
        fields = ["call", "area", "state", "reference"]

    def filter_call(self, qs, name, value):
        # The call's id first, then the proposals by the call_id index: joined on the code, the
        # planner scanned every proposal (issue 16, EXPLAIN in bench/RESULTS-scale.md).
        call_id = call_id_of(value)
        return qs.filter(call_id=call_id) if call_id is not None else qs.none()


def call_id_of(code: str) -> int | None:
    """The id of the call with this code (None for none), read once per request."""
    return once_per_request(
        ("call_id_of", code),
        lambda: Call.objects.filter(code=code).values_list("pk", flat=True).first(),
    )


# The rows that ``ProposalViewSet.with_rows`` attaches to a page besides those of
# ``funding.half_rows``, in the same way
_HALVES = RowsByIds("proposal", lambda: ProposalHalf.objects.order_by("proposal_id", "side"))
_EXCLUSIONS = RowsByIds("half", lambda: ExpertExclusion.objects.order_by("half_id", "id"))


@extend_schema(
    description="Joint proposals the caller may see; each half is cut to the caller's visibility."
)
class ProposalViewSet(AttachedRowsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProposalSerializer
    filterset_class = ProposalFilter
    pagination_class = CountedPagePagination
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        # The proposals' own rows only: their call, area, type and halves, and everything a
        # half's JSON reads, are attached to the page's rows afterwards (``with_rows``).
        return (
            visible_proposals(self.request.user)
            .prefetch_related(None)
            .select_related(None)
            .order_by("id")
        )

    def kept_ids(self, queryset):
        """One call's list, unfiltered otherwise, for an officer: its ids are kept between requests
        (``funding.officer_list.proposal_ids``), so a page reads its 50 rows, not the call's 4,400
        ids for the total (issue 16)."""
        params = self.request.query_params
        code = params.get("call")
        if not code or set(params) - {"call", self.paginator.page_query_param}:
            return None
        self.kept_call_id = call_id_of(code)
        if self.kept_call_id is None:
            return None
        user = unwrapped_user(self.request.user)
        return officer_list.proposal_ids(user, self.kept_call_id, lambda: narrow_ids(queryset))

    def forget_kept_ids(self) -> None:
        officer_list.forget_call(self.kept_call_id)

    def with_rows(self, proposals: list) -> list:
        """Everything a half's JSON reads, for the whole page at once (issue 16: no query per
        proposal; the viewer's conflicts are computed once, ``serializers.conflicted_ids``). Each
        relation's rows as plain lists (``core.prefetched``), without a queryset per half to hold
        them, and one object per related row (the page's one call, not 50 copies of it joined to
        each proposal: 184k -> 129k Python calls a page, ``bench/RESULTS-scale.md``). Budget lines, discipline codes and documents are read only for the halves that the
        user sees in full: a page reads no row it does not show (an officer sees the partner
        agency's halves at most in summary)."""
        user = unwrapped_user(self.request.user)
        known = reference_rows()  # calls, areas, types, institutions: kept while unchanged
        attach_one(
            proposals,
            "call",
            queryset=Call.objects.select_related("scheme").prefetch_related(
                rows_prefetch("scheme__sides")
            ),
            known=known["call"],
        )
        attach_one(proposals, "area", known=known["area"])
        attach_one(proposals, "project_type", known=known["project_type"])
        attach_rows(proposals, _HALVES, "proposal")
        halves = [half for proposal in proposals for half in related_rows(proposal, "halves")]
        # one instance per institution, not one per half and relation (two agencies on a page)
        attach_one(halves, "institution", "agency", known=known["institution"])
        # the leads by their ids (joined, the planner hashed the whole user table for them: 4,002
        # rows read on the scale data for 100 halves)
        attach_one(halves, "lead", queryset=USER_NAMES)
        attach_rows(halves, half_rows.TEAM, "half")
        attach_rows(halves, _EXCLUSIONS, "half")
        prefetch_related_objects(halves, rows_prefetch("rows_expert_exclusions__matched_experts"))
        s.remember_visibility(user, halves)
        full = [h for h in halves if s.visibility_of(user, h) == PartnerVisibility.FULL]
        half_rows.attach_full_rows(full)
        return proposals
