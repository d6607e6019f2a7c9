"""The national-programme demo: 60 applications of the 2026 exercise in every state, with reasons, and awards
of RMB 2m paid in three tranches; idempotent."""

import io
import random

import pytest
from django.core.management import call_command

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_exercise(django_capture_on_commit_callbacks):
    from sciencebridge.core.management.commands.seed_demo import Command
    from sciencebridge.funding import demo
    from sciencebridge.funding.demo_joint import JointCallDemo
    from sciencebridge.funding.models import HalfState, ProposalHalf
    from sciencebridge.institutions.models import Institution
    from sciencebridge.projects.models import Project

    call_command("seed_reference", verbosity=0)
    UserFactory(
        username="nsfc.officer",
        agency=Institution.objects.get(code="nsfc"),
        roles=[Role.PROGRAMME_OFFICER],
    )
    cmd = Command(stdout=io.StringIO())
    joint = JointCallDemo(cmd)
    joint.rng = random.Random(1)
    demo.seed_national(cmd, random.Random(1), joint.ensure_users)
    halves = ProposalHalf.objects.filter(proposal__call__code=demo.CALL_2026)
    states = {s: halves.filter(state=s).count() for s in HalfState.values}
    assert halves.count() == 60
    assert states["lapsed"] == 4 and states["withdrawn"] == 3 and states["ineligible"] == 8
    assert states["funded"] == 12 and states["not_funded"] == 10 and states["eligible"] == 23
    reasons = " ".join(halves.filter(state="ineligible").values_list("screening_reason", flat=True))
    # Written by the NSFC officer in Simplified Chinese: the engine's own explanation of each failing rule.
    assert "此计划只接受未满 38 岁的男性" in reasons
    assert "并非" in reasons and "指定院校" in reasons and "须至少 9 个月" in reasons
    projects = Project.objects.filter(proposal__call__code=demo.CALL_2026)
    assert projects.count() == 12
    side = projects.first().sides.get()
    assert str(side.approved_budget) and side.approved_budget.amount == 2_000_000
    assert side.tranches.count() == 3
    open_states = set(
        ProposalHalf.objects.filter(proposal__call__code=demo.CALL_2027).values_list(
            "state", flat=True
        )
    )
    assert open_states == {"draft", "submitted"}
    demo.seed(cmd, random.Random(1))  # idempotent
    assert ProposalHalf.objects.filter(proposal__call__code=demo.CALL_2026).count() == 60
