"""The joint decision: each agency decides for its own half, within its own call budget and currency.

Rules
-----
- Only a programme officer of the half's agency decides, once, for an eligible half.
- "Fund" needs an amount in the side's currency (HKD for Hong Kong, RMB for the Mainland), at most the
  per-project ceiling, and at most what is left of the side's call budget. The call row is locked
  (``select_for_update``) and the side's committed total is summed in the same transaction, so two
  officers deciding at the same moment can never push a side past its budget together.
- A "fund" decision commits the money at once (state COMMITTED). When the partner side has also funded,
  both decisions become AWARDED, both halves move to FUNDED with their awarded amount and
  ``proposal_jointly_funded`` is sent.
- "Do not fund" moves the half to NOT_FUNDED. A joint project needs both sides, so the partner half is
  closed too: a partner commitment is RELEASED (its money goes back to its side's budget) and the
  partner half moves to NOT_FUNDED, with the reason recorded. A side cannot fund after its partner
  declined.
- When the outcome is final the applicants of both halves are e-mailed in their own language and can
  read the decision, their letter (PDF) and the anonymised reviewer comments.
- Gates (``gates.decision_blockers``): only after the call has closed, the side's review stage has
  closed and the panel has recommended on the half — unless the officer overrides with a reason,
  which is recorded on the decision's timeline with the gates that were still closed.
- An officer with a conflict of interest with the proposal (``review.conflicts``) cannot decide it.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.workflow import Because, because, reason_fields, transition
from sciencebridge.funding.models import (
    SIDE_CURRENCY,
    Call,
    HalfState,
    ProposalHalf,
    Side,
    other_side,
)
from sciencebridge.funding.signals import proposal_jointly_funded
from sciencebridge.review.conflicts import require_no_conflict

from ..models import COMMITTING_STATES, DecisionState, SideDecision
from .gates import decision_blockers, review_stage_blockers


def side_budget(call: Call, side: str) -> Money | None:
    return call.budget_hk if side == Side.HONG_KONG else call.budget_ml


def committed_total(call: Call, side: str) -> Decimal:
    agg = SideDecision.objects.filter(call=call, side=side, state__in=COMMITTING_STATES).aggregate(
        s=Sum("amount")
    )
    return agg["s"] or Decimal(0)


def budget_summary(call: Call) -> list[dict]:
    """Per side: budget, awarded, committed-awaiting-partner, committed total, remaining (one query)."""
    rows = (
        SideDecision.objects.filter(call=call, state__in=COMMITTING_STATES)
        .values("side", "state")
        .annotate(s=Sum("amount"))
    )
    sums = {(r["side"], r["state"]): r["s"] or Decimal(0) for r in rows}
    out = []
    for side in call.scheme.side_codes():
        cur = SIDE_CURRENCY[side]
        budget = side_budget(call, side)
        awarded = sums.get((side, DecisionState.AWARDED), Decimal(0))
        pending = sums.get((side, DecisionState.COMMITTED), Decimal(0))
        committed = awarded + pending
        total = budget.amount if budget is not None else None
        out.append(
            {
                "side": side,
                "label": Side(side).label,
                "currency": cur,
                "budget": Money(total, cur) if total is not None else None,
                "awarded": Money(awarded, cur),
                "pending": Money(pending, cur),
                "committed": Money(committed, cur),
                "remaining": Money(total - committed, cur) if total is not None else None,
                "pct_awarded": _pct(awarded, total),
                "pct_pending": _pct(pending, total),
            }
        )
    return out


def _pct(part, total) -> float:
    return float(min(Decimal(100), part * 100 / total)) if total else 0.0


def parse_amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Enter the amount as a number.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    return amount.quantize(Decimal("0.01"))


def may_decide_for(user, half: ProposalHalf) -> bool:
    """The user is a programme officer of the half's agency (conflicts are checked separately)."""
    return bool(
        user.is_authenticated
        and user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id
        and user.agency_id == half.agency_id
    )


