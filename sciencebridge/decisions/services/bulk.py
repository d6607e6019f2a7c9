"""Decisions in bulk for one side of a call: "fund the panel's top N within the side's budget, regret
the rest".

Two steps, for the programme officer who decides on that side (``may_decide_side``):

1. ``plan_bulk_decisions``: the side's panel ranking as the officer may see it (proposals the officer
   has a conflict with are withheld and only counted), split into the candidates and the proposals left
   out (already decided, not gradable, a decision gate still closed, a partner half that cannot be
   funded, nothing requested on this side). The top ``n`` candidates are funded with their requested
   amount (at most the per-project ceiling), the others regretted. ``n`` defaults to as many, in
   ranking order, as the remaining budget (and a national programme's award quota) allows; a funded
   proposal that does not fit is flagged and the plan cannot be confirmed. The plan carries a
   ``fingerprint``: a hash of what it decides and of the state it was computed from.
2. ``decide_in_bulk``: in one transaction, under the call-row lock the single decision takes, the plan
   is computed again; if its fingerprint differs from the previewed one (someone decided, a budget
   changed...) nothing is recorded. Otherwise every proposal is decided through ``decisions.decide``
   (each gets its own timeline steps, with the officer and a reason naming its rank); the applicants'
   e-mails go out only after the commit (``decide`` registers them with ``transaction.on_commit``).

A bulk decision never overrides a decision gate: a proposal whose gates are still closed is left out
(and can be decided, with an override reason, on its own decision page).
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.aggregates import per_row
from sciencebridge.core.workflow import because
from sciencebridge.funding.models import (
    SIDE_CURRENCY,
    BudgetLine,
    Call,
    HalfState,
    ProposalHalf,
    other_side,
)

from ..models import COMMITTING_STATES, DecisionState
from . import decisions as dsvc
from . import gates
from . import panel as psvc

FUND, REGRET = "fund", "regret"

# Why a proposal of the side is left out of a bulk decision (code -> label).
DECIDED, NOT_GRADABLE, GATES, PARTNER, NO_AMOUNT = (
    "decided",
    "not_gradable",
    "gates",
    "partner",
    "no_amount",
)


def may_decide_side(user, call: Call, side: str) -> bool:
    """A programme officer of the agency that funds ``side`` of the call (the one who decides there)."""
    scheme_side = call.scheme.side(side)
    return bool(
        user.is_authenticated
        and user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id
        and scheme_side is not None
        and user.agency_id == scheme_side.agency_id
    )


def require_may_decide_side(user, call: Call, side: str) -> None:
    if not may_decide_side(user, call, side):
        raise PermissionDenied(
            _("Only the programme officers of this side's agency decide on its proposals.")
        )


@dataclass(slots=True)
class HalfRow:
    """What the plan reads of one panel half, as plain values (``_side_halves``); the half itself
    is loaded only for the rows a page shows (``BulkPlan.show``)."""

    pk: int
    state: str
    decision_state: str  # "" when undecided
    recommendation: str  # the panel's, "" when none is recorded
    requested_total: Decimal  # in the side's currency
    partner_half_state: str | None
    partner_decision_state: str | None
    halves: _Halves

    @property
    def half(self) -> ProposalHalf:
        return self.halves.get(self.pk)


class _Halves:
    """The plan's ``ProposalHalf`` instances, loaded on first use: those a page shows
    (``BulkPlan.show``), or on any other read every half of the plan not loaded yet, in one query."""

    def __init__(self, call: Call, pks: list[int]):
        self.call, self.pks, self.loaded = call, pks, {}

    def load(self, pks) -> None:
        missing = [pk for pk in pks if pk not in self.loaded]
        if not missing:
            return
        halves = (
            ProposalHalf.objects.filter(pk__in=missing)
            # not the lead, the agency nor the proposal's long texts (``preview_letters`` reads
            # its two halves whole)
            .select_related("proposal", "institution")
            .defer("proposal__abstract", "proposal__plan")
        )
        for h in halves:
            h.proposal.call = self.call
            self.loaded[h.pk] = h

    def get(self, pk: int) -> ProposalHalf:
        if pk not in self.loaded:
            self.load(self.pks)
        return self.loaded[pk]


@dataclass
class PlanItem:
    row: HalfRow
    rank: int
    decision: str  # FUND or REGRET
    amount: Money | None = None
    fits: bool = True  # a funded proposal within the remaining budget (and quota)
    partner_state: str = ""  # the partner half's decision state, for the fingerprint

    @property
    def half(self) -> ProposalHalf:
        return self.row.half

    @property
    def funded(self) -> bool:
        return self.decision == FUND

    @property
    def partner_state_label(self) -> str:
        return DecisionState(self.partner_state).label if self.partner_state else ""


@dataclass
class Excluded:
    row: HalfRow
    rank: int | None
    code: str
    why: str

    @property
    def half(self) -> ProposalHalf:
        return self.row.half


@dataclass
class BulkPlan:
    call: Call
    side: str
    currency: str
    n: int
    default_n: int
    total: int  # ranked (gradable, reviewed) proposals of the side, the "of 12" of the reasons
    items: list[PlanItem]
    excluded: list[Excluded]
    n_withheld: int
    budget: Money | None
    committed: Money
    quota_left: int | None = None
    errors: list[str] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def funded(self) -> list[PlanItem]:
        return [i for i in self.items if i.funded]

    @property
    def regretted(self) -> list[PlanItem]:
        return [i for i in self.items if not i.funded]

    @property
    def change(self) -> Money:
        return Money(sum((i.amount.amount for i in self.funded), Decimal(0)), self.currency)

    @property
    def committed_after(self) -> Money:
        return self.committed + self.change

    @property
    def remaining(self) -> Money | None:
        return self.budget - self.committed if self.budget is not None else None

    @property
    def remaining_after(self) -> Money | None:
        return self.budget - self.committed_after if self.budget is not None else None

    @property
    def n_over(self) -> int:
        return sum(1 for i in self.funded if not i.fits)

    @property
    def confirmable(self) -> bool:
        return bool(self.items) and not self.errors

    def show(self, *entries) -> None:
        """Load the halves of the ``entries`` (plan items or excluded rows) a page lists, in one
        query: a national side has thousands, and a page lists a few hundred."""
        if entries:
            entries[0].row.halves.load([e.row.pk for e in entries])


def _requested(row: HalfRow, ceiling) -> Decimal:
    """What the half asks for in the side's currency (``requested_total``, summed in the database by
    ``_side_halves``), at most the per-project ceiling (the amount the single decision page
    suggests)."""
    amount = row.requested_total
    if ceiling is not None and amount > ceiling:
        amount = ceiling
    return amount.quantize(Decimal("0.01"))


def _side_halves(call: Call, side: str, visible: set[int]) -> dict[int, HalfRow]:
    """The ``visible`` panel halves of the side as ``HalfRow``, in two queries whatever their
    number: the halves with their decision, recommendation and the amount they request in the
    side's currency (summed per half in the database), and the partner halves' states and decisions,
    read by the call's index and put with their halves here by proposal (as two subqueries per half
    they took 20 of the page's 34 ms of SQL on 2,544 halves; issue 16). No model instance is built
    (a national side has 5,000 halves: loading every budget line and partner half took ~0.5 s,
    building the halves with their proposals ~0.15 s). The withheld halves are skipped here: a list
    of thousands of ids in the query cost more to build than the rows it saves. The amounts are
    summed per half by its index: grouped over a join of the side's halves, the planner read every
    budget line of every call (65 ms)."""
    lines = BudgetLine.objects.filter(amount_currency=SIDE_CURRENCY[side])
    halves = (
        ProposalHalf.objects.filter(call=call, side=side, state__in=psvc.PANEL_STATES)
        .order_by()
        .annotate(
            requested_total=per_row(
                lines, "half", Sum("amount"), output_field=AMOUNT, default=Decimal(0)
            )
        )
        .values_list(
            "pk",
            "proposal_id",
            "state",
            "side_decision__state",
            "panel_recommendation__recommendation",
            "requested_total",
        )
    )
    partners = {
        proposal: (state, decided)
        for proposal, state, decided in ProposalHalf.objects.filter(
            call=call, side=other_side(side)
        )
        .order_by()
        .values_list("proposal_id", "state", "side_decision__state")
    }
    rows = [r for r in halves if r[0] in visible]
    loader = _Halves(call, [r[0] for r in rows])
    return {
        pk: HalfRow(
            pk,
            state,
            decided or "",
            rec or "",
            requested,
            *partners.get(proposal, (None, None)),
            loader,
        )
        for pk, proposal, state, decided, rec, requested in rows
    }


AMOUNT = DecimalField(max_digits=16, decimal_places=2)


def _why(code: str, *args) -> str:
    """Why a half is left out with ``code`` (empty for ``GATES`` and ``PARTNER``: it is not), in the
    active language, from what that reason depends on (``args``)."""
    if code == DECIDED:
        half_state, decision_state = args
        label = (
            DecisionState(decision_state).label if decision_state else HalfState(half_state).label
        )
        return _("Already decided: %(state)s.") % {"state": label}
    if code == NOT_GRADABLE:
        return _("Not gradable: too few valid reviews to be ranked.")
    if code == GATES:
        stage, recommended = args
        return " ".join(gates.blockers(list(stage), recommended=recommended))
    if code == PARTNER:
        return _partner_blocker(*args)
    return _("No amount is requested on this side; decide it on its own page.")


def _partner_blocker(partner_half_state: str | None, partner_decision_state: str) -> str:
    """Why the partner half cannot be funded with this one (empty: it can), as ``decide`` checks it."""
    if partner_half_state != HalfState.ELIGIBLE:
        return _(
            "The partner half cannot be funded (it is %(state)s); decide this proposal on its own page."
        ) % {"state": HalfState(partner_half_state).label if partner_half_state else "—"}
    if partner_decision_state not in ("", *COMMITTING_STATES):
        return _("The partner side has decided not to fund; decide this proposal on its own page.")
    return ""


def _partner_state(row: HalfRow) -> str:
    """The partner half's decision state ("" when undecided or when there is no partner half)."""
    return row.partner_decision_state or ""


