"""Panel services: the ranked list of a call's side, the chair's recommendations, the chair's appointment."""

import math
import operator
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.accounts.roles import Role
from sciencebridge.core.request_cache import once_per_request
from sciencebridge.core.workflow import Because, because, transition
from sciencebridge.funding.models import Call, HalfState, ProposalHalf
from sciencebridge.review.conflicts import require_no_conflict

from ..models import Panel, PanelRecommendation, Recommendation
from . import ranking, ranking_cache

#: Halves that reach the panel: screened eligible, and (kept in the list) those already decided.
PANEL_STATES = (HalfState.ELIGIBLE, HalfState.FUNDED, HalfState.NOT_FUNDED)


def panel_for(call: Call, side: str) -> Panel:
    panel, _created = Panel.objects.select_related("chair").get_or_create(call=call, side=side)
    return panel


def side_agency_id(call: Call, side: str) -> int:
    return call.scheme.side(side).agency_id


def panel_halves(call: Call, side: str):
    return (
        ProposalHalf.objects.filter(call=call, side=side, state__in=PANEL_STATES)
        .select_related("proposal", "institution", "lead", "panel_recommendation", "side_decision")
        .order_by("proposal__reference")
    )


def submitted_reviews(call: Call, side: str | None = None, *, proposal=None):
    """Submitted reviews of the call's halves on ``side`` (and of shared reviews of whole proposals)."""
    from sciencebridge.review.models import Review, ReviewState

    qs = Review.objects.filter(state=ReviewState.SUBMITTED)
    qs = (
        qs.filter(assignment__proposal=proposal)
        if proposal is not None
        else qs.filter(assignment__proposal__call=call)
    )
    if side:
        qs = qs.filter(Q(assignment__half__side=side) | Q(assignment__half__isnull=True))
    return (
        qs.select_related("assignment__expert", "assignment__half")
        .prefetch_related("scores")
        .order_by("id")
    )


def side_review_scores(call: Call, side: str, weights: dict) -> list[tuple[int, int, int, float]]:
    """``(review id, proposal id, expert id, weighted score)`` of the side's submitted reviews, in
    review id order, in one query (no model instances: a national call side holds tens of thousands
    of reviews and eight criterion scores each).

    The weighted score is recomputed from the criterion scores with the scheme's current weights,
    criteria in their order (``ranking.weighted_score``, the same float arithmetic as always); a review
    without a scored criterion falls back to its stored ``weighted_score``, and one without either is
    left out."""
    rows = (
        submitted_reviews(call, side)
        .select_related(None)
        .prefetch_related(None)
        .order_by("id", "scores__criterion__order", "scores__criterion_id")
        .values_list(
            "id",
            "assignment__proposal_id",
            "assignment__expert_id",
            "weighted_score",
            "scores__criterion_id",
            "scores__score",
        )
    )
    out = []
    current, marks = None, {}

    def flush():
        review_id, proposal_id, expert_id, stored = current
        w = ranking.weighted_score(marks, weights)
        if w is None and stored is not None:
            w = float(stored)
        if w is not None:
            out.append((review_id, proposal_id, expert_id, w))

    for review_id, proposal_id, expert_id, stored, criterion_id, score in rows:
        if current is None or current[0] != review_id:
            if current is not None:
                flush()
            current, marks = (review_id, proposal_id, expert_id, stored), {}
        if criterion_id is not None:
            marks[criterion_id] = score
    if current is not None:
        flush()
    return out


class LazyRows:
    """A read-only sequence whose elements are built a slice at a time from their keys: ``Paginator``
    asks for ``len()`` and one page slice, so showing 50 rows of a 5,000-row ranking loads 50."""

    def __init__(self, keys: list, build):
        self._keys, self._build = keys, build

    def __len__(self):
        return len(self._keys)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._build(self._keys[index])
        return self._build([self._keys[index]])[0]

    def __iter__(self):
        return iter(self._build(self._keys))


@dataclass
class PanelRow:
    half: ProposalHalf
    result: ranking.ItemResult
    reviews: list = field(default_factory=list)  # [{review, expert, raw, calibrated, offset}]
    validity: object = None  # review.validity.ValidCount: valid reviews against the side's minimum

    @property
    def recommendation(self):
        return getattr(self.half, "panel_recommendation", None)

    @property
    def decision(self):
        return getattr(self.half, "side_decision", None)


