"""Fixtures: a Mainland instrument and a Hong Kong computing cluster, each with a manager, and a
Hong Kong team with an approved quota on the Mainland instrument (cross-boundary use)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.platforms.models import Facility, Platform
from sciencebridge.platforms.services import facilities as svc


def next_slot(days=2, hour=10):
    """A whole-hour slot start a few days ahead, in the active time zone."""
    day = timezone.localtime() + dt.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def fac(world):
    lab = Platform.objects.create(
        code="cas-test-lab", kind="cas_joint_lab", name="Test joint laboratory"
    )
    lab.hosts.add(world.hku)
    lab.partners.add(world.tsinghua)
    ml_manager = UserFactory(username="ml_manager", institution=world.tsinghua)
    hk_manager = UserFactory(username="hk_manager", institution=world.hku)
    spectrometer = Facility.objects.create(
        platform=lab,
        code="ml-nmr",
        name="600 MHz NMR spectrometer",
        kind="instrument",
        region="ML",
        slot_minutes=60,
    )
    spectrometer.managers.add(ml_manager)
    cluster = Facility.objects.create(
        platform=lab,
        code="hk-hpc",
        name="GPU cluster",
        kind="computing",
        region="HK",
        node_count=64,
    )
    cluster.managers.add(hk_manager)
    alloc = svc.request_allocation(
        world.hk_lead,
        spectrometer,
        project_reference="MHX/001/26",
        hours_requested=Decimal("10"),
        purpose="Structure of sensing materials",
    )
    svc.decide_allocation(ml_manager, alloc, approve=True, hours_approved=Decimal("6"))
    alloc.refresh_from_db()
    secretariat = UserFactory(username="secretary", roles=[Role.SECRETARIAT])
    return SimpleNamespace(
        lab=lab,
        spectrometer=spectrometer,
        cluster=cluster,
        ml_manager=ml_manager,
        hk_manager=hk_manager,
        alloc=alloc,
        secretariat=secretariat,
    )
