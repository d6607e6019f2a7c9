"""REST API: an expert's own reviews and invitations; programme officers' assignment runs and seats
(their own agency's side only). Read-only, same object rules as the pages: nothing of a proposal the
caller has a conflict of interest with (an invitation on it shows its reference and state only)."""

from django import forms
from django.db.models import F, Prefetch, Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets

from sciencebridge.accounts.roles import Role
from sciencebridge.review.selectors import officer_seats

from .conflicts import conflicted_proposal_ids, exclude_conflicted
from .models import (
    Assignment,
    AssignmentRun,
    AssignmentState,
    Review,
    ReviewScore,
    ReviewState,
    RunState,
    without_run_details,
)

# ----------------------------------------------------------------------------------------------
# Serializers
# ----------------------------------------------------------------------------------------------


class ReviewScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.name", read_only=True)
    weight = serializers.DecimalField(
        source="criterion.weight", max_digits=5, decimal_places=2, read_only=True
    )

    class Meta:
        model = ReviewScore
        fields = ["criterion", "weight", "score", "comment"]


class MyReviewSerializer(serializers.ModelSerializer):
    proposal = serializers.CharField(source="assignment.proposal.reference", read_only=True)
    side = serializers.CharField(source="assignment.run.side", read_only=True)
    scores = ReviewScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "proposal",
            "side",
            "state",
            "weighted_score",
            "recommendation",
            "comments_to_applicant",
            "confidential_comments",
            "submitted_at",
            "updated_at",
            "scores",
        ]


class MyInvitationSerializer(serializers.ModelSerializer):
    proposal = serializers.CharField(source="proposal.reference", read_only=True)
    title = serializers.SerializerMethodField()
    withheld = serializers.SerializerMethodField()
    call = serializers.CharField(source="proposal.call.code", read_only=True)
    side = serializers.CharField(source="run.side", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "proposal",
            "title",
            "withheld",
            "call",
            "side",
            "state",
            "invited_at",
            "responded_at",
        ]

    def _withheld(self, obj) -> bool:
        return obj.state == AssignmentState.CONFLICT or obj.proposal_id in self.context.get(
            "conflicted", ()
        )

    def get_withheld(self, obj) -> bool:
        """True after a conflict of interest is declared or detected: the title is withheld."""
        return self._withheld(obj)

    def get_title(self, obj) -> str | None:
        return None if self._withheld(obj) else obj.proposal.title


class GroupSerializer(serializers.Serializer):
    references = serializers.ListField(child=serializers.CharField())
    pairs = serializers.ListField(
        child=serializers.ListField(),
        help_text="[reference, reference, cosine similarity] of each linked pair.",
    )
    terms = serializers.ListField(
        child=serializers.ListField(), help_text="[term, weight]: the terms the members share."
    )
    shared = serializers.ListField(
        child=serializers.IntegerField(), help_text="Expert ids reviewing every member."
    )
    status = serializers.ChoiceField(choices=["full", "partial", "none"])
    dropped_for_coverage = serializers.BooleanField()


class RunSerializer(serializers.ModelSerializer):
    call = serializers.CharField(source="call.code", read_only=True)
    groups = serializers.SerializerMethodField(
        help_text="Groups of similar proposals given the same reviewers (where loads allow); "
        "proposals the caller has a conflict of interest with are left out."
    )

    class Meta:
        model = AssignmentRun
        fields = [
            "id",
            "call",
            "side",
            "mode",
            "state",
            "objective",
            "bound",
            "gap",
            "n_proposals",
            "n_experts",
            "seconds",
            "unassignable",
            "groups",
            "created_at",
            "published_at",
        ]

    @extend_schema_field(GroupSerializer(many=True))
    def get_groups(self, obj) -> list:
        conflicted = self.context.get("conflicted")
        if conflicted is None:
            conflicted = self.context["conflicted"] = conflicted_proposal_ids(
                self.context["request"].user
            )
        return visible_groups(obj.groups, conflicted)


def visible_groups(groups: list, conflicted: set) -> list:
    """The run's groups without the proposals the viewer has a conflict of interest with (a group
    left with fewer than two members is not shown at all)."""
    out = []
    for g in groups or []:
        hidden = {
            ref
            for ref, pk in zip(g.get("references", []), g.get("proposals", []), strict=False)
            if pk in conflicted
        }
        refs = [r for r in g.get("references", []) if r not in hidden]
        if len(refs) < 2:
            continue
        out.append(
            {
                "references": refs,
                "pairs": [p for p in g.get("pairs", []) if not ({p[0], p[1]} & hidden)],
                "terms": g.get("terms", []),
                "shared": g.get("shared", []),
                "status": g.get("status", "none"),
                "dropped_for_coverage": bool(g.get("dropped_for_coverage")),
            }
        )
    return out


