import random
from io import StringIO
from types import SimpleNamespace

import pytest

from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.experts import demo as experts_demo
from sciencebridge.experts.models import ExpertProfile, ExpertStatus, Publication

pytestmark = pytest.mark.django_db


def test_demo_experts_are_admitted_with_publications_and_idempotent(world):
    expert_user = UserFactory(username="expert", institution=world.hku)
    out = SimpleNamespace(stdout=StringIO())
    experts_demo.seed(out, random.Random(1))
    profiles = ExpertProfile.objects.filter(status=ExpertStatus.ADMITTED)
    assert profiles.count() == experts_demo.N_EXPERTS + 1
    assert {"HK", "ML"} == set(profiles.values_list("region", flat=True))
    assert profiles.filter(user=expert_user).exists()
    assert not profiles.filter(user__isnull=True).exists()
    assert Publication.objects.count() >= 6 * experts_demo.N_EXPERTS
    experts_demo.seed(out, random.Random(1))
    assert ExpertProfile.objects.count() == experts_demo.N_EXPERTS + 1