@dataclass
class PanelView:
    """The ranking of one panel. ``rows`` (in rank order) and ``reviewers`` (harshest first) are
    sequences that load their halves and experts only for the slice asked for (a page); ``result``
    holds the whole ranking as plain values."""

    panel: Panel
    result: ranking.PanelResult
    criteria: list
    shrinkage: float
    half_proposal: dict  # panel half pk -> proposal pk
    references: dict  # proposal pk -> reference (of the panel halves)
    review_ids: dict  # half pk -> [review pk], as in result.reviews
    detail_pk: int | None = None
    # Halves withheld from the viewer (a conflict of interest with their proposal): they are ranked
    # with the others (the calibration uses every review) but never shown, looked up or counted.
    withheld: frozenset = frozenset()
    scores: list = field(default_factory=list)  # the ranking.ReviewScore inputs
    rules: object = None  # review.validity.EffectiveRules of the side
    validity: dict = field(default_factory=dict)  # half pk -> ValidCount
    side_ranking: "SideRanking | None" = None  # the kept ranking this view was made from
    rows: LazyRows = field(init=False)

    def __post_init__(self):
        # the kept ranking's own list when nothing is withheld: read, never changed
        self.visible_items = (
            [i for i in self.result.items if i.item not in self.withheld]
            if self.withheld
            else self.result.items
        )
        self.rows = LazyRows(self.visible_items, self._rows)

    @cached_property
    def _by_item(self) -> dict:
        return {i.item: i for i in self.visible_items}

    @cached_property
    def reviewers(self) -> LazyRows:
        """Sorted when first asked for: the meeting and the recommendation page show none."""
        return LazyRows(self._reviewer_stats(), self._reviewers)

    def _reviewer_stats(self) -> list:
        """Reviewers harshest first; with withheld halves, their counts and means cover only the
        reviews the viewer may see (a reviewer of withheld halves only is not listed at all)."""
        if not self.withheld:
            return sorted(self.result.reviewers.values(), key=lambda r: r.offset)
        seen: dict = {}
        for s in self.scores:
            if s.item not in self.withheld:
                seen.setdefault(s.reviewer, []).append(s.score)
        out = [
            ranking.ReviewerOffset(r, len(v), sum(v) / len(v), self.result.reviewers[r].offset)
            for r, v in seen.items()
        ]
        return sorted(out, key=lambda r: r.offset)

    @property
    def n_withheld(self) -> int:
        return len(self.withheld)

    def result_for(self, half) -> ranking.ItemResult | None:
        return self._by_item.get(getattr(half, "pk", half))

    def row_for(self, half: ProposalHalf) -> PanelRow | None:
        """The row of ``half`` (the object given, not reloaded), with its reviews in full."""
        item = self.result_for(half)
        if item is None:
            return None
        row = PanelRow(half=half, result=item, validity=self.validity_of(half.pk))
        self._attach_reviews(row)
        return row

    def validity_of(self, half_pk):
        from sciencebridge.review.validity import ValidCount

        found = self.validity.get(half_pk)
        if found is None and self.rules is not None:
            return ValidCount(required=self.rules.min_valid_reviews)
        return found

    @property
    def n_not_gradable(self) -> int:
        return sum(1 for i in self.visible_items if not i.gradable)

    def _attach_reviews(self, row: PanelRow) -> None:
        ids = self.review_ids.get(row.half.pk, [])
        full = (
            submitted_reviews(self.panel.call, self.panel.side).filter(pk__in=ids).in_bulk()
            if ids
            else {}
        )
        for rid, rr in zip(ids, row.result.reviews, strict=False):
            review = full.get(rid)
            row.reviews.append(
                {
                    "review": review,
                    "expert": review.assignment.expert if review else None,
                    "raw": rr.raw,
                    "calibrated": rr.calibrated,
                    "offset": self.result.reviewers[rr.reviewer].offset,
                }
            )

    def _rows(self, items: list) -> list[PanelRow]:
        if not items:
            return []
        # what a row shows: not the lead (a wide user row) nor the proposal's abstract and plan
        halves = (
            panel_halves(self.panel.call, self.panel.side)
            .select_related(None)
            .select_related("proposal", "institution", "panel_recommendation", "side_decision")
            .defer("proposal__abstract", "proposal__plan")
            .order_by()
        )
        if len(items) < len(self.result.items):
            halves = halves.filter(pk__in=[i.item for i in items])
        by_pk = {h.pk: h for h in halves}
        rows = []
        for item in items:
            row = PanelRow(half=by_pk[item.item], result=item, validity=self.validity_of(item.item))
            if item.item == self.detail_pk:
                self._attach_reviews(row)
            rows.append(row)
        return rows

    def _reviewers(self, offsets: list) -> list[dict]:
        from sciencebridge.experts.models import ExpertProfile

        if not offsets:
            return []
        experts = ExpertProfile.objects.only("id", "name_en", "name_zh").in_bulk(
            [r.reviewer for r in offsets]
        )
        return [
            {"expert": experts[r.reviewer], "n": r.n, "mean": r.mean, "offset": r.offset}
            for r in offsets
        ]


