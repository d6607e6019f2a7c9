"""The demo module funds eligible proposals of the past call and builds projects through the services."""

import io
import random

import pytest
from django.core.management.base import BaseCommand, OutputWrapper

from sciencebridge.funding.services import proposals as fsvc
from sciencebridge.projects import demo
from sciencebridge.projects.models import OutcomeKind, Payment, Project

pytestmark = pytest.mark.django_db


def test_demo_seed_funds_past_eligible_proposals(world, make_ready_pair):
    world.call.code = demo.PAST_CALL
    world.call.save()
    for title in ("Sensing A", "Sensing B"):
        p = make_ready_pair(title=title)
        hk, ml = p.half("HK"), p.half("ML")
        fsvc.submit_half(world.hk_lead, hk)
        fsvc.submit_half(world.ml_lead, ml)
        hk.refresh_from_db()
        fsvc.endorse(world.hk_office, hk)
        fsvc.screen(world.itc_officer, hk, eligible=True, reason="ok")
        fsvc.screen(world.most_officer, ml, eligible=True, reason="ok")
    cmd = BaseCommand()
    cmd.stdout = OutputWrapper(io.StringIO())
    demo.seed(cmd, random.Random(1))
    assert Project.objects.count() == 2
    project = Project.objects.first()
    assert project.proposal.is_jointly_funded
    assert project.outcomes.filter(kind=OutcomeKind.PATENT).exists()
    assert Payment.objects.exists()
    demo.seed(cmd, random.Random(1))  # running again adds nothing
    assert Project.objects.count() == 2