class SeatSerializer(serializers.ModelSerializer):
    proposal = serializers.CharField(source="proposal.reference", read_only=True)
    side = serializers.CharField(source="run.side", read_only=True)
    expert = serializers.StringRelatedField()
    expert_id = serializers.IntegerField(read_only=True)
    review_state = serializers.SerializerMethodField()
    weighted_score = serializers.SerializerMethodField()
    review_valid = serializers.SerializerMethodField(
        help_text="Whether this seat's review counts as valid (complete, on time, no conflict); "
        "null until it is submitted."
    )
    valid_reviews = serializers.SerializerMethodField(
        help_text="Valid reviews of this proposal on this side."
    )
    reviews_required = serializers.SerializerMethodField(
        help_text="Valid reviews the side's rules require before the panel grades the proposal."
    )
    gradable = serializers.SerializerMethodField(
        help_text="False: too few valid reviews; the panel does not grade the proposal."
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "run",
            "proposal",
            "side",
            "expert",
            "expert_id",
            "affinity",
            "source",
            "state",
            "invited_at",
            "responded_at",
            "review_state",
            "weighted_score",
            "review_valid",
            "valid_reviews",
            "reviews_required",
            "gradable",
        ]

    def _validity(self, obj):
        """(rules, counts) of the seat's call side, computed once per call side in the response."""
        from .validity import valid_review_counts

        cache = self.context.setdefault("validity", {})
        key = (obj.run.call_id, obj.run.side)
        if key not in cache:
            side = obj.half.side if obj.half_id else obj.run.side
            call = obj.run.call
            cache[key] = (
                valid_review_counts(call, side).get,
                side_rules_cached(self.context, call, side).min_valid_reviews,
            )
        get, required = cache[key]
        from .validity import ValidCount

        return get(obj.proposal_id) or ValidCount(required=required)

    def get_review_valid(self, obj) -> bool | None:
        r = self._review(obj)
        if not r or r.state != ReviewState.SUBMITTED:
            return None
        return r.pk in self._validity(obj).valid_review_ids

    def get_valid_reviews(self, obj) -> int:
        return self._validity(obj).valid

    def get_reviews_required(self, obj) -> int:
        return self._validity(obj).required

    def get_gradable(self, obj) -> bool:
        return self._validity(obj).gradable

    def _review(self, obj):
        try:
            return obj.review
        except Review.DoesNotExist:
            return None

    def get_review_state(self, obj) -> str | None:
        r = self._review(obj)
        return r.state if r else None

    def get_weighted_score(self, obj) -> str | None:
        r = self._review(obj)
        return (
            str(r.weighted_score)
            if r and r.state == ReviewState.SUBMITTED and r.weighted_score is not None
            else None
        )


def side_rules_cached(context, call, side):
    from .validity import side_rules

    cache = context.setdefault("side_rules", {})
    if (call.pk, side) not in cache:
        cache[(call.pk, side)] = side_rules(call.scheme, side)
    return cache[(call.pk, side)]


# ----------------------------------------------------------------------------------------------
# Querysets
# ----------------------------------------------------------------------------------------------
def _officer_side_q(user, prefix: str) -> Q:
    """Runs of calls whose scheme gives this officer's agency the run's side (or a shared review)."""
    return Q(
        **{
            f"{prefix}call__scheme__sides__agency_id": user.agency_id,
            f"{prefix}call__scheme__sides__side": F(f"{prefix}side"),
        }
    ) | Q(**{f"{prefix}side": "", f"{prefix}call__scheme__sides__agency_id": user.agency_id})


def officer_runs(user):
    if not (user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return AssignmentRun.objects.none()
    ids = AssignmentRun.objects.filter(_officer_side_q(user, "")).values("id")
    return AssignmentRun.objects.filter(id__in=ids)


class RunFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=RunState.choices)

    class Meta:
        model = AssignmentRun
        fields = ["state"]


@extend_schema(
    description="Assignment runs of the calls where the caller's agency reviews (officers only)."
)
class AssignmentRunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RunSerializer
    filterset_class = RunFilter

    def get_queryset(self):
        # the runs' notes (every unit's candidates and exclusions) are not part of the API
        return (
            officer_runs(self.request.user)
            .select_related("call")
            .defer("notes")
            .order_by("-created_at", "id")
        )


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**31 - 1})
class IdFilter(filters.NumberFilter):
    """A database id: a positive 32-bit integer (anything else is a 400, as the schema says)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


class SeatFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=AssignmentState.choices)
    run = IdFilter(field_name="run_id")

    class Meta:
        model = Assignment
        fields = ["state", "run"]


@extend_schema(
    description="Reviewer seats of the caller's agency's assignment runs (officers only)."
)
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SeatSerializer
    filterset_class = SeatFilter

    def get_queryset(self):
        runs = officer_runs(self.request.user).values("id")
        return without_run_details(
            officer_seats(self.request.user, runs)
            .select_related("proposal", "run__call__scheme", "half", "expert", "review")
            .order_by("id")
        )


class MyReviewFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=ReviewState.choices)

    class Meta:
        model = Review
        fields = ["state"]


@extend_schema(description="The caller's own reviews (as an expert), with per-criterion scores.")
class MyReviewViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MyReviewSerializer
    filterset_class = MyReviewFilter

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return Review.objects.none()
        reviews = (
            exclude_conflicted(
                Review.objects.filter(assignment__expert__user=user), user, "assignment__proposal"
            )
            .exclude(assignment__state=AssignmentState.CONFLICT)
            .select_related("assignment__proposal", "assignment__run")
            .prefetch_related(
                Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion"))
            )
            .order_by("id")
        )
        return without_run_details(reviews, "assignment__run")


@extend_schema(description="The caller's review invitations (as an expert).")
class MyInvitationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MyInvitationSerializer

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "conflicted": conflicted_proposal_ids(self.request.user),
        }

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return Assignment.objects.none()
        return without_run_details(
            Assignment.objects.filter(expert__user=user, run__state=RunState.PUBLISHED)
            .exclude(state__in=[AssignmentState.PROPOSED, AssignmentState.REMOVED])
            .select_related("proposal__call", "run")
            .order_by("id")
        )


def register(router):
    router.register("review/runs", AssignmentRunViewSet, basename="review-run")
    router.register("review/assignments", AssignmentViewSet, basename="review-assignment")
    router.register("review/my-reviews", MyReviewViewSet, basename="review-my-review")
    router.register("review/my-invitations", MyInvitationViewSet, basename="review-my-invitation")
