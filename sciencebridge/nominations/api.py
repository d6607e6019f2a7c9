"""REST API v1: nominations, restricted exactly as the pages (the same selector)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from . import selectors
from .models import Nomination, NominationState, TargetDatabase


class NominationSerializer(serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(read_only=True, slug_field="code")
    institution = serializers.SlugRelatedField(read_only=True, slug_field="code")
    expert_name = serializers.CharField(source="expert.name_en", read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "exercise",
            "expert",
            "expert_name",
            "institution",
            "database",
            "society",
            "consent",
            "state",
            "entered_on",
            "created_at",
        ]


class NominationFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=NominationState.choices)
    database = filters.ChoiceFilter(choices=TargetDatabase.choices)

    class Meta:
        model = Nomination
        fields = ["state", "database"]


@extend_schema(
    description="Nominations to national expert databases: the nominating university's research office, "
    "the expert, the checking (ITC) and approving (MOST) officers each see theirs."
)
class NominationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NominationSerializer
    filterset_class = NominationFilter
    permission_classes = [IsAuthenticated]
    queryset = Nomination.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Nomination.objects.none()
        return selectors.nominations_for(self.request.user)


def register(router):
    router.register("expert-nominations", NominationViewSet, basename="expert-nomination")
