"""Fixtures: an open exercise (ITC checks, MOST approves; HKU and ASTRI may nominate) and HKU experts."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.experts.models import ExpertProfile
from sciencebridge.nominations.models import NominationExercise


@pytest.fixture
def nx(world):
    today = timezone.localdate()
    ex = NominationExercise.objects.create(
        code="edb-2026",
        name="Expert database 2026",
        year=today.year,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=10),
        checking_agency=world.itc,
        approving_agency=world.most,
    )
    ex.nominating_institutions.set([world.hku, world.astri])

    def expert(name, inst, with_user=True):
        user = (
            UserFactory(username=name, institution=inst, roles=[Role.EXPERT]) if with_user else None
        )
        return ExpertProfile.objects.create(
            user=user,
            name_en=name.title(),
            region="HK",
            institution=inst,
            email=f"{name}@example.org",
            status="admitted",
        )

    return SimpleNamespace(
        ex=ex,
        alice=expert("alice", world.hku),
        bob=expert("bob", world.hku),
        carol=expert("carol", world.hku, with_user=False),
        dave=expert("dave", world.astri),
        expert=expert,
    )
