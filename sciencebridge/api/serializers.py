from rest_framework import serializers

from sciencebridge.accounts.request_user import unwrapped_user
from sciencebridge.core.prefetched import related_rows
from sciencebridge.funding.models import (
    AssessmentCriterion,
    Call,
    JointProposal,
    ProjectType,
    ProposalHalf,
    Scheme,
    SchemeSide,
    ThematicArea,
)
from sciencebridge.funding.rules import half_visibility
from sciencebridge.funding.visibility import half_data
from sciencebridge.institutions.models import Institution


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "name_zh_hant",
            "name_zh_hans",
            "short_name",
            "region",
            "type",
            "category",
            "currency",
            "website",
        ]


class SchemeSideSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SchemeSide
        fields = [
            "side",
            "agency",
            "currency",
            "eligible_lead_categories",
            "funding_ceiling",
            "requires_endorsement",
            "partner_visibility",
        ]


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
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "name_zh_hant",
            "name_zh_hans",
            "short_name",
            "kind",
            "applicant_regions",
            "exercise_group",
            "max_roles_per_exercise",
            "max_duration_months",
            "shared_review",
            "sides",
            "criteria",
            "project_types",
            "areas",
        ]


class CallSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(read_only=True)
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    budget_hk = serializers.DecimalField(
        max_digits=16, decimal_places=2, source="budget_hk.amount", read_only=True, allow_null=True
    )
    budget_ml = serializers.DecimalField(
        max_digits=16, decimal_places=2, source="budget_ml.amount", read_only=True, allow_null=True
    )

    class Meta:
        model = Call
        fields = [
            "id",
            "code",
            "title",
            "scheme",
            "exercise",
            "opens_at",
            "closes_at",
            "status",
            "themes",
            "budget_hk",
            "budget_ml",
            "ceiling_hk",
            "ceiling_ml",
            "matching_model",
            "reference_date",
            "award_quota",
        ]


_AMOUNT = serializers.DecimalField(max_digits=14, decimal_places=2)


# A half's team and budget lines as plain dicts: a ModelSerializer made per half rebuilt its fields
# each time (a third of the API proposal list's time, bench/scale.py profile).
def _team_json(members) -> list[dict]:
    return [{"name": m.name, "role": m.role, "institution": _code(m.institution)} for m in members]


def _budget_json(lines) -> list[dict]:
    return [
        {
            "category": line.category,
            "description": line.description,
            "amount": _AMOUNT.to_representation(line.amount.amount),
            "currency": line.amount.currency.code,
        }
        for line in lines
    ]


class HalfSerializer(serializers.ModelSerializer):
    """A proposal half, cut down to what the requesting user may see: exactly the fields
    ``funding.visibility.HALF_FIELDS`` lists for the user's level, plus the level itself."""

    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    institution = serializers.SlugRelatedField(slug_field="code", read_only=True)
    visibility = serializers.SerializerMethodField()

    class Meta:
        model = ProposalHalf
        fields = [
            "side",
            "agency",
            "institution",
            "state",
            "submitted_at",
            "screening_reason",
            "visibility",
        ]

    def get_visibility(self, half) -> str | None:
        return visibility_of(viewer(self.context), half)

    def to_representation(self, half):
        user = viewer(self.context)
        level = visibility_of(user, half)
        data = half_data(half, level)
        if data is None:
            return None
        out = {"visibility": level}
        for field, value in data.items():
            out[field] = _HALF_JSON.get(field, _plain)(value)
        from sciencebridge.exclusions.serializers import exclusions_json

        exclusions = exclusions_json(user, half, conflicted_ids(self.context))
        if exclusions is not None:  # that side's officers, and the half's own applicants
            out["expert_exclusions"] = exclusions
        return out


def remember_visibility(user, halves) -> None:
    """Work out how much of each half ``user`` may see, once: the view chooses the rows to read by
    it, and the serializer then cuts each half's JSON to it (``visibility_of``)."""
    for half in halves:
        half.visibility_for = (user.pk, half_visibility(user, half))


def visibility_of(user, half):
    """``half_visibility(user, half)``, as remembered for this user if it was."""
    remembered = getattr(half, "visibility_for", None)
    if remembered is not None and remembered[0] == user.pk:
        return remembered[1]
    return half_visibility(user, half)


def viewer(context: dict):
    """The requesting user itself, kept in the serializer context. ``request.user`` is a lazy
    proxy: each attribute read through it costs several Python calls, and a page of 50 proposals
    reads ~4,600 (the viewer's roles, agency and institution, for each half)."""
    if "viewer" not in context:
        context["viewer"] = unwrapped_user(context["request"].user)
    return context["viewer"]


def conflicted_ids(context: dict):
    """The requesting user's conflicted proposal ids, computed at most once per request (on first
    use: an applicant's list never needs them) and kept in the serializer context."""
    if "conflicted_proposal_ids" not in context:
        from django.utils.functional import SimpleLazyObject

        from sciencebridge.review.conflicts import conflicted_proposal_ids

        user = context["request"].user
        context["conflicted_proposal_ids"] = SimpleLazyObject(lambda: conflicted_proposal_ids(user))
    return context["conflicted_proposal_ids"]


def _plain(value):
    return value


def _code(obj):
    return obj.code if obj is not None else None


#: one field for every timestamp a list shows (a DRF field is costly to build: 50 a page)
_DATETIME = serializers.DateTimeField()


def _when(value):
    return _DATETIME.to_representation(value) if value else None


_HALF_JSON = {
    "agency": _code,
    "institution": _code,
    "submitted_at": _when,
    "lead": lambda u: (u.get_full_name() or u.username) if u else None,
    "team": _team_json,
    "discipline_codes": lambda codes: [c.code for c in codes],
    "industry_sponsorship": str,
    "budget": _budget_json,
    "budget_total": str,
    "attachments": lambda atts: [
        {"kind": a.kind.code, "name": a.original_name, "size": a.size} for a in atts
    ],
}


class ProposalSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    halves = serializers.SerializerMethodField()

    class Meta:
        model = JointProposal
        fields = [
            "id",
            "reference",
            "call",
            "title",
            "abstract",
            "project_type",
            "area",
            "duration_months",
            "created_at",
            "halves",
        ]

    def to_representation(self, proposal):
        """The fields of ``Meta.fields`` (which the OpenAPI schema reads), built as a plain dict:
        DRF's field by field representation, with a field object per value, was a third of the
        serializer's time on the API's page of 50 proposals (``bench/scale.py profile``). The same
        JSON as ``ModelSerializer.to_representation``, tested field for field."""
        return {
            "id": proposal.pk,
            "reference": proposal.reference,
            "call": _code(proposal.call),
            "title": proposal.title,
            "abstract": proposal.abstract,
            "project_type": _code(proposal.project_type),
            "area": _code(proposal.area),
            "duration_months": proposal.duration_months,
            "created_at": _when(proposal.created_at),
            "halves": self.get_halves(proposal),
        }

    def get_halves(self, proposal) -> list[dict]:
        # One for the whole list: DRF's list serializer uses this same child for every row.
        if not hasattr(self, "_half_serializer"):
            self._half_serializer = HalfSerializer(context=self.context)
        ser = self._half_serializer
        return [
            d
            for d in (ser.to_representation(h) for h in related_rows(proposal, "halves"))
            if d is not None
        ]
