from rest_framework import serializers

from sciencebridge.funding.models import (
    AssessmentCriterion,
    BudgetLine,
    Call,
    JointProposal,
    ProjectType,
    ProposalHalf,
    Scheme,
    SchemeSide,
    TeamMember,
    ThematicArea,
)
from sciencebridge.funding.rules import half_visibility
from sciencebridge.funding.validation import budget_total
from sciencebridge.institutions.models import Institution


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "code", "name", "name_en", "name_zh_hant", "name_zh_hans", "short_name", "region", "type",
                  "category", "currency", "website"]


class SchemeSideSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SchemeSide
        fields = ["side", "agency", "currency", "eligible_lead_categories", "funding_ceiling",
                  "requires_endorsement", "partner_visibility"]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentCriterion
        fields = ["order", "name", "weight"]


class ProjectTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectType
        fields = ["code", "name", "min_industry_share"]


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ThematicArea
        fields = ["code", "name"]


class SchemeSerializer(serializers.ModelSerializer):
    sides = SchemeSideSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    project_types = ProjectTypeSerializer(many=True, read_only=True)
    areas = AreaSerializer(many=True, read_only=True)

    class Meta:
        model = Scheme
        fields = ["id", "code", "name", "name_en", "name_zh_hant", "name_zh_hans", "short_name", "exercise_group",
                  "max_roles_per_exercise", "max_duration_months", "shared_review", "sides", "criteria",
                  "project_types", "areas"]


class CallSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(read_only=True)
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    budget_hk = serializers.DecimalField(max_digits=16, decimal_places=2, source="budget_hk.amount",
                                         read_only=True, allow_null=True)
    budget_ml = serializers.DecimalField(max_digits=16, decimal_places=2, source="budget_ml.amount",
                                         read_only=True, allow_null=True)

    class Meta:
        model = Call
        fields = ["id", "code", "title", "scheme", "exercise", "opens_at", "closes_at", "status", "themes",
                  "budget_hk", "budget_ml", "ceiling_hk", "ceiling_ml", "matching_model"]


class BudgetLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, source="amount.amount")
    currency = serializers.CharField(source="amount.currency.code")

    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount", "currency"]


class TeamMemberSerializer(serializers.ModelSerializer):
    institution = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TeamMember
        fields = ["name", "role", "institution"]


class HalfSerializer(serializers.ModelSerializer):
    """A proposal half, cut down to what the requesting user may see (state / summary / full)."""

    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    institution = serializers.SlugRelatedField(slug_field="code", read_only=True)
    visibility = serializers.SerializerMethodField()

    class Meta:
        model = ProposalHalf
        fields = ["side", "agency", "institution", "state", "submitted_at", "screening_reason", "visibility"]

    def get_visibility(self, half) -> str | None:
        return half_visibility(self.context["request"].user, half)

    def to_representation(self, half):
        level = half_visibility(self.context["request"].user, half)
        if level is None:
            return None
        data = super().to_representation(half)
        if level in ("summary", "full"):
            data["team"] = TeamMemberSerializer(half.team.all(), many=True).data
        if level == "full":
            data["keywords"] = half.keyword_list()
            data["budget"] = BudgetLineSerializer(half.budget_lines.all(), many=True).data
            data["budget_total"] = str(budget_total(half))
            data["currency"] = half.currency
        return data


class ProposalSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    halves = serializers.SerializerMethodField()

    class Meta:
        model = JointProposal
        fields = ["id", "reference", "call", "title", "abstract", "project_type", "area", "duration_months",
                  "created_at", "halves"]

    def get_halves(self, proposal) -> list[dict]:
        ser = HalfSerializer(context=self.context)
        return [d for d in (ser.to_representation(h) for h in proposal.halves.all()) if d is not None]
