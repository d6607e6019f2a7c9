"""REST API: recheck requests. Listed and read by the half's team and its side's officers only;
created by the half's lead (multipart, evidence optional); decided by that side's officers."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from sciencebridge.funding import selectors as funding_selectors
from sciencebridge.funding.models import Side

from . import selectors, services
from .models import REASONS_MAX_CHARS, RecheckRequest, RecheckState


def _service(fn):
    """Run a service call: its ValidationError becomes a 400 with the same messages, its
    PermissionDenied a 403."""
    try:
        return fn()
    except DjangoValidationError as e:
        raise ValidationError(
            e.message_dict if hasattr(e, "error_dict") else {"detail": e.messages}
        ) from e
    except DjangoPermissionDenied as e:
        raise PermissionDenied(str(e)) from e


class RecheckSerializer(serializers.ModelSerializer):
    proposal = serializers.CharField(source="half.proposal.reference", read_only=True)
    side = serializers.CharField(source="half.side", read_only=True)
    evidence = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = RecheckRequest
        fields = [
            "id",
            "proposal",
            "side",
            "state",
            "requested_at",
            "screened_at",
            "screening_reason",
            "reasons",
            "evidence",
            "due_date",
            "overdue",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields

    def get_evidence(self, obj) -> str | None:
        return obj.evidence.url if obj.evidence else None

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class RecheckCreateSerializer(serializers.Serializer):
    proposal = serializers.RegexField(r"^[A-Za-z0-9_./-]+$", max_length=30)
    side = serializers.ChoiceField(choices=Side.choices)
    reasons = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=REASONS_MAX_CHARS
    )
    evidence = serializers.FileField(required=False, allow_null=True)


# The multipart form of a request, field by field (no other fields: form field names are never free).
MULTIPART_CREATE = {
    "type": "object",
    "properties": {
        "proposal": {"type": "string", "maxLength": 30, "pattern": r"^[A-Za-z0-9_./-]+$"},
        "side": {"type": "string", "enum": list(Side.values)},
        "reasons": {"type": "string", "maxLength": REASONS_MAX_CHARS},
        "evidence": {"type": "string", "format": "binary"},
    },
    "required": ["proposal", "side"],
    "additionalProperties": False,
}

JSON_CREATE = {
    **MULTIPART_CREATE,
    "properties": {k: v for k, v in MULTIPART_CREATE["properties"].items() if k != "evidence"},
}
DECIDE = {
    "type": "object",
    "properties": {
        "decision": {"type": "string", "enum": ["reverse", "uphold"]},
        "reason": {"type": "string", "maxLength": REASONS_MAX_CHARS},
    },
    "required": ["decision"],
    "additionalProperties": False,
}


class RecheckDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("reverse", "reverse"), ("uphold", "uphold")])
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=REASONS_MAX_CHARS
    )


class RecheckFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=RecheckState.choices)
    side = filters.ChoiceFilter(field_name="half__side", choices=Side.choices)

    class Meta:
        model = RecheckRequest
        fields = ["state", "side"]


@extend_schema(
    description="Eligibility recheck requests: the half's team and its side's officers only."
)
class RecheckViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RecheckSerializer
    filterset_class = RecheckFilter

    def get_parsers(self):
        # JSON everywhere; multipart only to file a request with its evidence PDF.
        action = getattr(self, "action", None)
        if action is None and getattr(self, "request", None) is not None:
            action = self.action_map.get(self.request.method.lower())  # before initial() sets it
        if action == "create":
            return [JSONParser(), MultiPartParser()]
        return [JSONParser()]

    def get_queryset(self):
        return selectors.visible_requests(self.request.user).order_by("pk")

    def get_serializer_class(self):
        if self.action == "create":
            return RecheckCreateSerializer
        if self.action == "decide":
            return RecheckDecideSerializer
        return RecheckSerializer

    @extend_schema(
        request={
            "application/json": JSON_CREATE,
            "multipart/form-data": MULTIPART_CREATE,
        },
        responses={201: RecheckSerializer},
    )
    def create(self, request, *args, **kwargs):
        # A proposal the caller may not see is a 404 whatever else the request says (as on the pages).
        proposal = get_object_or_404(
            funding_selectors.visible_proposals(request.user),
            reference=str(request.data.get("proposal", ""))[:30],
        )
        data = RecheckCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        half = proposal.half(v["side"])
        if half is None:
            raise Http404
        req = _service(
            lambda: services.request_recheck(
                request.user, half, reasons=v["reasons"], evidence=v.get("evidence")
            )
        )
        return Response(RecheckSerializer(req).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"application/json": DECIDE}, responses={200: RecheckSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        req = self.get_object()
        data = RecheckDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        _service(
            lambda: services.decide(
                request.user, req, reverse=v["decision"] == "reverse", reason=v["reason"]
            )
        )
        return Response(RecheckSerializer(req).data)

    @extend_schema(request=None, responses={200: RecheckSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        req = self.get_object()
        _service(lambda: services.withdraw(request.user, req))
        return Response(RecheckSerializer(req).data)


def register(router):
    router.register("rechecks", RecheckViewSet, basename="recheck")