@transaction.atomic
def decide(
    user,
    half: ProposalHalf,
    *,
    fund: bool,
    amount=None,
    reason: "str | Because" = "",
    conditions: str = "",
    override_reason: str = "",
) -> SideDecision:
    """Record this side's decision. ``override_reason``: why the officer decides although a gate is
    still closed (ignored when every gate is open). ``reason``: the officer's words, or a reason written
    by the platform (``because(...)``, e.g. a bulk decision): then the decision's timeline steps read it
    in each viewer's language and the decision's ``reason`` field keeps its English wording."""
    step_reason = reason if isinstance(reason, Because) else None
    if step_reason is not None:
        reason = reason_fields(step_reason)["reason"]
    if not may_decide_for(user, half):
        raise PermissionDenied(
            _("Only %(agency)s's programme officers decide for this half.")
            % {"agency": half.agency}
        )
    require_no_conflict(user, half.proposal_id)
    # Lock order everywhere: the call row, then the proposal's halves, then their decisions.
    call = Call.objects.select_for_update().get(pk=half.proposal.call_id)
    # of=("self",): lock the halves only, not the joined agency row (that would serialise every decision
    # of an agency and hide whether the call-row lock does its job).
    halves = {
        h.side: h
        for h in ProposalHalf.objects.select_for_update(of=("self",))
        .select_related("proposal", "agency")
        .filter(proposal_id=half.proposal_id)
    }
    half = halves[half.side]
    partner = halves.get(other_side(half.side))
    decisions = {
        d.side: d for d in SideDecision.objects.select_for_update().filter(half__in=halves.values())
    }
    mine = decisions.get(half.side)
    theirs = decisions.get(partner.side) if partner else None
    if mine is not None and mine.state:
        raise ValidationError(
            {
                "__all__": _("This side has already decided: %(state)s.")
                % {"state": mine.get_state_display()}
            }
        )
    if half.state != HalfState.ELIGIBLE:
        raise ValidationError(
            {
                "__all__": _("Only a half screened eligible can be decided; this one is %(state)s.")
                % {"state": half.get_state_display()}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Record the reason for the decision.")})
    blockers = decision_blockers(half, stage=review_stage_blockers(call))
    if blockers and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": [
                    _("This half cannot be decided yet:"),
                    *blockers,
                    _(
                        "To decide anyway, give the reason for overriding; it is recorded on the timeline."
                    ),
                ]
            }
        )
    now = timezone.now()
    mine = mine or SideDecision.objects.create(call=call, side=half.side, half=half)
    mine.decided_by, mine.decided_at, mine.reason = user, now, reason.strip()
    if blockers:
        mine.reason += " " + _("[Override of the decision gates (%(gates)s): %(why)s]") % {
            "gates": " ".join(blockers),
            "why": override_reason.strip(),
        }
    if not fund:
        return _decline(user, call, half, mine, partner, theirs, now, step_reason)
    single = not call.scheme.is_joint
    if single:
        check_quota(call)
    if not single and (
        partner is None
        or partner.state != HalfState.ELIGIBLE
        or (theirs is not None and theirs.state not in ("", *COMMITTING_STATES))
    ):
        raise ValidationError(
            {
                "__all__": _(
                    "The partner half cannot be funded (it is %(state)s); a joint project "
                    "is funded only when both sides fund it, so this side can only "
                    "decide not to fund."
                )
                % {"state": partner.get_state_display() if partner else "—"}
            }
        )
    value = parse_amount(amount)
    cur = SIDE_CURRENCY[half.side]
    ceiling = call.ceiling_for(half.side)
    if ceiling is not None and value > ceiling:
        raise ValidationError(
            {
                "amount": _("%(amount)s is over this side's per-project ceiling of %(ceiling)s.")
                % {"amount": Money(value, cur), "ceiling": Money(ceiling, cur)}
            }
        )
    budget = side_budget(call, half.side)
    if budget is None:
        raise ValidationError(
            {
                "amount": _(
                    "The call has no budget set for the %(side)s, so nothing can be "
                    "committed; set the call's budget first."
                )
                % {"side": half.get_side_display()}
            }
        )
    committed = committed_total(call, half.side)
    remaining = budget.amount - committed
    if value > remaining:
        raise ValidationError(
            {
                "amount": _(
                    "Not enough budget: %(remaining)s remains of the %(side)s budget of %(budget)s (%(committed)s already "
                    "committed), so %(amount)s cannot be awarded. Lower the amount or decide on other proposals first."
                )
                % {
                    "remaining": Money(remaining, cur),
                    "side": half.get_side_display(),
                    "budget": Money(budget.amount, cur),
                    "committed": Money(committed, cur),
                    "amount": Money(value, cur),
                }
            }
        )
    mine.amount = Money(value, cur)
    mine.conditions = conditions.strip()
    mine.save(
        update_fields=[
            "amount",
            "amount_currency",
            "conditions",
            "reason",
            "decided_by",
            "decided_at",
        ]
    )
    if not single and (theirs is None or theirs.state != DecisionState.COMMITTED):
        transition(
            mine,
            DecisionState.COMMITTED,
            actor=user,
            visible_to_applicant=False,
            reason=step_reason
            or because(
                gettext_noop("Fund %(amount)s; awaiting the partner side. %(reason)s"),
                amount=mine.amount,
                reason=mine.reason,
            ),
        )
        return mine
    # Second side funds: the joint project is funded (a national programme: its one agency funds).
    pairs = ((mine, half),) if single else ((theirs, partner), (mine, half))
    for d, h in pairs:
        transition(
            d,
            DecisionState.AWARDED,
            actor=user,
            visible_to_applicant=False,
            reason=because(gettext_noop("Both sides fund the joint project."))
            if d is theirs
            else step_reason or mine.reason,
        )
        h.awarded_amount = d.amount
        h.decided_at = now
        transition(
            h,
            HalfState.FUNDED,
            actor=d.decided_by,
            reason=because(gettext_noop("Funded: %(amount)s."), amount=d.amount),
            update_fields=["awarded_amount", "awarded_amount_currency", "decided_at"],
        )
    proposal = half.proposal
    proposal_jointly_funded.send(sender=SideDecision, proposal=proposal, actor=user)
    _announce(proposal)
    return mine


