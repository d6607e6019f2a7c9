"""Test helpers: a proposal made eligible through the funding services, then funded on both sides the way
the decisions app will do it (``core.workflow.transition`` with the awarded amount)."""

from djmoney.money import Money

from sciencebridge.core.workflow import transition
from sciencebridge.funding.models import HalfState
from sciencebridge.funding.services import proposals as svc


def make_eligible(world, proposal):
    hk, ml = proposal.half("HK"), proposal.half("ML")
    svc.submit_half(world.ml_lead, ml)
    svc.submit_half(world.hk_lead, hk)
    svc.endorse(world.hk_office, hk, "Supported")
    svc.screen(world.itc_officer, hk, eligible=True, reason="Meets the rules")
    svc.screen(world.most_officer, ml, eligible=True, reason="Meets the rules")
    return proposal


def fund_both_sides(world, proposal, hkd=600000, rmb=500000):
    for side, amount, currency, officer in (
        ("HK", hkd, "HKD", world.itc_officer),
        ("ML", rmb, "CNY", world.most_officer),
    ):
        half = proposal.half(side)
        half.refresh_from_db()
        half.awarded_amount = Money(amount, currency)
        transition(
            half, HalfState.FUNDED, actor=officer, reason="Funded", update_fields=["awarded_amount"]
        )
    return proposal
