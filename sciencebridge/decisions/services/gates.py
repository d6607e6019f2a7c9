"""When a half may be decided: the gates the decision service enforces and the pages use to offer
(or not) the "Decide" button — one function, so a button is never offered and then refused.

A side decides a half only after

1. the call has closed for proposals,
2. the review stage of that side (or the shared review) has closed: its review deadline is set and
   has passed, and
3. the panel has recorded its recommendation on the half.

An officer may decide before that only by overriding, with a reason that is stored on the decision's
timeline together with the gates that were still closed.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sciencebridge.funding.models import ProposalHalf


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def review_stage_blockers(call, *, now=None) -> dict[str, list[str]]:
    """Per side (``"HK"``, ``"ML"``): why the call's review stage has not closed for that side (empty
    list: closed). One query (the call's review windows), for a page that shows many halves."""
    from sciencebridge.review.models import ReviewWindow

    now = now or timezone.now()
    windows = {w.side: w for w in ReviewWindow.objects.filter(call_id=call.pk)}
    common = []
    if now < call.closes_at:
        common.append(
            _("The call is still open for proposals (it closes on %(date)s).")
            % {"date": _when(call.closes_at)}
        )
    out = {}
    for side in ("HK", "ML"):
        window = windows.get("" if call.scheme.shared_review else side)
        reasons = list(common)
        if window is None:
            reasons.append(
                _("The review stage has not closed: no review deadline is set for this side.")
            )
        elif now < window.deadline:
            reasons.append(
                _("The review stage is open until %(date)s.") % {"date": _when(window.deadline)}
            )
        out[side] = reasons
    return out


def decision_blockers(
    half: ProposalHalf, *, stage: dict[str, list[str]] | None = None, now=None
) -> list[str]:
    """Why ``half`` may not be decided yet (empty: every gate is open). ``stage``: the call's
    ``review_stage_blockers`` when the caller shows many halves of one call; the panel recommendation
    is read from ``half.panel_recommendation`` (select it with the half to avoid a query)."""
    if stage is None:
        stage = review_stage_blockers(half.proposal.call, now=now)
    rec = _recommendation(half)
    return blockers(stage[half.side], recommended=rec is not None and bool(rec.recommendation))


def blockers(stage: list[str], *, recommended: bool) -> list[str]:
    """``decision_blockers`` of a half from what it is made of: the review stage's blockers of the
    half's side (``review_stage_blockers(call)[side]``) and whether the panel has recorded its
    recommendation on it."""
    out = list(stage)
    if not recommended:
        out.append(_("The panel has not recorded its recommendation on this half."))
    return out


def _recommendation(half):
    from ..models import PanelRecommendation

    try:
        return half.panel_recommendation
    except PanelRecommendation.DoesNotExist:
        return None


def may_decide_now(half: ProposalHalf, *, stage=None) -> bool:
    return not decision_blockers(half, stage=stage)
