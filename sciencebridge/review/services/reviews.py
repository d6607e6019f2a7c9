"""The review itself: a form that follows the scheme's criteria and weights, saved drafts, and
submission before the review deadline."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.core.workflow import because, record_initial_state, transition

from ..conflicts import has_conflict
from ..models import (
    SCORE_MAX,
    SCORE_MIN,
    Assignment,
    AssignmentState,
    Review,
    ReviewScore,
    ReviewState,
)
from .assignment import window_for
from .locks import lock


def may_open(user, assignment: Assignment) -> bool:
    """The expert may read the proposal: accepted (or submitted), confirmed having no conflict, and
    no conflict declared or detected since (``conflicts.has_conflict``)."""
    return bool(
        user.is_authenticated
        and assignment.expert.user_id == user.pk
        and assignment.state in (AssignmentState.ACCEPTED, AssignmentState.SUBMITTED)
        and assignment.coi_confirmed_at is not None
        and not has_conflict(user, assignment.proposal_id)
    )


def draft_for(user, assignment: Assignment) -> Review:
    """The expert's review of this assignment, created as a draft with one score row per criterion."""
    if not may_open(user, assignment):
        raise PermissionDenied(_("You may not review this proposal."))
    with transaction.atomic():
        review, created = Review.objects.get_or_create(assignment=assignment)
        if created:
            record_initial_state(review, actor=user)
        criteria = list(assignment.proposal.call.scheme.criteria.all())
        have = set(review.scores.values_list("criterion_id", flat=True))
        ReviewScore.objects.bulk_create(
            [ReviewScore(review=review, criterion=c) for c in criteria if c.pk not in have]
        )
    return review


def deadline_error(assignment: Assignment) -> str | None:
    window = window_for(assignment.run.call, assignment.run.side)
    if window is not None and timezone.now() >= window.deadline:
        return _(
            "The review deadline (%(date)s) has passed, so the review can no longer be submitted. "
            "Your draft is kept; please contact the programme officer."
        ) % {"date": formats.date_format(timezone.localtime(window.deadline), "DATETIME_FORMAT")}
    return None


def save(
    user,
    review: Review,
    *,
    scores: dict[int, int | None],
    score_comments: dict[int, str] | None = None,
    comments_to_applicant: str = "",
    confidential_comments: str = "",
    recommendation: str = "",
    submit: bool = False,
) -> Review:
    """Save the review as a draft, or submit it (all criteria scored, a recommendation and comments
    to the applicant; before the deadline). A draft is saved even when submission is refused."""
    assignment = review.assignment
    if not may_open(user, assignment):
        raise PermissionDenied(_("You may not review this proposal."))
    if review.state != ReviewState.DRAFT:
        raise ValidationError(_("This review has been submitted and can no longer be changed."))
    score_comments = score_comments or {}
    errors: dict[str, list[str]] = {}
    rows = list(review.scores.select_related("criterion"))
    for row in rows:
        value = scores.get(row.criterion_id)
        if value is not None and not (SCORE_MIN <= int(value) <= SCORE_MAX):
            errors.setdefault(f"score_{row.criterion_id}", []).append(
                _("Give a score from %(lo)d to %(hi)d.") % {"lo": SCORE_MIN, "hi": SCORE_MAX}
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for row in rows:
            row.score = scores.get(row.criterion_id)
            row.comment = score_comments.get(row.criterion_id, row.comment) or ""
        ReviewScore.objects.bulk_update(rows, ["score", "comment"])
        review.comments_to_applicant = comments_to_applicant
        review.confidential_comments = confidential_comments
        review.recommendation = recommendation
        review.weighted_score = review.compute_weighted_score(rows)
        review.save()
    if not submit:
        return review

    problems: dict[str, list[str]] = {}
    for row in rows:
        if row.score is None:
            problems.setdefault(f"score_{row.criterion_id}", []).append(
                _("Score every criterion before submitting.")
            )
    if not recommendation:
        problems["recommendation"] = [_("Choose an overall recommendation.")]
    if not comments_to_applicant.strip():
        problems["comments_to_applicant"] = [_("Write comments for the applicant.")]
    late = deadline_error(assignment)
    if late:
        problems.setdefault("__all__", []).append(late)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.state != ReviewState.DRAFT:
            raise ValidationError(_("This review has been submitted and can no longer be changed."))
        lock(assignment)  # an officer may be withdrawing the seat at this moment
        if assignment.state != AssignmentState.ACCEPTED:
            raise ValidationError(
                _("This review seat is no longer yours to submit (%(state)s).")
                % {"state": assignment.get_state_display()}
            )
        review.submitted_at = timezone.now()
        # updated_at too: the panels' ranking cache is stamped with the latest edit of any review.
        transition(
            review,
            ReviewState.SUBMITTED,
            actor=user,
            visible_to_applicant=False,
            update_fields=["submitted_at", "weighted_score", "updated_at"],
        )
        transition(
            assignment,
            AssignmentState.SUBMITTED,
            actor=user,
            reason=because(gettext_noop("Review submitted.")),
            visible_to_applicant=False,
        )
    return review
