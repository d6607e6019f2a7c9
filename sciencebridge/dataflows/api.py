"""REST API v1: GBA data-transfer agreements and their filings, with the pages' permissions.

Lists hold what the caller may see (``selectors.visible_agreements``); the personal-information
particulars are in a response only for those who may see them on the page (not the secretariat).
"""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets

from .models import AgreementState, DataTransferAgreement, Filing
from .selectors import visible_agreements

DETAIL_FIELDS = [
    "purpose",
    "processing_method",
    "pi_categories",
    "sensitive_pi",
    "sensitive_pi_categories",
    "volume",
    "retention_months",
    "consent_basis",
    "security_measures",
    "piia_date",
    "supplementary_terms",
]


class FilingSerializer(serializers.ModelSerializer):
    agreement = serializers.SlugRelatedField(read_only=True, slug_field="reference")

    class Meta:
        model = Filing
        fields = ["id", "agreement", "party", "authority", "due_date", "reference", "filed_on"]


@extend_schema_serializer(component_name="DataTransferAgreement")  # not cooperation's "Agreement"
class AgreementSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(read_only=True, slug_field="reference")
    processor_institution = serializers.SlugRelatedField(read_only=True, slug_field="code")
    recipient_institution = serializers.SlugRelatedField(read_only=True, slug_field="code")
    processor_location = serializers.SlugRelatedField(read_only=True, slug_field="code")
    recipient_location = serializers.SlugRelatedField(read_only=True, slug_field="code")
    annex = serializers.SlugRelatedField(read_only=True, slug_field="version")
    filings = FilingSerializer(many=True, read_only=True)

    class Meta:
        model = DataTransferAgreement
        fields = [
            "id",
            "reference",
            "title",
            "state",
            "project",
            "processor_institution",
            "processor_location",
            "recipient_institution",
            "recipient_location",
            "effective_date",
            "annex",
            "signed_at",
            "filings",
            *DETAIL_FIELDS,
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not request.user.has_perm(
            "dataflows.view_agreement_details", instance
        ):
            for f in DETAIL_FIELDS:
                data.pop(f, None)
        return data


class AgreementFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=AgreementState.choices)
    project = filters.CharFilter(field_name="project__reference")

    class Meta:
        model = DataTransferAgreement
        fields = ["state", "project"]


@extend_schema(
    description="GBA data-transfer agreements the caller may see (personal-information particulars "
    "only for the parties and the project's officers)."
)
class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    queryset = DataTransferAgreement.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DataTransferAgreement.objects.none()
        return (
            visible_agreements(self.request.user)
            .select_related("annex")
            .prefetch_related("filings__agreement")
            .order_by("id")
        )


@extend_schema(description="Filings of the GBA data-transfer agreements the caller may see.")
class FilingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FilingSerializer
    queryset = Filing.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Filing.objects.none()
        return (
            Filing.objects.filter(agreement__in=visible_agreements(self.request.user).values("pk"))
            .select_related("agreement")
            .order_by("id")
        )


def register(router):
    router.register("dataflow-agreements", AgreementViewSet, basename="dataflow-agreement")
    router.register("dataflow-filings", FilingViewSet, basename="dataflow-filing")
    _register_samples(router)


from .api_samples import register as _register_samples  # noqa: E402  (sample exports, datasets)
