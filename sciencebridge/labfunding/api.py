"""REST API v1: laboratory grants (restricted exactly as the pages) and the exercises (public)."""

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated

from . import selectors
from .models import Exercise, ExerciseOutcome, GrantState, LabGrant


class LabGrantSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(read_only=True, slug_field="code")
    platform = serializers.SlugRelatedField(read_only=True, slug_field="code")
    institution = serializers.SlugRelatedField(read_only=True, slug_field="code")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="amount.amount", read_only=True
    )
    currency = serializers.CharField(source="amount_currency", read_only=True)
    report_state = serializers.CharField(source="report.state", read_only=True)
    matching = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        source="report.matching.amount",
        read_only=True,
        allow_null=True,
        help_text="The university's matching contribution in the report (HKD), if given.",
    )

    class Meta:
        model = LabGrant
        fields = [
            "id",
            "programme",
            "platform",
            "institution",
            "year",
            "amount",
            "currency",
            "state",
            "released_on",
            "report_state",
            "matching",
        ]


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class YearFilter(filters.NumberFilter):
    """A calendar year (anything else is a 400, as the schema says)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class LabGrantFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=GrantState.choices)
    year = YearFilter()

    class Meta:
        model = LabGrant
        fields = ["state", "year"]


@extend_schema(
    description="Laboratory grants: the university's research office its own labs', the funder's officers all."
)
class LabGrantViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LabGrantSerializer
    filterset_class = LabGrantFilter
    permission_classes = [IsAuthenticated]
    queryset = LabGrant.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LabGrant.objects.none()
        return selectors.grants_for(self.request.user)


class LabOutcomeSerializer(serializers.ModelSerializer):
    platform = serializers.SlugRelatedField(read_only=True, slug_field="code")
    successor = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = ExerciseOutcome
        fields = ["platform", "outcome", "successor", "confidence", "note"]


class LabExerciseSerializer(serializers.ModelSerializer):
    outcomes = LabOutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = Exercise
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "year",
            "effective_on",
            "count_before",
            "count_after",
            "source_url",
            "outcomes",
        ]


@extend_schema(description="Evaluation and reorganisation exercises of laboratories (public).")
class LabExerciseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LabExerciseSerializer
    permission_classes = [AllowAny]
    queryset = Exercise.objects.prefetch_related(
        "outcomes__platform", "outcomes__successor"
    ).order_by("-year", "code")


def register(router):
    router.register("lab-grants", LabGrantViewSet, basename="lab-grant")
    router.register("lab-exercises", LabExerciseViewSet, basename="lab-exercise")
