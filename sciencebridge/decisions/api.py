"""REST API: funding decisions per proposal half, read-only.

Programme officers list the decisions of their own agency's halves (every state); applicants read the
final decisions on their own proposals. The internal reason is not exposed to applicants."""

from django import forms
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from sciencebridge.funding.models import Call, Side

from . import selectors
from .models import DecisionState, SideDecision
from .rules import is_other_agency_officer

CODE_PATTERN = r"^[A-Za-z0-9_./-]*$"


@extend_schema_field({"type": "string", "pattern": CODE_PATTERN})
class CodeFilter(filters.CharFilter):
    field_class = forms.RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", CODE_PATTERN)
        super().__init__(*args, **kwargs)


class DecisionSerializer(serializers.ModelSerializer):
    proposal = serializers.CharField(source="half.proposal.reference", read_only=True)
    call = serializers.CharField(source="call.code", read_only=True)
    amount = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()

    class Meta:
        model = SideDecision
        fields = [
            "id",
            "proposal",
            "call",
            "side",
            "state",
            "amount",
            "currency",
            "conditions",
            "decided_at",
        ]

    @extend_schema_field({"type": "string", "nullable": True, "pattern": r"^-?\d+(\.\d+)?$"})
    def get_amount(self, obj) -> str | None:
        return str(obj.amount.amount) if obj.amount is not None else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_currency(self, obj) -> str | None:
        return str(obj.amount.currency) if obj.amount is not None else None


class DecisionFilter(filters.FilterSet):
    call = CodeFilter(field_name="call__code")
    proposal = CodeFilter(field_name="half__proposal__reference")
    side = filters.ChoiceFilter(choices=Side.choices)
    state = filters.ChoiceFilter(choices=[c for c in DecisionState.choices if c[0]])

    class Meta:
        model = SideDecision
        fields = ["call", "proposal", "side", "state"]


@extend_schema(
    description="Funding decisions per proposal half: officers see their agency's, applicants the "
    "final decisions on their own proposals."
)
class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self):
        return selectors.decisions_for_user(self.request.user).order_by("id")

    def list(self, request, *args, **kwargs):
        # An officer asking for a call of a scheme their agency takes no part in is refused (403),
        # not answered with an empty list.
        code = request.query_params.get("call")
        if code:
            call = (
                Call.objects.filter(code=code)
                .select_related("scheme")
                .prefetch_related("scheme__sides")
                .first()
            )
            if call is not None and is_other_agency_officer(request.user, call):
                raise PermissionDenied(_("Your agency takes no part in this call."))
        return super().list(request, *args, **kwargs)


def register(router):
    router.register("decisions", DecisionViewSet, basename="decision")
