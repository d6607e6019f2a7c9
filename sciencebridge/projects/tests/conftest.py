"""Fixtures: a jointly funded proposal (both halves FUNDED with awarded amounts) and its project."""

import pytest
from djmoney.money import Money

from sciencebridge.core.workflow import transition
from sciencebridge.funding.models import HalfState
from sciencebridge.funding.services import proposals as fsvc


def fund_proposal(world, proposal, hk=None, ml=None, send_signal=True):
    """Take a ready pair through submission, endorsement, screening and the funding decision."""
    hk = hk or Money(600000, "HKD")
    ml = ml or Money(500000, "CNY")
    from sciencebridge.funding.signals import proposal_jointly_funded

    hk_half, ml_half = proposal.half("HK"), proposal.half("ML")
    fsvc.submit_half(hk_half.lead, hk_half)
    fsvc.submit_half(ml_half.lead, ml_half)
    hk_half.refresh_from_db()
    office = world.hk_office
    fsvc.endorse(office, hk_half)
    fsvc.screen(world.itc_officer, hk_half, eligible=True, reason="Eligible")
    fsvc.screen(world.most_officer, ml_half, eligible=True, reason="Eligible")
    for half, officer, amount in (
        (hk_half, world.itc_officer, hk),
        (ml_half, world.most_officer, ml),
    ):
        half.refresh_from_db()
        half.awarded_amount = amount
        transition(
            half,
            HalfState.FUNDED,
            actor=officer,
            reason="Funded",
            update_fields=["awarded_amount", "awarded_amount_currency"],
        )
    proposal.refresh_from_db()
    if send_signal:
        proposal_jointly_funded.send(
            sender=type(proposal), proposal=proposal, actor=world.most_officer
        )
    return proposal


@pytest.fixture
def funded(world, make_ready_pair):
    def build(title="Smart sensing for cross-boundary logistics", send_signal=True, **kw):
        return fund_proposal(world, make_ready_pair(title=title, **kw), send_signal=send_signal)

    return build


@pytest.fixture
def project(world, funded):
    return funded().project
