"""Fixtures: a jointly funded project (HK side at ASTRI) whose Mainland (MOST, RMB) tranches are remitted
to ASTRI in Hong Kong, and reference rates for the days the tests use."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from djmoney.money import Money

from sciencebridge.projects.tests.conftest import fund_proposal
from sciencebridge.remittances.models import ReferenceRate

RATE = Decimal("1.080000")


@pytest.fixture
def rates(db):
    """One reference rate per day for the last 60 days (1.08 HKD per RMB)."""
    today = timezone.localdate()
    ReferenceRate.objects.bulk_create(
        ReferenceRate(date=today - dt.timedelta(days=i), hkd_per_cny=RATE, source="test")
        for i in range(60)
    )
    return RATE


@pytest.fixture
def make_project(world, make_ready_pair):
    def build(title="Cross-boundary sensing", ml=None):
        ml = ml or Money(500000, "CNY")
        return fund_proposal(world, make_ready_pair(title=title), ml=ml).project

    return build


@pytest.fixture
def project(make_project):
    return make_project()


@pytest.fixture
def ml_tranche(project):
    """The Mainland side's first tranche: released on award, in RMB."""
    return project.sides.get(side="ML").tranches.get(number=1)
