"""Panel services: the ranked list of a call's side, the chair's recommendations, the chair's appointment."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sciencebridge.accounts.roles import Role
from sciencebridge.core.workflow import transition
from sciencebridge.funding.models import Call, HalfState, ProposalHalf

from ..models import Panel, PanelRecommendation, Recommendation
from . import ranking

#: Halves that reach the panel: screened eligible, and (kept in the list) those already decided.
PANEL_STATES = (HalfState.ELIGIBLE, HalfState.FUNDED, HalfState.NOT_FUNDED)


def panel_for(call: Call, side: str) -> Panel:
    panel, _created = Panel.objects.get_or_create(call=call, side=side)
    return panel


def side_agency_id(call: Call, side: str) -> int:
    return call.scheme.side(side).agency_id


def panel_halves(call: Call, side: str):
    return (ProposalHalf.objects.filter(proposal__call=call, side=side, state__in=PANEL_STATES)
            .select_related("proposal", "institution", "lead", "panel_recommendation", "side_decision")
            .order_by("proposal__reference"))


def submitted_reviews(call: Call, side: str | None = None, *, proposal=None):
    """Submitted reviews of the call's halves on ``side`` (and of shared reviews of whole proposals)."""
    from sciencebridge.review.models import Review, ReviewState

    qs = Review.objects.filter(state=ReviewState.SUBMITTED)
    qs = qs.filter(assignment__proposal=proposal) if proposal is not None else qs.filter(
        assignment__proposal__call=call)
    if side:
        qs = qs.filter(Q(assignment__half__side=side) | Q(assignment__half__isnull=True))
    return qs.select_related("assignment__expert", "assignment__half").prefetch_related("scores").order_by("id")


@dataclass
class PanelRow:
    half: ProposalHalf
    result: ranking.ItemResult
    reviews: list = field(default_factory=list)   # [(review, reviewer offset, raw, calibrated)]

    @property
    def recommendation(self):
        return getattr(self.half, "panel_recommendation", None)

    @property
    def decision(self):
        return getattr(self.half, "side_decision", None)


@dataclass
class PanelView:
    panel: Panel
    rows: list[PanelRow]
    reviewers: list[dict]
    criteria: list
    shrinkage: float


def panel_view(panel: Panel, *, shrinkage: float = ranking.DEFAULT_SHRINKAGE, detail_half=None) -> PanelView:
    """Everything the panel page shows, in a fixed number of queries.

    Scores are read as plain tuples (a national call side holds tens of thousands of reviews); full
    review objects, with their comments, are loaded only for ``detail_half`` (the recommend page)."""
    from sciencebridge.experts.models import ExpertProfile
    from sciencebridge.review.models import ReviewScore

    call = panel.call
    criteria = list(call.scheme.criteria.all())
    weights = {c.pk: float(c.weight) for c in criteria}
    halves = list(panel_halves(call, panel.side))
    by_proposal = {h.proposal_id: h for h in halves}
    reviews = submitted_reviews(call, panel.side)
    marks = {}
    for review_id, criterion_id, score in (ReviewScore.objects.filter(review__in=reviews.values("pk"))
                                           .values_list("review_id", "criterion_id", "score")):
        marks.setdefault(review_id, {})[criterion_id] = score
    scores, review_ids = [], {}
    for review_id, proposal_id, expert_id, stored in (
            reviews.order_by("id").values_list("id", "assignment__proposal_id", "assignment__expert_id",
                                               "weighted_score")):
        half = by_proposal.get(proposal_id)
        if half is None:
            continue
        w = ranking.weighted_score(marks.get(review_id, {}), weights)
        if w is None and stored is not None:
            w = float(stored)
        if w is None:
            continue
        scores.append(ranking.ReviewScore(half.pk, expert_id, w))
        review_ids.setdefault(half.pk, []).append(review_id)
    result = ranking.rank_panel(scores, shrinkage=shrinkage, items=[h.pk for h in halves])
    experts = ExpertProfile.objects.only("id", "name_en", "name_zh").in_bulk(list(result.reviewers))
    detail_pk = getattr(detail_half, "pk", detail_half)
    full = (reviews.filter(pk__in=review_ids.get(detail_pk, [])).in_bulk() if detail_pk is not None else {})
    by_pk = {h.pk: h for h in halves}
    rows = []
    for item in result.items:
        row = PanelRow(half=by_pk[item.item], result=item)
        if item.item == detail_pk:
            for rid, rr in zip(review_ids.get(item.item, []), item.reviews, strict=False):
                row.reviews.append({"review": full.get(rid), "expert": experts[rr.reviewer], "raw": rr.raw,
                                    "calibrated": rr.calibrated, "offset": result.reviewers[rr.reviewer].offset})
        rows.append(row)
    reviewers = sorted(({"expert": experts[k], "n": v.n, "mean": v.mean, "offset": v.offset}
                        for k, v in result.reviewers.items()), key=lambda d: d["offset"])
    return PanelView(panel=panel, rows=rows, reviewers=reviewers, criteria=criteria, shrinkage=shrinkage)


def appoint_chair(user, panel: Panel, chair) -> Panel:
    if not (user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id == side_agency_id(panel.call, panel.side)):
        raise PermissionDenied(_("Only the programme officers of this side's agency appoint its panel chair."))
    if chair is None or not chair.has_role(Role.PANEL_CHAIR):
        raise ValidationError({"chair": _("Choose a person who holds the panel chair role.")})
    panel.chair = chair
    panel.save(update_fields=["chair"])
    return panel


@transaction.atomic
def record_recommendation(user, half: ProposalHalf, *, recommendation: str, notes: str,
                          conditions: str = "", result: ranking.ItemResult | None = None) -> PanelRecommendation:
    """``result``: the half's current panel result, when the caller has just computed the panel view
    (the scores shown to the chair are snapshotted with the recommendation)."""
    panel = Panel.objects.select_for_update().select_related("call__scheme").get(
        call_id=half.proposal.call_id, side=half.side)
    if panel.chair_id != user.pk:
        raise PermissionDenied(_("Only the chair of this panel records its recommendations."))
    half = ProposalHalf.objects.select_related("proposal").get(pk=half.pk)
    if half.state != HalfState.ELIGIBLE:
        raise ValidationError({"__all__": _("This half is %(state)s; its panel recommendation can no longer change.")
                               % {"state": half.get_state_display()}})
    if recommendation not in Recommendation.values or not recommendation:
        raise ValidationError({"recommendation": _("Choose a recommendation.")})
    if not notes.strip():
        raise ValidationError({"notes": _("Record the panel's discussion notes.")})
    if recommendation == Recommendation.FUND_CONDITIONS and not conditions.strip():
        raise ValidationError({"conditions": _("State the conditions.")})
    if result is None:
        row = next((r for r in panel_view(panel).rows if r.half.pk == half.pk), None)
        result = row.result if row is not None else None
    rec, _created = PanelRecommendation.objects.get_or_create(half=half, defaults={"panel": panel})
    rec.notes, rec.conditions, rec.recorded_by = notes.strip(), conditions.strip(), user
    if result is not None and result.n:
        rec.raw_score, rec.calibrated_score, rec.rank = result.raw, result.calibrated, result.rank
    rec.save()
    label = dict(Recommendation.choices)[recommendation]
    transition(rec, recommendation, actor=user, visible_to_applicant=False,
               reason=f"{label}: {rec.notes}" + (f" ({_('Conditions')}: {rec.conditions})" if rec.conditions else ""))
    return rec