def awarded_count(call: Call) -> int:
    return SideDecision.objects.filter(call=call, state=DecisionState.AWARDED).count()


def check_quota(call: Call) -> None:
    """A national programme's exercise makes at most ``call.award_quota`` awards."""
    if call.award_quota is None:
        return
    n = awarded_count(call)
    if n >= call.award_quota:
        raise ValidationError(
            {
                "__all__": _(
                    "The quota of this exercise is reached: %(n)d of %(quota)d awards have been made, "
                    "so no further award can be decided. Decide not to fund, or ask for the quota to be "
                    "raised."
                )
                % {"n": n, "quota": call.award_quota}
            }
        )


def _decline(user, call, half, mine, partner, theirs, now, step_reason=None) -> SideDecision:
    mine.amount = None
    mine.save(update_fields=["amount", "amount_currency", "reason", "decided_by", "decided_at"])
    # The officer's reason stays internal; the applicants read the outcome.
    transition(
        mine,
        DecisionState.DECLINED,
        actor=user,
        reason=step_reason or mine.reason,
        visible_to_applicant=False,
    )
    half.decided_at = now
    transition(
        half,
        HalfState.NOT_FUNDED,
        actor=user,
        update_fields=["decided_at"],
        reason=because(gettext_noop("Not funded by %(agency)s."), agency=half.agency),
    )
    if partner is not None and partner.state == HalfState.ELIGIBLE:
        why = _(
            "The %(side)s decided not to fund; a joint project is funded only when both sides fund it."
        ) % {"side": half.get_side_display()}
        if theirs is None:
            theirs = SideDecision.objects.create(call=call, side=partner.side, half=partner)
        if theirs.state == DecisionState.COMMITTED:
            why = f"{why} " + _(
                "The commitment of %(amount)s is released to the %(side)s budget."
            ) % {"amount": theirs.amount, "side": partner.get_side_display()}
        theirs.decided_at = now
        theirs.save(update_fields=["decided_at"])
        transition(
            theirs, DecisionState.RELEASED, actor=user, reason=why, visible_to_applicant=False
        )
        partner.decided_at = now
        transition(
            partner, HalfState.NOT_FUNDED, actor=user, reason=why, update_fields=["decided_at"]
        )
    _announce(half.proposal)
    return mine


def _announce(proposal) -> None:
    """Tell the applicants of both halves, each in their own language, once the outcome is final."""
    from .letters import notify_outcome

    transaction.on_commit(lambda: notify_outcome(proposal.pk))
