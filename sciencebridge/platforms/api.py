"""REST API v1: the public registry of platforms and facilities; allocations and bookings for the
people who may see them (the project's team, the facility's managers, the secretariat)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from sciencebridge.api.views import CodeFilter

from . import selectors
from .models import (
    Allocation,
    AllocationState,
    Booking,
    BookingState,
    Facility,
    FacilityKind,
    InnoHKCluster,
    Platform,
    PlatformKind,
    PlatformStatus,
)


class PlatformSerializer(serializers.ModelSerializer):
    hosts = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    partners = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    successor = serializers.SlugRelatedField(read_only=True, slug_field="code", allow_null=True)
    facilities = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Platform
        fields = [
            "code",
            "kind",
            "cluster",
            "name",
            "name_en",
            "name_zh_hant",
            "name_zh_hans",
            "short_name",
            "areas",
            "hosts",
            "partners",
            "established_year",
            "established_on",
            "ended_on",
            "status",
            "successor",
            "source_url",
            "confidence",
            "facilities",
        ]


class FacilitySerializer(serializers.ModelSerializer):
    platform = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = Facility
        fields = [
            "code",
            "name",
            "kind",
            "region",
            "slot_minutes",
            "node_count",
            "platform",
            "active",
        ]


class AllocationSerializer(serializers.ModelSerializer):
    facility = serializers.SlugRelatedField(read_only=True, slug_field="code")
    team_institution = serializers.SlugRelatedField(read_only=True, slug_field="code")
    hours_used = serializers.DecimalField(
        source="used", max_digits=12, decimal_places=2, read_only=True
    )

    class Meta:
        model = Allocation
        fields = [
            "id",
            "facility",
            "project_reference",
            "team_institution",
            "hours_requested",
            "hours_approved",
            "hours_used",
            "state",
            "cross_boundary",
            "created_at",
        ]


class BookingSerializer(serializers.ModelSerializer):
    facility = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = Booking
        fields = ["id", "facility", "allocation", "starts_at", "ends_at", "state"]


class PlatformFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=PlatformKind.choices)
    status = filters.ChoiceFilter(choices=PlatformStatus.choices)
    cluster = filters.ChoiceFilter(choices=InnoHKCluster.choices)
    host = CodeFilter(field_name="hosts__code", distinct=True)

    class Meta:
        model = Platform
        fields = ["kind", "status", "cluster", "host"]


@extend_schema(description="Labs and platforms from the public record (public).")
class PlatformViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Platform.objects.prefetch_related("hosts", "partners", "facilities")
        .select_related("successor")
        .order_by("id")
    )
    serializer_class = PlatformSerializer
    filterset_class = PlatformFilter
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"


class FacilityFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=FacilityKind.choices)
    region = filters.ChoiceFilter(choices=[("HK", "HK"), ("ML", "ML")])
    platform = CodeFilter(field_name="platform__code")

    class Meta:
        model = Facility
        fields = ["kind", "region", "platform"]


@extend_schema(description="Shared facilities (public).")
class FacilityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Facility.objects.select_related("platform").order_by("id")
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"


class AllocationFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=AllocationState.choices)
    facility = CodeFilter(field_name="facility__code")
    cross_boundary = filters.BooleanFilter()

    class Meta:
        model = Allocation
        fields = ["state", "facility", "cross_boundary"]


@extend_schema(
    description="Facility allocations the caller may see: their team's, their facilities' "
    "(managers) or all (secretariat)."
)
class AllocationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilter
    queryset = Allocation.objects.none()

    def get_queryset(self):
        return selectors.my_allocations(self.request.user).order_by("id")


class BookingFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=BookingState.choices)
    facility = CodeFilter(field_name="facility__code")

    class Meta:
        model = Booking
        fields = ["state", "facility"]


@extend_schema(description="Bookings of the allocations the caller may see.")
class BookingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BookingSerializer
    filterset_class = BookingFilter
    queryset = Booking.objects.none()

    def get_queryset(self):
        visible = selectors.my_allocations(self.request.user).values("pk")
        return (
            Booking.objects.filter(allocation__in=visible)
            .select_related("facility")
            .order_by("starts_at", "id")
        )


def register(router):
    router.register("platforms", PlatformViewSet, basename="platform")
    router.register("facilities", FacilityViewSet, basename="facility")
    router.register("facility-allocations", AllocationViewSet, basename="facility-allocation")
    router.register("facility-bookings", BookingViewSet, basename="facility-booking")
