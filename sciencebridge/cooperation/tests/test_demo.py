import io
import random
from types import SimpleNamespace

import pytest

from sciencebridge.accounts.roles import Role
from sciencebridge.cooperation import demo
from sciencebridge.cooperation.models import Workplan, WorkplanState
from sciencebridge.cooperation.services import progress as prog
from sciencebridge.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_builds_an_approved_2026_workplan_linked_to_metrics_and_is_idempotent(world):
    UserFactory(username="secretariat", roles=[Role.SECRETARIAT])
    command = SimpleNamespace(stdout=io.StringIO())
    demo.seed(command, random.Random(1))
    wp = Workplan.objects.get(code=demo.CODE)
    assert wp.state == WorkplanState.APPROVED and wp.approved_at.minutes
    groups = prog.workplan_progress(wp)
    assert len(groups) >= 4
    linked = [x for g in groups for x in g["items"] if x["metric"]]
    assert len(linked) >= 4 and all(x["progress"] is not None for x in linked)
    assert wp.approved_at.decisions.count() == 2
    demo.seed(command, random.Random(1))
    assert Workplan.objects.filter(code=demo.CODE).count() == 1
    assert "exists already" in command.stdout.getvalue()