def panel_view(
    panel: Panel, *, viewer, shrinkage: float = ranking.DEFAULT_SHRINKAGE, detail_half=None
) -> PanelView:
    """The ranking of the panel's side as ``viewer`` may see it, in a fixed number of queries (criteria,
    the call's halves, the side's rules and deadlines, the stamp of the ranking's other inputs, the
    viewer's conflicts; the panel halves' references, the review scores and the valid counts only
    when the side's ranking is not kept already, ``ranking_cache``; then one per page of rows or of
    reviewers shown, and two for the reviews of a row shown in full), whatever the number of
    proposals and reviews.

    ``viewer`` is required: the halves of proposals the viewer has a conflict of interest with are
    withheld (``review.conflicts``). Only code acting for nobody in particular (the service snapshotting
    a recommendation, the demo) passes ``viewer=None``.

    The ranking itself is ``side_ranking``; the halves, experts and full reviews are loaded only for
    what is shown."""
    from sciencebridge.review.conflicts import conflicted_proposal_ids
    from sciencebridge.review.validity import side_deadlines, side_rules

    call = panel.call
    criteria = list(call.scheme.criteria.all())
    # read once per request: the joint meeting shows both sides of the call
    call_halves = once_per_request(("panel_call_halves", call.pk), lambda: _call_halves_stamp(call))
    rules = side_rules(call.scheme, panel.side)
    stamp = ranking_cache.inputs_stamp(
        criteria=criteria,
        call_halves=call_halves,
        rules=rules,
        deadlines=side_deadlines(call, panel.side),
    )
    side = ranking_cache.side_rankings.get_or_compute(
        (call.pk, panel.side, shrinkage),
        stamp,
        lambda: side_ranking(call, panel.side, criteria, rules, shrinkage),
    )
    conflicted = conflicted_proposal_ids(viewer) if viewer is not None else set()
    withheld = frozenset(pk for pk, proposal_id, _ref in side.halves if proposal_id in conflicted)
    return PanelView(
        panel=panel,
        result=side.result,
        criteria=criteria,
        shrinkage=shrinkage,
        detail_pk=getattr(detail_half, "pk", detail_half),
        withheld=withheld,
        scores=side.scores,
        rules=rules,
        side_ranking=side,
        **side.visible_to(withheld),
    )


def meeting_order(views) -> list[tuple[int, str]]:
    """``(proposal pk, reference)`` of every proposal with a panel half on either side of the joint
    meeting (``views``: one ``PanelView`` per side), in order of its best rank on either side, then
    reference; a proposal ranked on neither side (no review yet) comes last.

    When nothing is withheld from the viewer the order depends on the kept side rankings alone, so
    it is kept with them (sorting 5,000 proposals of 10,000 halves on every request was most of a
    warm meeting page's work)."""
    views = list(views)
    kept = tuple(v.side_ranking for v in views)
    if any(v.withheld for v in views) or None in kept:
        return _order_by_best_rank(views)
    first = kept[0]
    memo = first.meeting_memo.get("order")
    if memo is not None and len(memo[0]) == len(kept) and all(map(operator.is_, memo[0], kept)):
        return memo[1]
    order = _order_by_best_rank(views)
    first.meeting_memo["order"] = (kept, order)  # the latest pairing only
    return order


def _order_by_best_rank(views) -> list[tuple[int, str]]:
    best: dict[int, float] = {}
    references: dict[int, str] = {}
    for view in views:
        references.update(view.references)
        for item in view.visible_items:
            if item.n:
                pid = view.half_proposal[item.item]
                best[pid] = min(best.get(pid, math.inf), item.rank)
    return sorted(references.items(), key=lambda p: (best.get(p[0], math.inf), p[1]))