def plan_bulk_decisions(user, call: Call, side: str, *, n: int | None = None) -> BulkPlan:
    """The bulk decision ``user`` would record on ``side`` of ``call``: the top ``n`` candidates funded,
    the rest regretted (``n=None``: as many as fit the remaining budget). Reads the ranking of the whole
    side once and the shown halves in a fixed number of queries."""
    require_may_decide_side(user, call, side)
    single = not call.scheme.is_joint
    panel = psvc.panel_for(call, side)
    panel.call = call
    view = psvc.panel_view(panel, viewer=user)
    halves = _side_halves(call, side, {i.item for i in view.visible_items})
    stage = gates.review_stage_blockers(call)
    ceiling = call.ceiling_for(side)
    currency = SIDE_CURRENCY[side]
    budget = dsvc.side_budget(call, side)
    committed = dsvc.committed_total(call, side)
    ranked = [i for i in view.result.items if i.n and i.gradable]

    candidates: list[tuple[HalfRow, int, Decimal]] = []
    excluded: list[Excluded] = []
    # The reasons are the same for every half in the same case: each is worded once per plan (the
    # 2,544 halves of a national side asked for ~3,900 translations).
    why = functools.cache(_why)
    for item in view.visible_items:
        half = halves[item.item]
        rank = item.rank if item.n and item.gradable else None
        if half.state != HalfState.ELIGIBLE or half.decision_state:
            excluded.append(
                Excluded(half, rank, DECIDED, why(DECIDED, half.state, half.decision_state))
            )
            continue
        if not (item.n and item.gradable):
            excluded.append(Excluded(half, None, NOT_GRADABLE, why(NOT_GRADABLE)))
            continue
        blockers = why(GATES, tuple(stage[side]), bool(half.recommendation))
        if blockers:
            excluded.append(Excluded(half, rank, GATES, blockers))
            continue
        if not single:
            blocker = why(PARTNER, half.partner_half_state, _partner_state(half))
            if blocker:
                excluded.append(Excluded(half, rank, PARTNER, blocker))
                continue
        amount = _requested(half, ceiling)
        if amount <= 0:
            excluded.append(Excluded(half, rank, NO_AMOUNT, why(NO_AMOUNT)))
            continue
        candidates.append((half, rank, amount))

    quota_left = None
    if single and call.award_quota is not None:
        quota_left = max(0, call.award_quota - dsvc.awarded_count(call))
    remaining = budget.amount - committed if budget is not None else Decimal(0)
    default_n, total = 0, Decimal(0)
    for _half, _rank, amount in candidates:
        if total + amount > remaining or (quota_left is not None and default_n >= quota_left):
            break
        total += amount
        default_n += 1
    n = default_n if n is None else max(0, min(int(n), len(candidates)))

    items, total = [], Decimal(0)
    for pos, (half, rank, amount) in enumerate(candidates):
        if pos < n:
            total += amount
            fits = total <= remaining and (quota_left is None or pos < quota_left)
            items.append(
                PlanItem(half, rank, FUND, Money(amount, currency), fits, _partner_state(half))
            )
        else:
            items.append(PlanItem(half, rank, REGRET, None, True, _partner_state(half)))

    plan = BulkPlan(
        call=call,
        side=side,
        currency=currency,
        n=n,
        default_n=default_n,
        total=len(ranked),
        items=items,
        excluded=excluded,
        n_withheld=view.n_withheld,
        budget=Money(budget.amount, currency) if budget is not None else None,
        committed=Money(committed, currency),
        quota_left=quota_left,
    )
    if budget is None and n:
        plan.errors.append(
            _("The call has no budget set for this side, so nothing can be funded; set it first.")
        )
    elif plan.n_over:
        plan.errors.append(
            _(
                "%(n)d of the proposals to fund do not fit within the remaining budget (or the "
                "award quota); lower the number to fund."
            )
            % {"n": plan.n_over}
        )
    plan.fingerprint = fingerprint(plan)
    return plan


