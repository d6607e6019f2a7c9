import pytest

from sciencebridge.funding.services import proposals as fsvc
from sciencebridge.rechecks.models import RecheckPolicy


@pytest.fixture
def policy(world):
    """The Mainland side takes recheck requests within 15 days; decided within 60 (NSFC's rule)."""
    return RecheckPolicy.objects.create(
        scheme_side=world.scheme.side("ML"),
        allowed=True,
        request_window_days=15,
        handling_days=60,
        reminder_days=7,
    )


@pytest.fixture
def make_ineligible(world, make_ready_pair, policy):
    """A joint proposal submitted on both sides, the HK half endorsed, the Mainland half screened
    ineligible (``partner_submitted=False``: the HK half is still a draft)."""

    def build(title="Smart sensing for cross-boundary logistics", partner_submitted=True):
        p = make_ready_pair(title=title)
        hk, ml = p.half("HK"), p.half("ML")
        fsvc.submit_half(world.ml_lead, ml)
        if partner_submitted:
            fsvc.submit_half(world.hk_lead, hk)
            hk.refresh_from_db()
            fsvc.endorse(world.hk_office, hk, "Supported")
        ml.refresh_from_db()
        fsvc.screen(world.most_officer, ml, eligible=False, reason="Budget form unsigned.")
        p.refresh_from_db()
        return p

    return build
