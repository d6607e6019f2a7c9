"""REST API v1 for the committee's records: anyone reads what is public (agreements in force, meetings,
approved workplans with their live progress, indicators); only the secretariat writes, through the same
services as the pages (drafts stay invisible to everyone else: 404)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission

from sciencebridge.api.views import CodeFilter
from sciencebridge.core import metrics

from .models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    CooperationArea,
    Indicator,
    IndicatorValue,
    ItemStatus,
    Meeting,
    Party,
    Workplan,
    WorkplanItem,
    WorkplanState,
)
from .services import progress as prog
from .services import records
from .services import workplans as svc


class SecretariatOnly(BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("cooperation.edit_records")


class PublicReadMixin:
    """Anyone (even anonymous) reads; only the secretariat writes. ``AllowAny`` on reads also tells the
    OpenAPI schema that reading needs no token."""

    def get_permissions(self):
        request = getattr(self, "request", None)
        if request is None or request.method in SAFE_METHODS:
            return [AllowAny()]
        return [SecretariatOnly()]


def _django_errors(fn):
    """Run a service call, turning its ValidationError into a 400 with the same messages."""
    try:
        return fn()
    except DjangoValidationError as e:
        raise ValidationError(
            e.message_dict if hasattr(e, "error_dict") else {"detail": e.messages}
        ) from e


def _is_secretariat(request):
    return request.user.has_perm("cooperation.edit_records")


class AgreementSerializer(serializers.ModelSerializer):
    parties = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=Party.objects.all()
    )
    areas = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=CooperationArea.objects.all(), required=False
    )
    title_en = serializers.CharField(max_length=400)

    class Meta:
        model = Agreement
        fields = [
            "code",
            "kind",
            "title",
            "title_en",
            "title_zh_hant",
            "title_zh_hans",
            "parties",
            "signed_on",
            "signed_at",
            "signatories",
            "areas",
            "summary",
            "full_text",
            "status",
            "valid_until",
            "source_url",
            "confidence",
        ]
        read_only_fields = ["title"]

    def create(self, data):
        return _django_errors(lambda: records.save_agreement(self.context["request"].user, **data))

    def update(self, instance, data):
        return _django_errors(
            lambda: records.save_agreement(self.context["request"].user, instance, **data)
        )


class AgreementFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=AgreementKind.choices)
    status = filters.ChoiceFilter(choices=AgreementStatus.choices)
    party = CodeFilter(field_name="parties__code", distinct=True)
    area = CodeFilter(field_name="areas__code", distinct=True)

    class Meta:
        model = Agreement
        fields = ["kind", "status", "party", "area"]


@extend_schema(
    description="Agreements, arrangements and memoranda (public read; secretariat write)."
)
class AgreementViewSet(
    PublicReadMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        qs = Agreement.objects.prefetch_related("parties", "areas").order_by("id")
        return qs if _is_secretariat(self.request) else qs.exclude(status=AgreementStatus.DRAFT)


class MeetingSerializer(serializers.ModelSerializer):
    decisions = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "number",
            "held_on",
            "place",
            "chairs",
            "agenda",
            "minutes",
            "decisions",
            "source_url",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_decisions(self, obj):
        return [d.text for d in obj.decisions.all()]


@extend_schema(description="Committee meetings with agenda, minutes and decisions (public).")
class MeetingViewSet(PublicReadMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Meeting.objects.prefetch_related("decisions").order_by("-held_on", "id")
    serializer_class = MeetingSerializer
    lookup_field = "number"
    lookup_value_regex = r"[0-9]+"


#: A workplan item is one commitment of a few sentences.
ITEM_TEXT_MAX = 2000


class ItemSerializer(serializers.ModelSerializer):
    workplan = serializers.SlugRelatedField(slug_field="code", queryset=Workplan.objects.all())
    area = serializers.SlugRelatedField(slug_field="code", queryset=CooperationArea.objects.all())
    text_en = serializers.CharField(max_length=ITEM_TEXT_MAX)
    text_zh_hant = serializers.CharField(
        max_length=ITEM_TEXT_MAX, required=False, allow_blank=True, allow_null=True
    )
    text_zh_hans = serializers.CharField(
        max_length=ITEM_TEXT_MAX, required=False, allow_blank=True, allow_null=True
    )
    metric_code = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    call_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        write_only=True,
        max_length=50,
        help_text="Link to these calls only (funding metrics).",
    )
    value = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = WorkplanItem
        fields = [
            "id",
            "workplan",
            "area",
            "number",
            "text",
            "text_en",
            "text_zh_hant",
            "text_zh_hans",
            "owner",
            "status",
            "metric_code",
            "metric_filters",
            "call_ids",
            "target",
            "confidence",
            "source_url",
            "value",
            "progress",
        ]
        read_only_fields = ["text", "status", "metric_filters", "confidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_code"].choices = [("", "")] + metrics.choices()
        request = self.context.get("request")
        if request is not None and not _is_secretariat(request):
            self.fields["workplan"].queryset = Workplan.objects.exclude(state=WorkplanState.DRAFT)

    def validate_workplan(self, value):
        if self.instance is not None and value.pk != self.instance.workplan_id:
            raise ValidationError(
                _("An item stays in its workplan; add it to the other workplan instead.")
            )
        return value

    def _row(self, obj):
        cache = self.context.setdefault("metric_cache", prog.MetricCache())
        return {"value": cache.value(obj), "obj": obj}

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_value(self, obj):
        return self._row(obj)["value"]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_progress(self, obj):
        value = self._row(obj)["value"]
        return obj.progress(value) if value is not None else None

    def _fields(self, data, instance=None):
        """``call_ids`` sets (or, empty, removes) the call link and keeps every other filter (e.g. the year)."""
        call_ids = data.pop("call_ids", None)
        if call_ids is not None:
            filters = dict(instance.metric_filters or {}) if instance is not None else {}
            filters.pop("call_ids", None)
            if call_ids:
                filters["call_ids"] = sorted(set(call_ids))
            data["metric_filters"] = filters
        return data

    def create(self, data):
        data = self._fields(data)
        wp = data.pop("workplan")
        return _django_errors(lambda: svc.save_item(self.context["request"].user, wp, **data))

    def update(self, instance, data):
        data = self._fields(data, instance)
        data.pop("workplan", None)
        return _django_errors(
            lambda: svc.save_item(self.context["request"].user, instance.workplan, instance, **data)
        )


class ItemFilter(filters.FilterSet):
    workplan = CodeFilter(field_name="workplan__code")
    area = CodeFilter(field_name="area__code")
    status = filters.ChoiceFilter(choices=ItemStatus.choices)

    class Meta:
        model = WorkplanItem
        fields = ["workplan", "area", "status"]


@extend_schema(
    description="Workplan items with progress computed from live data (public for approved "
    "workplans; secretariat write)."
)
class WorkplanItemViewSet(
    PublicReadMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = ItemSerializer
    filterset_class = ItemFilter

    def get_queryset(self):
        qs = WorkplanItem.objects.select_related("workplan", "area").order_by("id")
        return (
            qs if _is_secretariat(self.request) else qs.exclude(workplan__state=WorkplanState.DRAFT)
        )


class WorkplanSerializer(serializers.ModelSerializer):
    agreement = serializers.SlugRelatedField(
        slug_field="code", queryset=Agreement.objects.all(), required=False, allow_null=True
    )
    approved_at = serializers.SlugRelatedField(
        slug_field="number", queryset=Meeting.objects.all(), required=False, allow_null=True
    )
    title_en = serializers.CharField(max_length=255)

    class Meta:
        model = Workplan
        fields = [
            "code",
            "title",
            "title_en",
            "title_zh_hant",
            "title_zh_hans",
            "period",
            "starts_on",
            "ends_on",
            "approved_at",
            "agreement",
            "state",
            "source_url",
        ]
        read_only_fields = ["title", "state"]

    def validate(self, data):
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError({"ends_on": "A workplan cannot end before it starts."})
        return data

    def create(self, data):
        return _django_errors(lambda: svc.create_workplan(self.context["request"].user, **data))

    def update(self, instance, data):
        return _django_errors(
            lambda: svc.update_workplan(self.context["request"].user, instance, **data)
        )


class WorkplanFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=WorkplanState.choices)
    period = CodeFilter()

    class Meta:
        model = Workplan
        fields = ["state", "period"]


@extend_schema(description="Workplans (public once approved; drafts for the secretariat only).")
class WorkplanViewSet(
    PublicReadMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = WorkplanSerializer
    filterset_class = WorkplanFilter
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        qs = Workplan.objects.select_related("agreement", "approved_at").order_by("id")
        return qs if _is_secretariat(self.request) else qs.exclude(state=WorkplanState.DRAFT)


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(
        slug_field="code", queryset=Indicator.objects.filter(metric_code="")
    )
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    value = serializers.DecimalField(max_digits=20, decimal_places=4)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "year",
            "value",
            "as_of",
            "basis_version",
            "reference_period",
            "source_url",
            "note",
            "confidence",
        ]

    def create(self, data):
        indicator = data.pop("indicator")
        return _django_errors(
            lambda: records.record_indicator_value(self.context["request"].user, indicator, **data)
        )


class IndicatorSerializer(serializers.ModelSerializer):
    values = serializers.SerializerMethodField()
    current_value = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "description",
            "source",
            "source_url",
            "metric_code",
            "lower_is_better",
            "values",
            "current_value",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_values(self, obj):
        return [
            {
                "year": v.year,
                "value": str(v.value),
                "basis": v.basis_version,
                "source_url": v.source_url,
            }
            for v in obj.values.all()
        ]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_current_value(self, obj):
        if not obj.metric_code:
            return None
        try:
            return metrics.compute(obj.metric_code)
        except KeyError:
            return None


@extend_schema(description="Indicator series from the public record and live indicators (public).")
class IndicatorViewSet(PublicReadMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Indicator.objects.prefetch_related("values").order_by("order", "id")
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


@extend_schema(description="Add or correct one figure of an indicator series (secretariat).")
class IndicatorValueViewSet(
    PublicReadMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = IndicatorValue.objects.select_related("indicator").order_by("id")
    serializer_class = IndicatorValueSerializer


def register(router):
    router.register("cooperation/agreements", AgreementViewSet, basename="coop-agreement")
    router.register("cooperation/meetings", MeetingViewSet, basename="coop-meeting")
    router.register("cooperation/workplans", WorkplanViewSet, basename="coop-workplan")
    router.register("cooperation/workplan-items", WorkplanItemViewSet, basename="coop-item")
    router.register("cooperation/indicators", IndicatorViewSet, basename="coop-indicator")
    router.register(
        "cooperation/indicator-values", IndicatorValueViewSet, basename="coop-indicator-value"
    )
