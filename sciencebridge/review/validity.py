"""Valid reviews and the rules of a scheme side (issue 17).

A review is **valid** when it is

- *complete*: submitted, with an overall recommendation and a score for every assessment criterion
  of the scheme;
- *on time* (when the side's rules ask for it): submitted by the review deadline of its call and
  side (``ReviewWindow``; without a window every submitted review is on time);
- *free of conflict*: its seat was not ended (a seat declared a conflict or withdrawn never reaches
  "submitted"), and the reviewer is not, as far as the records say today, from the lead institution
  of either half, nor declared a conflict still in force with either half's institution.

``valid_review_counts`` counts them per proposal for a call side in a fixed number of queries
(rules, criteria, windows, one aggregate over the reviews), whatever the number of proposals. A proposal
whose count is below the side's ``min_valid_reviews`` is *not gradable*: the panel shows it apart,
with the count, and refuses a recommendation until more reviews arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .models import AssignmentState, Review, ReviewState, ReviewWindow, SideReviewRules


@dataclass(frozen=True)
class EffectiveRules:
    """The rules that apply to one review (a scheme side, or both sides of a shared review)."""

    configured: bool = False
    reviews_invited: int | None = None
    min_valid_reviews: int = 0
    min_overseas_percent: int = 0
    valid_requires_on_time: bool = True
    similarity_threshold: float | None = None
    max_group_size: int = 4

    def invited(self, policy_reviews: int) -> int:
        return self.reviews_invited or policy_reviews

    def overseas_minimum(self, reviews: int) -> int:
        return min(reviews, -(-reviews * self.min_overseas_percent // 100))


def _from_row(row: SideReviewRules) -> EffectiveRules:
    return EffectiveRules(
        configured=True,
        reviews_invited=row.reviews_invited,
        min_valid_reviews=row.min_valid_reviews,
        min_overseas_percent=row.min_overseas_percent,
        valid_requires_on_time=row.valid_requires_on_time,
        similarity_threshold=(
            None if row.similarity_threshold is None else float(row.similarity_threshold)
        ),
        max_group_size=row.max_group_size,
    )


def side_rules(scheme, side: str) -> EffectiveRules:
    """The rules of ``scheme``'s ``side``; for a shared review (side blank) the stricter of the two
    sides' rules (most reviews, highest overseas share, lowest grouping threshold)."""
    by_side = {
        r.scheme_side.side: r
        for r in SideReviewRules.objects.filter(scheme_side__scheme=scheme).select_related(
            "scheme_side"
        )
    }
    if side:
        row = by_side.get(side)
        return _from_row(row) if row else EffectiveRules()
    rules = [_from_row(r) for r in by_side.values()]
    if not rules:
        return EffectiveRules()
    thresholds = [r.similarity_threshold for r in rules if r.similarity_threshold is not None]
    invited = [r.reviews_invited for r in rules if r.reviews_invited]
    return EffectiveRules(
        configured=True,
        reviews_invited=max(invited) if invited else None,
        min_valid_reviews=max(r.min_valid_reviews for r in rules),
        min_overseas_percent=max(r.min_overseas_percent for r in rules),
        valid_requires_on_time=any(r.valid_requires_on_time for r in rules),
        similarity_threshold=min(thresholds) if thresholds else None,
        max_group_size=min(r.max_group_size for r in rules),
    )


@dataclass
class ValidCount:
    """Reviews of one proposal (on one side): how many were submitted, how many are valid, how many
    the rules require, and why the others do not count."""

    required: int
    valid: int = 0
    submitted: int = 0
    late: int = 0
    incomplete: int = 0
    conflicted: int = 0
    valid_review_ids: list = field(default_factory=list)

    @property
    def gradable(self) -> bool:
        return self.valid >= self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.valid)


def side_deadlines(call, side: str) -> dict[str, object]:
    return dict(
        ReviewWindow.objects.filter(call=call, side__in=[side, ""]).values_list("side", "deadline")
    )


def valid_review_counts(
    call, side: str, *, proposal_ids=None, rules: EffectiveRules | None = None
) -> dict[int, ValidCount]:
    """``{proposal id: ValidCount}`` for the proposals of ``call`` reviewed on ``side`` (their side
    half, and shared reviews of the whole proposal), in four queries. Proposals without any
    submitted review are absent: use ``count_for``."""
    from sciencebridge.experts.models import DeclaredConflict
    from sciencebridge.funding.models import ProposalHalf

    rules = rules or side_rules(call.scheme, side)
    n_criteria = call.scheme.criteria.count()
    deadlines = side_deadlines(call, side)
    qs = Review.objects.filter(state=ReviewState.SUBMITTED, assignment__proposal__call=call)
    if side:
        qs = qs.filter(Q(assignment__half__side=side) | Q(assignment__half__isnull=True))
    if proposal_ids is not None:
        qs = qs.filter(assignment__proposal_id__in=list(proposal_ids))
    same_institution = ProposalHalf.objects.filter(
        proposal_id=OuterRef("assignment__proposal_id"),
        institution_id=OuterRef("assignment__expert__institution_id"),
    )
    today = timezone.localdate()
    # A declared conflict with the institution of either half of the proposal.
    declared = DeclaredConflict.objects.filter(
        Q(until__isnull=True) | Q(until__gte=today),
        expert_id=OuterRef("assignment__expert_id"),
        institution_id__in=ProposalHalf.objects.filter(
            proposal_id=OuterRef(OuterRef("assignment__proposal_id"))
        ).values("institution_id"),
    )
    rows = (
        qs.order_by()
        .annotate(
            n_scored=Count("scores", filter=Q(scores__score__isnull=False)),
            conflict=Exists(same_institution) | Exists(declared),
        )
        .values_list(
            "id",
            "assignment__proposal_id",
            "assignment__state",
            "assignment__run__side",
            "submitted_at",
            "recommendation",
            "n_scored",
            "conflict",
            # grouped on too: the conflict's subqueries read them, and with server-side parameters
            # (settings: prepared statements) PostgreSQL cannot match the subqueries in the GROUP BY
            "assignment__expert_id",
            "assignment__expert__institution_id",
        )
    )
    out: dict[int, ValidCount] = {}
    for (
        rid,
        pid,
        seat_state,
        run_side,
        submitted_at,
        recommendation,
        n_scored,
        conflict,
        *_,
    ) in rows:
        c = out.setdefault(pid, ValidCount(required=rules.min_valid_reviews))
        c.submitted += 1
        if conflict or seat_state != AssignmentState.SUBMITTED:
            c.conflicted += 1
            continue
        if not recommendation or n_scored < n_criteria:
            c.incomplete += 1
            continue
        deadline = deadlines.get(run_side)
        if (
            rules.valid_requires_on_time
            and deadline is not None
            and (submitted_at is None or submitted_at > deadline)
        ):
            c.late += 1
            continue
        c.valid += 1
        c.valid_review_ids.append(rid)
    return out


def count_for(counts: dict[int, ValidCount], proposal_id: int, required: int) -> ValidCount:
    return counts.get(proposal_id) or ValidCount(required=required)
