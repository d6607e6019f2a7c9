"""The demo seed builds pilot units, an approved export with a cleared transfer and a white-list
notification, a submitted application, and datasets on a project; running it twice adds nothing."""

import io
from types import SimpleNamespace

import pytest

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import InstitutionFactory, UserFactory
from sciencebridge.dataflows import demo
from sciencebridge.dataflows.models_datasets import ResearchDataset
from sciencebridge.dataflows.models_samples import HgrExportApplication, HgrTransfer, PilotUnit

pytestmark = pytest.mark.django_db


def test_demo_seed(world, funded):
    funded()
    InstitutionFactory(code="cuhk", name="CUHK", region="HK")
    UserFactory(username="secretariat", roles=[Role.SECRETARIAT])
    cmd = SimpleNamespace(stdout=io.StringIO())
    demo.seed(cmd, None)
    assert PilotUnit.objects.count() == 3
    assert sorted(HgrExportApplication.objects.values_list("state", flat=True)) == [
        "approved",
        "submitted",
    ]
    assert sorted(HgrTransfer.objects.values_list("review", "state")) == [
        ("full", "cleared"),
        ("notification", "notified"),
    ]
    assert ResearchDataset.objects.count() == 2
    demo.seed(cmd, None)
    assert PilotUnit.objects.count() == 3 and HgrExportApplication.objects.count() == 2


@pytest.mark.django_db
def test_demo_reloads_the_gba_reference_rows_a_flush_removed():
    """A transactional test flushes the rows the migration loaded; the demo needs them (the
    accessibility test's seed_demo once failed on KeyError 'shenzhen')."""
    import io
    import random
    from types import SimpleNamespace

    from sciencebridge.dataflows import demo
    from sciencebridge.dataflows.models import GBALocation

    GBALocation.objects.all().delete()
    demo.seed(SimpleNamespace(stdout=io.StringIO()), random.Random(1))
    assert GBALocation.objects.filter(code="shenzhen", in_gba=True).exists()
