"""REST API v1: sample exports, transfers and research datasets, restricted exactly as the pages
(the same selectors; a detail outside them answers 404)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from . import selectors_samples as sel
from .models_datasets import DatasetState, HeldIn, ResearchDataset
from .models_samples import (
    HgrApplicationState,
    HgrExportApplication,
    HgrTransfer,
    HgrTransferState,
    SampleKind,
    TransferReview,
)


class ExportSerializer(serializers.ModelSerializer):
    pilot_unit = serializers.SlugRelatedField(
        source="pilot_unit.institution", read_only=True, slug_field="code"
    )
    recipient = serializers.SlugRelatedField(read_only=True, slug_field="code")
    project = serializers.SlugRelatedField(read_only=True, slug_field="reference")
    used = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = HgrExportApplication
        fields = [
            "id",
            "reference",
            "pilot_unit",
            "recipient",
            "project",
            "sample_kind",
            "quantity",
            "unit",
            "purpose",
            "conditions",
            "approval_reference",
            "approval_date",
            "approved_quantity",
            "valid_until",
            "used",
            "state",
            "created_at",
        ]


class TransferSerializer(serializers.ModelSerializer):
    application = serializers.SlugRelatedField(read_only=True, slug_field="reference")
    sender = serializers.SlugRelatedField(read_only=True, slug_field="code")
    recipient = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = HgrTransfer
        fields = [
            "id",
            "application",
            "sender",
            "recipient",
            "sample_kind",
            "quantity",
            "shipped_on",
            "review",
            "state",
        ]


class DatasetSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(read_only=True, slug_field="reference")
    holder = serializers.SlugRelatedField(read_only=True, slug_field="code")
    access_institutions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = ResearchDataset
        fields = [
            "id",
            "project",
            "title",
            "description",
            "holder",
            "held_in",
            "location",
            "licence",
            "licence_note",
            "access",
            "access_institutions",
            "classification",
            "size_note",
            "state",
            "created_at",
        ]


class ExportFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=HgrApplicationState.choices)
    sample_kind = filters.ChoiceFilter(choices=SampleKind.choices)

    class Meta:
        model = HgrExportApplication
        fields = ["state", "sample_kind"]


class TransferFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=HgrTransferState.choices)
    review = filters.ChoiceFilter(choices=TransferReview.choices)
    sample_kind = filters.ChoiceFilter(choices=SampleKind.choices)

    class Meta:
        model = HgrTransfer
        fields = ["state", "review", "sample_kind"]


class DatasetFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=DatasetState.choices)
    held_in = filters.ChoiceFilter(choices=HeldIn.choices)

    class Meta:
        model = ResearchDataset
        fields = ["state", "held_in"]


def _fake(view) -> bool:
    return getattr(view, "swagger_fake_view", False) or not view.request.user.is_authenticated


@extend_schema(description="Human-genetic-resource export applications the caller may see.")
class ExportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExportSerializer
    filterset_class = ExportFilter
    queryset = HgrExportApplication.objects.none()

    def get_queryset(self):
        if _fake(self):
            return HgrExportApplication.objects.none()
        return sel.visible_exports(self.request.user).order_by("id")


@extend_schema(description="Sample transfers recorded against approvals the caller may see.")
class TransferViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TransferSerializer
    filterset_class = TransferFilter
    queryset = HgrTransfer.objects.none()

    def get_queryset(self):
        if _fake(self):
            return HgrTransfer.objects.none()
        return sel.visible_transfers(self.request.user).order_by("id")


@extend_schema(description="Research datasets (non-personal data) the caller may see.")
class DatasetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DatasetSerializer
    filterset_class = DatasetFilter
    queryset = ResearchDataset.objects.none()

    def get_queryset(self):
        if _fake(self):
            return ResearchDataset.objects.none()
        return (
            sel.visible_datasets(self.request.user)
            .prefetch_related("access_institutions")
            .order_by("id")
        )


def register(router):
    router.register("hgr-exports", ExportViewSet, basename="hgr-export")
    router.register("hgr-transfers", TransferViewSet, basename="hgr-transfer")
    router.register("research-datasets", DatasetViewSet, basename="research-dataset")
