"""REST API of the marketplace (read-only), with the pages' object permissions:

- ``/api/v1/transfer/offers/``: published public offers for anyone (no login); "registered
  enterprises only" offers for registered enterprises and TTOs; drafts for their own side. The
  confidential ``details`` are null unless the caller may see them (own side, or NDA accepted).
- ``/api/v1/transfer/needs/``: needs for registered enterprises and TTOs.
- ``/api/v1/transfer/deals/``: deals for their parties only.
"""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets

from sciencebridge.api.views import SearchTextFilter

from .models import (
    Deal,
    DealState,
    Field,
    IPStatus,
    NdaAcceptance,
    NeedState,
    OfferState,
    OfferType,
    TechnologyNeed,
    TechnologyOffer,
    Visibility,
)
from .rules import is_enterprise, is_offer_side
from .selectors import search_offers, visible_deals, visible_needs, visible_offers


class OfferSerializer(serializers.ModelSerializer):
    institution = serializers.SlugRelatedField(slug_field="code", read_only=True)
    offer_types = serializers.ListField(
        child=serializers.ChoiceField(choices=OfferType.choices), read_only=True
    )
    discipline_codes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    details = serializers.SerializerMethodField()
    contact_name = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()

    class Meta:
        model = TechnologyOffer
        fields = [
            "id",
            "title_en",
            "title_zh_hant",
            "title_zh_hans",
            "summary_en",
            "summary_zh_hant",
            "summary_zh_hans",
            "field",
            "discipline_codes",
            "keywords",
            "trl",
            "ip_status",
            "ip_jurisdiction",
            "ip_reference",
            "offer_types",
            "visibility",
            "state",
            "institution",
            "published_at",
            "details",
            "contact_name",
            "contact_email",
        ]

    def _may_see(self, obj) -> bool:
        user = self.context["request"].user
        return obj.pk in self.context.get("nda_offer_ids", set()) or is_offer_side(user, obj)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_details(self, obj):
        return obj.details if self._may_see(obj) else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_contact_name(self, obj):
        return obj.contact_name if self._may_see(obj) else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_contact_email(self, obj):
        return obj.contact_email if self._may_see(obj) else None


class OfferFilter(filters.FilterSet):
    q = SearchTextFilter(method="search", label="Full-text search")
    field = filters.ChoiceFilter(choices=Field.choices)
    state = filters.ChoiceFilter(choices=OfferState.choices)
    visibility = filters.ChoiceFilter(choices=Visibility.choices)
    ip_status = filters.ChoiceFilter(choices=IPStatus.choices)
    trl_min = filters.TypedChoiceFilter(
        choices=[(i, str(i)) for i in range(1, 10)],
        coerce=int,
        field_name="trl",
        lookup_expr="gte",
        label="Readiness at least",
    )

    class Meta:
        model = TechnologyOffer
        fields = ["q", "field", "state", "visibility", "ip_status", "trl_min"]

    def search(self, queryset, name, value):
        value = (value or "").replace("\x00", "").strip()
        if not value:
            return queryset
        ids = search_offers(self.request.user, q=value, published_only=False).values("id")
        return queryset.filter(id__in=ids)


@extend_schema(description="Technology offers the caller may see (public ones without login).")
class OfferViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OfferSerializer
    filterset_class = OfferFilter
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return (
            visible_offers(self.request.user)
            .select_related("institution")
            .prefetch_related("discipline_codes")
            .order_by("-published_at", "-id")
        )

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        user = self.request.user
        ctx["nda_offer_ids"] = (
            set(
                NdaAcceptance.objects.filter(institution_id=user.institution_id).values_list(
                    "offer_id", flat=True
                )
            )
            if is_enterprise(user)
            else set()
        )
        return ctx


class NeedSerializer(serializers.ModelSerializer):
    institution = serializers.SlugRelatedField(slug_field="code", read_only=True)
    discipline_codes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = TechnologyNeed
        fields = [
            "id",
            "title",
            "description",
            "field",
            "discipline_codes",
            "keywords",
            "state",
            "institution",
            "created_at",
        ]


class NeedFilter(filters.FilterSet):
    field = filters.ChoiceFilter(choices=Field.choices)
    state = filters.ChoiceFilter(choices=NeedState.choices)

    class Meta:
        model = TechnologyNeed
        fields = ["field", "state"]


@extend_schema(
    description="Enterprise technology needs (registered enterprises and technology-transfer offices)."
)
class NeedViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NeedSerializer
    filterset_class = NeedFilter

    def get_queryset(self):
        return (
            visible_needs(self.request.user)
            .select_related("institution")
            .prefetch_related("discipline_codes")
            .order_by("-created_at", "-id")
        )


class DealSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="code", read_only=True)
    value_amount = serializers.DecimalField(
        source="value.amount", max_digits=14, decimal_places=2, allow_null=True, read_only=True
    )
    value_currency = serializers.CharField(read_only=True)

    class Meta:
        model = Deal
        fields = [
            "id",
            "offer",
            "enterprise",
            "need",
            "state",
            "contacted_on",
            "nda_on",
            "negotiating_on",
            "closed_on",
            "value_amount",
            "value_currency",
            "created_at",
        ]


class DealFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=DealState.choices)

    class Meta:
        model = Deal
        fields = ["state"]


@extend_schema(description="Technology deals the caller is a party to.")
class DealViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DealSerializer
    filterset_class = DealFilter

    def get_queryset(self):
        return (
            visible_deals(self.request.user)
            .select_related("enterprise")
            .order_by("-created_at", "-id")
        )


def register(router):
    router.register("transfer/offers", OfferViewSet, basename="transfer-offer")
    router.register("transfer/needs", NeedViewSet, basename="transfer-need")
    router.register("transfer/deals", DealViewSet, basename="transfer-deal")
