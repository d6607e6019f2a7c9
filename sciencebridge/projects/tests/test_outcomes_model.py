import pytest

from sciencebridge.projects.models import Jurisdiction, Outcome, OutcomeKind, Project, ProjectSide

pytestmark = pytest.mark.django_db


def test_award_becomes_project_with_outcome(world, project):
    assert Project.objects.count() == 1
    sides = {s.side: s for s in ProjectSide.objects.filter(project=project)}
    assert str(sides["HK"].approved_budget.currency) == "HKD"
    assert str(sides["ML"].approved_budget.currency) == "CNY"
    o = Outcome.objects.create(
        project=project,
        kind=OutcomeKind.PATENT,
        title="Sensor patent",
        ip_status="filed",
        jurisdiction=Jurisdiction.PCT,
    )
    assert o.is_ip and project.outcomes.get() == o