def _call_halves_stamp(call) -> tuple:
    """``(pk, proposal id, side, state, institution id)`` of every half of the call, as the ranking's
    stamp, read on every request from one covering index (``funding.ProposalHalf``'s
    ``half_call_cover_idx``) without visiting the table or the proposals.

    On PostgreSQL the database reduces them to their number and an MD5 digest of them in id order:
    turning a national call's 10,000 rows into Python tuples and comparing them was 13 ms of a joint
    meeting page, the digest is 4 ms of the database's time."""
    if connection.vendor != "postgresql":
        return tuple(
            ProposalHalf.objects.filter(call=call)
            .order_by("pk")
            .values_list("pk", "proposal_id", "side", "state", "institution_id")
        )
    table = connection.ops.quote_name(ProposalHalf._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), md5(string_agg(concat_ws(',', id, proposal_id, side, state,"
            f" coalesce(institution_id, 0)), ';' ORDER BY id)) FROM {table} WHERE call_id = %s",
            [call.pk],
        )
        return cursor.fetchone()


def _side_panel_halves(call, side: str) -> list:
    """``(pk, proposal id, reference)`` of the side's panel halves, in reference order. A proposal's
    reference is given when it is created and never changes, so the stamp leaves it out."""
    return sorted(
        # the call restated on the proposals: their references are read by the call's index, not
        # by scanning every proposal for the join
        ProposalHalf.objects.filter(
            call=call, proposal__call=call, side=side, state__in=PANEL_STATES
        ).values_list("pk", "proposal_id", "proposal__reference"),
        key=lambda h: h[2],
    )


@dataclass(frozen=True)
class SideRanking:
    """The part of a panel view that is the same for every viewer: shared between requests
    (``ranking_cache``), so never changed after it is built."""

    halves: list  # (pk, proposal id, reference) of the panel halves, in reference order
    result: ranking.PanelResult
    scores: list  # ranking.ReviewScore inputs
    review_ids: dict  # half pk -> [review pk], as in result.reviews
    validity: dict  # half pk -> ValidCount
    # what is derived from this ranking and the other side's for the joint meeting (``meeting_order``)
    meeting_memo: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def half_proposal(self) -> dict:
        return {pk: proposal_id for pk, proposal_id, _ref in self.halves}

    @cached_property
    def references(self) -> dict:
        return {proposal_id: ref for _pk, proposal_id, ref in self.halves}

    def visible_to(self, withheld: frozenset) -> dict:
        """The per-half lookups of a ``PanelView`` without the ``withheld`` halves: the kept dicts
        themselves (read, never changed) when nothing is withheld."""
        if not withheld:
            return {
                "half_proposal": self.half_proposal,
                "references": self.references,
                "review_ids": self.review_ids,
                "validity": self.validity,
            }
        return {
            "half_proposal": {k: v for k, v in self.half_proposal.items() if k not in withheld},
            "references": {
                proposal_id: ref for pk, proposal_id, ref in self.halves if pk not in withheld
            },
            "review_ids": {k: v for k, v in self.review_ids.items() if k not in withheld},
            "validity": {k: v for k, v in self.validity.items() if k not in withheld},
        }


def side_ranking(call, side: str, criteria, rules, shrinkage: float) -> SideRanking:
    """Rank the panel halves of ``call``'s ``side`` on every submitted review of the side (read as plain values: ``side_review_scores``), with the calibrated
    scores kept on the 1–10 scale and the halves with too few valid reviews ranked apart."""
    from sciencebridge.review.models import SCORE_MAX, SCORE_MIN
    from sciencebridge.review.validity import count_for, valid_review_counts

    halves = _side_panel_halves(call, side)
    weights = {c.pk: float(c.weight) for c in criteria}
    by_proposal = {proposal_id: pk for pk, proposal_id, _ref in halves}
    scores, review_ids = [], {}
    for review_id, proposal_id, expert_id, w in side_review_scores(call, side, weights):
        half_pk = by_proposal.get(proposal_id)
        if half_pk is None:
            continue
        scores.append(ranking.ReviewScore(half_pk, expert_id, w))
        review_ids.setdefault(half_pk, []).append(review_id)
    counts = valid_review_counts(call, side, rules=rules) if rules.configured else {}
    validity = {
        pk: count_for(counts, proposal_id, rules.min_valid_reviews)
        for pk, proposal_id, _ref in halves
    }
    result = ranking.rank_panel(
        scores,
        shrinkage=shrinkage,
        items=[pk for pk, _p, _ref in halves],
        scale=(SCORE_MIN, SCORE_MAX),
        not_gradable=[pk for pk, c in validity.items() if not c.gradable],
    )
    return SideRanking(
        halves=halves, result=result, scores=scores, review_ids=review_ids, validity=validity
    )


def appoint_chair(user, panel: Panel, chair) -> Panel:
    if not (
        user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id == side_agency_id(panel.call, panel.side)
    ):
        raise PermissionDenied(
            _("Only the programme officers of this side's agency appoint its panel chair.")
        )
    if chair is None or not chair.has_role(Role.PANEL_CHAIR):
        raise ValidationError({"chair": _("Choose a person who holds the panel chair role.")})
    panel.chair = chair
    panel.save(update_fields=["chair"])
    return panel


def require_gradable(call: Call, half: ProposalHalf) -> None:
    """Refuse to grade a half with fewer valid reviews than its side's rules require."""
    from sciencebridge.review.validity import count_for, side_rules, valid_review_counts

    rules = side_rules(call.scheme, half.side)
    if not rules.min_valid_reviews:
        return
    count = count_for(
        valid_review_counts(call, half.side, proposal_ids=[half.proposal_id]),
        half.proposal_id,
        rules.min_valid_reviews,
    )
    if not count.gradable:
        raise ValidationError(
            {
                "__all__": _(
                    "Not gradable: %(valid)d of %(required)d valid reviews. Invite more reviewers "
                    "before the panel grades this proposal."
                )
                % {"valid": count.valid, "required": count.required}
            }
        )


@transaction.atomic
def record_recommendation(
    user,
    half: ProposalHalf,
    *,
    recommendation: str,
    notes: str,
    conditions: str = "",
    result: ranking.ItemResult | None = None,
) -> PanelRecommendation:
    """``result``: the half's current panel result, when the caller has just computed the panel view
    (the scores shown to the chair are snapshotted with the recommendation)."""
    panel = (
        Panel.objects.select_for_update()
        .select_related("call__scheme")
        .get(call_id=half.proposal.call_id, side=half.side)
    )
    if panel.chair_id != user.pk:
        raise PermissionDenied(_("Only the chair of this panel records its recommendations."))
    require_no_conflict(user, half.proposal_id)
    # Lock the half and its recommendation before checking them: a decision recorded at the same
    # moment (it locks the halves too) is either seen here or waits for this recommendation.
    half = (
        ProposalHalf.objects.select_for_update(of=("self",))
        .select_related("proposal")
        .get(pk=half.pk)
    )
    if half.state != HalfState.ELIGIBLE:
        raise ValidationError(
            {
                "__all__": _(
                    "This half is %(state)s; its panel recommendation can no longer change."
                )
                % {"state": half.get_state_display()}
            }
        )
    if recommendation not in Recommendation.values or not recommendation:
        raise ValidationError({"recommendation": _("Choose a recommendation.")})
    require_gradable(panel.call, half)
    if not notes.strip():
        raise ValidationError({"notes": _("Record the panel's discussion notes.")})
    if recommendation == Recommendation.FUND_CONDITIONS and not conditions.strip():
        raise ValidationError({"conditions": _("State the conditions.")})
    if result is None:
        result = panel_view(panel, viewer=None).result_for(half)
    rec, _created = PanelRecommendation.objects.get_or_create(half=half, defaults={"panel": panel})
    rec = PanelRecommendation.objects.select_for_update().get(pk=rec.pk)
    rec.notes, rec.conditions, rec.recorded_by = notes.strip(), conditions.strip(), user
    if result is not None and result.n:
        rec.raw_score, rec.calibrated_score, rec.rank = result.raw, result.calibrated, result.rank
    rec.save()
    transition(
        rec,
        recommendation,
        actor=user,
        visible_to_applicant=False,
        reason=recommendation_reason(recommendation, rec.notes, rec.conditions),
    )
    return rec


#: The timeline reason of a recommendation, per recommendation, without and with conditions: stored
#: as message ids (``core.workflow.because``) so each reader sees it in their own language.
RECOMMENDATION_REASONS = {
    Recommendation.FUND: (
        gettext_noop("Fund: %(notes)s"),
        gettext_noop("Fund: %(notes)s (Conditions: %(conditions)s)"),
    ),
    Recommendation.FUND_CONDITIONS: (
        gettext_noop("Fund with conditions: %(notes)s"),
        gettext_noop("Fund with conditions: %(notes)s (Conditions: %(conditions)s)"),
    ),
    Recommendation.RESERVE: (
        gettext_noop("Reserve: %(notes)s"),
        gettext_noop("Reserve: %(notes)s (Conditions: %(conditions)s)"),
    ),
    Recommendation.REJECT: (
        gettext_noop("Reject: %(notes)s"),
        gettext_noop("Reject: %(notes)s (Conditions: %(conditions)s)"),
    ),
}


def recommendation_reason(recommendation: str, notes: str, conditions: str = "") -> Because:
    plain, with_conditions = RECOMMENDATION_REASONS[recommendation]
    if conditions:
        return because(with_conditions, notes=notes, conditions=conditions)
    return because(plain, notes=notes)
