"""REST API of the remittance ledger (read-only), with the pages' object permissions:

- ``/api/v1/remittances/``: the remittances the caller may see (agency officers their agency's, research
  offices their institution's, secretariat and administrators all); any other remittance answers 404.
- ``/api/v1/remittances/totals/``: the public aggregates (RMB remitted, HKD received, counts by state),
  the only part of the ledger anyone may read.
"""

from django.db.models import Count
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from . import selectors
from .models import Remittance, RemittanceState


def _money(source, **kw):
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, source=f"{source}.amount", read_only=True, **kw
    )


class RemittanceSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="tranche.project_side.project.reference", read_only=True)
    tranche = serializers.IntegerField(source="tranche.number", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    recipient = serializers.SlugRelatedField(slug_field="code", read_only=True)
    instructed_amount = _money("instructed_amount")
    instructed_currency = serializers.CharField(source="instructed_amount_currency", read_only=True)
    remitted_amount = _money("remitted_amount", allow_null=True)
    remitted_currency = serializers.SerializerMethodField()
    received_amount = _money("received_amount", allow_null=True)
    received_currency = serializers.SerializerMethodField()

    class Meta:
        model = Remittance
        fields = [
            "reference",
            "project",
            "tranche",
            "agency",
            "recipient",
            "state",
            "instructed_amount",
            "instructed_currency",
            "instructed_on",
            "remitted_on",
            "remitted_amount",
            "remitted_currency",
            "bank_reference",
            "received_on",
            "received_amount",
            "received_currency",
            "effective_rate",
            "reference_rate",
            "reference_rate_date",
            "difference",
            "needs_reconciliation",
            "reconciled_at",
            "used_reported_on",
        ]

    def get_remitted_currency(self, obj) -> str | None:
        return "CNY" if obj.remitted_amount is not None else None

    def get_received_currency(self, obj) -> str | None:
        return "HKD" if obj.received_amount is not None else None


class RemittanceFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=RemittanceState.choices)
    needs_reconciliation = filters.BooleanFilter()

    class Meta:
        model = Remittance
        fields = ["state", "needs_reconciliation"]


@extend_schema(description="Cross-boundary remittances the caller may see.")
class RemittanceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RemittanceSerializer
    filterset_class = RemittanceFilter
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.visible_remittances(self.request.user).order_by("id")

    @extend_schema(
        description="Public aggregates of the remittance ledger (anyone, signed in or not): no project, "
        "institution or bank reference.",
        responses=inline_serializer(
            "RemittanceTotals",
            {
                "remitted_rmb": serializers.DecimalField(max_digits=16, decimal_places=2),
                "received_hkd": serializers.DecimalField(max_digits=16, decimal_places=2),
                "by_state": serializers.DictField(child=serializers.IntegerField()),
            },
        ),
        filters=False,
    )
    @action(detail=False, methods=["get"], permission_classes=[AllowAny], pagination_class=None)
    def totals(self, request):
        totals = selectors.public_totals()
        counts = dict(Remittance.objects.order_by().values_list("state").annotate(n=Count("id")))
        return Response(
            {
                "remitted_rmb": f"{totals['remitted_rmb']:.2f}",
                "received_hkd": f"{totals['received_hkd']:.2f}",
                "by_state": {s: counts.get(s, 0) for s in RemittanceState.values},
            }
        )


def register(router):
    router.register("remittances", RemittanceViewSet, basename="remittance")
