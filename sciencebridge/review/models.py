"""Reviewer assignment, invitations and reviews.

Each agency reviews the half of a joint proposal submitted to it, with its own experts
(``Assignment.half`` set, ``AssignmentRun.side`` set); a scheme with ``shared_review`` runs one
review of the whole proposal for both agencies (``half`` and ``side`` empty).

Workflow of one reviewer seat (``Assignment``)::

    proposed ──publish──▶ invited ──accept──▶ accepted ──submit review──▶ submitted
       │                    │ └─decline─▶ declined        │
       └─removed by hand    └─conflict─▶ conflict ◀───────┘   (declared on opening the proposal)
                            └─withdrawn (by the officer)

A decline or a declared conflict automatically invites the next-best conflict-free reviewer
(``replacement_for`` links the new seat to the one it replaces).
"""

import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sciencebridge.funding.models import Side

SCORE_MIN = 1
SCORE_MAX = 10


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ReviewPolicy(models.Model):
    """How a scheme's reviews are assigned (one per scheme; defaults apply without one).

    Whether review is shared or per agency, and whether reviewers may read each other's
    reviews, are the scheme's own settings (``Scheme.shared_review``,
    ``Scheme.reviewers_see_other_reviews``)."""

    scheme = models.OneToOneField(
        "funding.Scheme",
        on_delete=models.CASCADE,
        related_name="review_policy",
        verbose_name=_("scheme"),
    )
    reviews_needed = models.PositiveSmallIntegerField(_("reviews per proposal"), default=3)
    max_load = models.PositiveSmallIntegerField(_("maximum reviews per expert"), default=6)
    min_hk_reviewers = models.PositiveSmallIntegerField(
        _("minimum Hong Kong reviewers (shared review)"), default=1
    )
    min_ml_reviewers = models.PositiveSmallIntegerField(
        _("minimum Mainland reviewers (shared review)"), default=1
    )
    candidates_per_proposal = models.PositiveSmallIntegerField(
        _("candidate experts considered per proposal"), default=40
    )
    review_days = models.PositiveSmallIntegerField(
        _("days from invitation to review deadline"), default=28
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder this many days before the deadline"), default=3
    )

    class Meta:
        verbose_name = _("review policy")
        verbose_name_plural = _("review policies")

    def __str__(self):
        return str(self.scheme)


class ReviewWindow(models.Model):
    """The review deadline of one call and side (side blank: the shared review)."""

    call = models.ForeignKey(
        "funding.Call",
        on_delete=models.CASCADE,
        related_name="review_windows",
        verbose_name=_("call"),
    )
    side = models.CharField(_("side"), max_length=2, choices=Side.choices, blank=True)
    deadline = models.DateTimeField(_("review deadline"))
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder days before the deadline"), default=3
    )

    class Meta:
        verbose_name = _("review window")
        constraints = [models.UniqueConstraint(fields=["call", "side"], name="uniq_review_window")]

    def __str__(self):
        return f"{self.call} · {self.get_side_display() or _('shared review')}"

    @property
    def is_open(self) -> bool:
        return timezone.now() < self.deadline


class RunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Solving")
    PROPOSED = "proposed", _("Proposed, not published")
    PUBLISHED = "published", _("Invitations published")
    FAILED = "failed", _("Failed")
    SUPERSEDED = "superseded", _("Superseded by a newer run")