def fingerprint(plan: BulkPlan) -> str:
    """A hash of what the plan decides and of the state it was computed from: the proposals and their
    decisions, amounts and ranks, the partner sides' decisions, the proposals left out and why, the
    side's budget, its committed total and the award quota left."""
    data = {
        "call": plan.call.pk,
        "side": plan.side,
        "n": plan.n,
        "budget": str(plan.budget.amount) if plan.budget is not None else None,
        "committed": str(plan.committed.amount),
        "quota_left": plan.quota_left,
        "items": [
            [
                i.row.pk,
                i.decision,
                str(i.amount.amount) if i.amount is not None else None,
                i.rank,
                i.partner_state,
            ]
            for i in plan.items
        ],
        "excluded": [[e.row.pk, e.code] for e in plan.excluded],
        "withheld": plan.n_withheld,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def bulk_reason(item: PlanItem, plan: BulkPlan):
    if item.funded:
        return because(
            gettext_noop(
                "Bulk decision: fund %(amount)s, rank %(rank)d of %(total)d within the budget."
            ),
            amount=item.amount,
            rank=item.rank,
            total=plan.total,
        )
    return because(
        gettext_noop(
            "Bulk decision: not funded, rank %(rank)d of %(total)d below the funding line "
            "(the top %(n)d are funded within the budget)."
        ),
        rank=item.rank,
        total=plan.total,
        n=plan.n,
    )


STALE = gettext_noop(
    "Nothing was recorded: the decisions or the budget of this side have changed since your preview "
    "(someone else may have decided, or the budget was changed). Check the new preview and confirm "
    "again."
)


def decide_in_bulk(user, call: Call, side: str, *, n: int, fingerprint: str) -> list:
    """Record the previewed plan (top ``n`` funded, the rest regretted) if it is still the one whose
    ``fingerprint`` the officer saw; otherwise refuse and record nothing. One transaction; the call
    row is locked first, as ``decisions.decide`` does, so the budget read for the plan cannot change
    before the last decision is recorded. Returns the recorded decisions, in ranking order."""
    require_may_decide_side(user, call, side)
    with transaction.atomic():
        call = Call.objects.select_for_update(of=("self",)).select_related("scheme").get(pk=call.pk)
        plan = plan_bulk_decisions(user, call, side, n=n)
        if plan.fingerprint != fingerprint:
            raise ValidationError(_(STALE), code="stale")
        if plan.errors:
            raise ValidationError(plan.errors)
        if not plan.items:
            raise ValidationError(_("There is no proposal to decide on this side."))
        out = []
        plan.show(*plan.items)
        for item in plan.items:
            out.append(
                dsvc.decide(
                    user,
                    item.half,
                    fund=item.funded,
                    amount=item.amount.amount if item.funded else None,
                    reason=bulk_reason(item, plan),
                )
            )
        return out


def preview_letters(plan: BulkPlan, lang: str) -> dict:
    """The award letter of the first funded and the regret letter of the first regretted proposal of
    the plan, as they would read (rendered on unsaved copies: nothing is recorded)."""
    from ..models import SideDecision
    from .letters import render_letter_html

    out = {}
    for key, items in (("award", plan.funded), ("regret", plan.regretted)):
        if not items:
            continue
        item = items[0]
        half = (  # the whole half, as the letter reads it (the plan's half is left as it is)
            ProposalHalf.objects.select_related(
                "proposal__call__scheme", "institution", "lead", "agency"
            )
            .prefetch_related("proposal__halves")
            .get(pk=item.row.pk)
        )
        decision = SideDecision(call=plan.call, side=half.side, half=half)
        if item.funded:
            half.state = HalfState.FUNDED
            half.awarded_amount = item.amount
            decision.state, decision.amount = DecisionState.AWARDED, item.amount
        else:
            half.state = HalfState.NOT_FUNDED
            decision.state = DecisionState.DECLINED
        half.side_decision = decision
        out[key] = {"item": item, "html": render_letter_html(half, lang)}
    return out
