"""REST API v1: open postings (public) and the caller's own exchange applications."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from .models import Application, ApplicationState, Posting, PostingState, ProgrammeKind


class PostingSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(
        source="call.programme", read_only=True, slug_field="code"
    )
    call = serializers.SlugRelatedField(read_only=True, slug_field="code")
    host = serializers.SlugRelatedField(read_only=True, slug_field="code")
    host_region = serializers.CharField(source="host.region", read_only=True)
    closes_at = serializers.DateTimeField(source="call.closes_at", read_only=True)

    class Meta:
        model = Posting
        fields = [
            "id",
            "programme",
            "call",
            "title",
            "description",
            "keywords",
            "host",
            "host_region",
            "duration_months",
            "positions",
            "state",
            "closes_at",
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    home = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = Application
        fields = ["id", "posting", "home", "state", "created_at"]


class PostingFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=PostingState.choices)
    kind = filters.ChoiceFilter(field_name="call__programme__kind", choices=ProgrammeKind.choices)
    host_region = filters.ChoiceFilter(
        field_name="host__region", choices=[("HK", "HK"), ("ML", "ML")]
    )

    class Meta:
        model = Posting
        fields = ["state", "kind", "host_region"]


@extend_schema(description="Talent-exchange postings (public).")
class PostingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Posting.objects.select_related("call__programme", "host").order_by("-id")
    serializer_class = PostingSerializer
    filterset_class = PostingFilter
    permission_classes = [AllowAny]


class ApplicationFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=ApplicationState.choices)

    class Meta:
        model = Application
        fields = ["state"]


@extend_schema(description="The caller's own exchange applications.")
class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter

    queryset = Application.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self.request.user.is_authenticated:
            return Application.objects.none()
        return (
            Application.objects.filter(applicant=self.request.user)
            .select_related("home")
            .order_by("id")
        )


def register(router):
    router.register("talent-postings", PostingViewSet, basename="talent-posting")
    router.register("talent-applications", ApplicationViewSet, basename="talent-application")