class AssignmentRun(models.Model):
    TRANSITIONS = {
        RunState.QUEUED: {RunState.RUNNING, RunState.FAILED, RunState.SUPERSEDED},
        RunState.RUNNING: {RunState.PROPOSED, RunState.FAILED},
        RunState.PROPOSED: {RunState.PUBLISHED, RunState.SUPERSEDED},
        RunState.FAILED: {RunState.SUPERSEDED},
    }

    call = models.ForeignKey(
        "funding.Call",
        on_delete=models.CASCADE,
        related_name="assignment_runs",
        verbose_name=_("call"),
    )
    side = models.CharField(
        _("side"),
        max_length=2,
        choices=Side.choices,
        blank=True,
        help_text=_("Blank: one shared review for both agencies."),
    )
    mode = models.CharField(_("mode"), max_length=10, default="optimal")
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=RunState.choices, default=RunState.QUEUED, db_index=True
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    objective = models.FloatField(_("total affinity"), null=True, blank=True)
    bound = models.FloatField(_("upper bound"), null=True, blank=True)
    gap = models.FloatField(_("optimality gap"), null=True, blank=True)
    n_proposals = models.PositiveIntegerField(default=0)
    n_experts = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    # {str(half or proposal id): "reason"} for proposals that did not get all their reviewers.
    unassignable = models.JSONField(_("unassignable proposals"), default=dict, blank=True)
    # {unit key: {"candidates": n, "excluded": [{"expert": name, "reasons": [...]}]}}: what the inspect page shows.
    notes = models.JSONField(default=dict, blank=True)
    # Groups of similar proposals given the same reviewers (issue 17): [{"units": [unit keys],
    # "references": [...], "pairs": [[key, key, similarity]], "terms": [[term, weight]],
    # "shared": [expert pk], "status": "full" | "partial" | "none", "dropped_for_coverage": bool}]
    groups = models.JSONField(_("groups of similar proposals"), default=list, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    #: What the run records per unit or group (hundreds of KB for a national call: a JSON decode
    #: of ~7 ms), read only by the run's own page: lists of runs leave them out, and a list of
    #: seats joins each seat's run without them (``without_run_details``); decoded once per seat,
    #: a page of 380 seats took 2 s.
    DETAIL_FIELDS = ("notes", "groups", "unassignable")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assignment run")
        indexes = [models.Index(fields=["call", "side", "state"])]

    def __str__(self):
        return f"{self.call} · {self.get_side_display() or _('shared review')} #{self.pk}"

    MODE_NAMES = {
        "optimal": _("Optimal"),
        "fair": _("Fair"),
        "randomized": _("Randomized"),
        "greedy": _("Greedy"),
    }

    @property
    def mode_name(self) -> str:
        return str(self.MODE_NAMES.get(self.mode, self.mode))

    @property
    def model_label(self) -> str:
        """The text model that scored this run's affinities."""
        from sciencebridge.experts.matching_adapter import model_label

        return model_label(self.parameters.get("model"))


def without_run_details(qs: models.QuerySet, path: str = "run") -> models.QuerySet:
    """``qs`` without the detail fields (``AssignmentRun.DETAIL_FIELDS``) of the runs it selects at
    ``path`` (a queryset of seats or reviews), or of its own rows with ``path=""`` (a queryset of
    runs); read one and it is fetched then."""
    prefix = f"{path}__" if path else ""
    return qs.defer(*(prefix + name for name in AssignmentRun.DETAIL_FIELDS))


class AssignmentState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    REMOVED = "removed", _("Removed by the officer")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CONFLICT = "conflict", _("Conflict declared")
    WITHDRAWN = "withdrawn", _("Withdrawn by the officer")
    SUBMITTED = "submitted", _("Review submitted")


#: Seats that count towards a proposal's reviewers and an expert's load.
ACTIVE_STATES = {
    AssignmentState.PROPOSED,
    AssignmentState.INVITED,
    AssignmentState.ACCEPTED,
    AssignmentState.SUBMITTED,
}
#: Seats whose expert no longer takes part (a replacement is sought).
ENDED_STATES = {
    AssignmentState.DECLINED,
    AssignmentState.CONFLICT,
    AssignmentState.WITHDRAWN,
    AssignmentState.REMOVED,
}


class AssignmentSource(models.TextChoices):
    AUTO = "auto", _("Optimiser")
    MANUAL = "manual", _("Officer, by hand")
    REPLACEMENT = "replacement", _("Automatic replacement")


class Assignment(models.Model):
    TRANSITIONS = {
        AssignmentState.PROPOSED: {AssignmentState.INVITED, AssignmentState.REMOVED},
        AssignmentState.INVITED: {
            AssignmentState.ACCEPTED,
            AssignmentState.DECLINED,
            AssignmentState.CONFLICT,
            AssignmentState.WITHDRAWN,
        },
        AssignmentState.ACCEPTED: {
            AssignmentState.SUBMITTED,
            AssignmentState.CONFLICT,
            AssignmentState.WITHDRAWN,
        },
    }

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="assignments")
    proposal = models.ForeignKey(
        "funding.JointProposal",
        on_delete=models.CASCADE,
        related_name="review_assignments",
        verbose_name=_("proposal"),
    )
    # The half under review; empty for a shared review of the whole proposal.
    half = models.ForeignKey(
        "funding.ProposalHalf",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_assignments",
        verbose_name=_("proposal half"),
    )
    expert = models.ForeignKey(
        "experts.ExpertProfile",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("expert"),
    )
    affinity = models.FloatField(_("affinity"), default=0.0)
    rank = models.PositiveSmallIntegerField(_("rank among candidates"), null=True, blank=True)
    explanation = models.JSONField(_("why chosen"), default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=AssignmentSource.choices, default=AssignmentSource.AUTO
    )
    replacement_for = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replacements"
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AssignmentState.choices,
        default=AssignmentState.PROPOSED,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_note = models.CharField(_("reason given"), max_length=500, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The expert confirmed having no conflict of interest before opening the proposal.
    coi_confirmed_at = models.DateTimeField(_("no conflict confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["state_changed_at", "token"])

    class Meta:
        ordering = ["proposal__reference", "-affinity", "id"]
        verbose_name = _("review assignment")
        indexes = [
            models.Index(fields=["expert", "state"]),
            models.Index(fields=["run", "state"]),
            models.Index(fields=["proposal", "state"]),
            # the latest state change of any seat stamps the dashboard's kept seat counts
            models.Index(fields=["state_changed_at"], name="seat_state_changed_idx"),
        ]

    def __str__(self):
        return f"{self.proposal.reference} · {self.expert}"

    @property
    def side(self) -> str:
        return self.run.side

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class Recommendation(models.TextChoices):
    PRIORITY = "priority", _("Fund with high priority")
    FUND = "fund", _("Fund")
    FUND_IF_POSSIBLE = "possible", _("Fund if money allows")
    DO_NOT_FUND = "reject", _("Do not fund")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Review(models.Model):
    """One expert's review of one assignment (a proposal half, or the whole proposal in a shared
    review). ``weighted_score`` is the criteria-weighted mean of the scores (1–10), set on submission."""

    TRANSITIONS = {ReviewState.DRAFT: {ReviewState.SUBMITTED}}

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    comments_to_applicant = models.TextField(_("comments to the applicant"), blank=True)
    confidential_comments = models.TextField(_("confidential comments to the agency"), blank=True)
    recommendation = models.CharField(
        _("overall recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["state_changed_at", "updated_at"])

    class Meta:
        verbose_name = _("review")
        ordering = ["assignment__proposal__reference", "id"]
        # The panels' ranking cache reads the latest edit of any review on every request.
        indexes = [models.Index(fields=["updated_at"], name="review_updated_idx")]

    def __str__(self):
        return f"{_('Review')} {self.assignment}"

    @property
    def is_submitted(self) -> bool:
        return self.state == ReviewState.SUBMITTED

    def compute_weighted_score(self, scores=None) -> Decimal | None:
        """Weighted mean over criteria with a score (``scores``: ReviewScore rows, criterion loaded)."""
        rows = list(scores if scores is not None else self.scores.select_related("criterion"))
        total_w = sum((r.criterion.weight for r in rows if r.score is not None), Decimal(0))
        if not total_w:
            return None
        value = (
            sum((r.criterion.weight * r.score for r in rows if r.score is not None), Decimal(0))
            / total_w
        )
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "funding.AssessmentCriterion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("criterion"),
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["review", "criterion__order"]
        verbose_name = _("review score")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="uniq_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="review_score_range",
            ),
        ]


class SideReviewRules(models.Model):
    """The published review rules of one scheme side (issue 17): how many reviewers are invited,
    how many *valid* reviews a proposal needs before the panel may grade it, the minimum share of
    overseas reviewers, what counts as a valid review, and when proposals are similar enough to go
    to the same reviewers. Without a row the scheme's ``ReviewPolicy`` applies and every proposal
    is gradable (no minimum).

    NSFC: at least 3 valid reviews. RGC: at least 8 external reviewers invited, mostly from
    overseas, at least 2 reviews to grade."""

    scheme_side = models.OneToOneField(
        "funding.SchemeSide",
        on_delete=models.CASCADE,
        related_name="review_rules",
        verbose_name=_("scheme side"),
    )
    reviews_invited = models.PositiveSmallIntegerField(
        _("reviewers invited per proposal"),
        null=True,
        blank=True,
        help_text=_("Blank: the scheme's review policy (reviews per proposal)."),
    )
    min_valid_reviews = models.PositiveSmallIntegerField(
        _("valid reviews required to grade"), default=2
    )
    min_overseas_percent = models.PositiveSmallIntegerField(
        _("minimum share of overseas reviewers (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Experts whose region is Overseas; rounded up to whole reviewers."),
    )
    valid_requires_on_time = models.BooleanField(
        _("only reviews submitted by the review deadline are valid"), default=True
    )
    similarity_threshold = models.DecimalField(
        _("similarity for grouping proposals (0–1)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1"))],
        help_text=_(
            "Proposals at least this similar (cosine of their TF-IDF vectors) are grouped and "
            "given the same reviewers where loads allow. Blank: no grouping."
        ),
    )
    max_group_size = models.PositiveSmallIntegerField(
        _("largest group of similar proposals"),
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
    )
    source_note = models.TextField(_("where these rules come from"), blank=True)

    class Meta:
        verbose_name = _("review rules of a scheme side")
        verbose_name_plural = _("review rules of scheme sides")

    def __str__(self):
        return str(self.scheme_side)

    def overseas_minimum(self, reviews: int) -> int:
        """Whole overseas reviewers needed among ``reviews`` (the share rounded up)."""
        return min(reviews, -(-reviews * self.min_overseas_percent // 100))
