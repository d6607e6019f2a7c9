"""The project list's total (HTML and API) is the number of projects the person sees: the agency's
part kept between requests and recounted when a project is added or removed (``list_counts``);
the projects they lead, and a filtered list, counted on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import AgencyFactory, UserFactory
from sciencebridge.core.testing.spies import record_calls
from sciencebridge.projects import list_counts
from sciencebridge.projects.list_counts import visible_project_count
from sciencebridge.projects.models import Project, ProjectSide
from sciencebridge.projects.selectors import visible_projects

from .test_views import _other_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    """The agencies whose projects were counted afresh (not answered from a kept count)."""
    return record_calls(monkeypatch, list_counts, "_agency_count", lambda agency_id: agency_id)


@pytest.fixture
def people(world):
    """Everyone whose list is counted differently: a lead, both agencies' officers, an officer of a
    third agency who leads a side (seen as a lead, not through the agency), the secretariat, an
    outsider."""
    third = AgencyFactory(code="third", name="Third agency", region="HK")
    ns = {
        "lead": world.hk_lead,
        "itc officer": world.itc_officer,
        "most officer": world.most_officer,
        "officer leading": UserFactory(agency=third, roles=[Role.PROGRAMME_OFFICER]),
        "secretariat": UserFactory(roles=[Role.SECRETARIAT]),
        "outsider": world.outsider,
    }
    return ns


def _exact(user) -> int:
    return visible_projects(user).count()


def test_each_persons_total_is_the_number_of_projects_they_see(world, funded, people):
    funded()
    other, _ = _other_project(world, funded)
    ProjectSide.objects.filter(project=other, side="ML").update(lead=people["officer leading"])
    totals = {name: visible_project_count(user) for name, user in people.items()}
    assert totals == {name: _exact(user) for name, user in people.items()}
    assert totals == {
        "lead": 1,
        "itc officer": 2,
        "most officer": 2,
        "officer leading": 1,
        "secretariat": 2,
        "outsider": 0,
    }


def test_the_agencys_count_is_kept_and_recounted_when_a_project_is_added_or_removed(
    world, funded, counted
):
    officer = world.itc_officer
    funded()
    assert visible_project_count(officer) == 1 and counted == [world.itc.pk]
    assert visible_project_count(officer) == 1 and counted == [world.itc.pk]  # kept
    other, _ = _other_project(world, funded)
    assert visible_project_count(officer) == 2 == _exact(officer)  # a new side: a new stamp
    assert counted == [world.itc.pk] * 2
    Project.objects.filter(pk=other.pk).delete()
    assert visible_project_count(officer) == 1 == _exact(officer)
    assert counted == [world.itc.pk] * 3


def test_a_new_lead_sees_the_project_counted_at_once(world, funded, people, counted):
    """A side's lead changes by an approved change request: the leads' part is never kept."""
    officer = people["officer leading"]
    project = funded().project
    assert visible_project_count(officer) == 0
    ProjectSide.objects.filter(project=project, side="HK").update(lead=officer)
    assert visible_project_count(officer) == 1 == _exact(officer)
    assert counted == [officer.agency_id]  # the third agency's (empty) count, kept


def _count_queries(sql: list[str]) -> list[str]:
    """The counts that read an agency's sides (not the one over the user's own, led sides)."""
    return [
        q
        for q in sql
        if "COUNT(" in q
        and "projects_projectside" in q
        and '"projects_projectside"."lead_id" =' not in q
    ]


def test_the_list_page_shows_the_kept_total_and_a_filtered_list_counts(
    world, funded, client, monkeypatch, counted
):
    from sciencebridge.projects import views

    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 1)
    funded()
    _other_project(world, funded)
    client.force_login(world.itc_officer)
    url = reverse("projects:mine")
    assert "1 / 2" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url, {"page": 2}).content.decode()
    assert "2 / 2" in html
    assert _count_queries([q["sql"] for q in ctx.captured_queries]) == []
    assert counted == [world.itc.pk]
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url, {"state": "active"}).content.decode()
    assert "1 / 2" in html
    assert len(_count_queries([q["sql"] for q in ctx.captured_queries])) == 1


def test_the_api_gives_the_kept_total_and_counts_a_filtered_list(world, funded, counted):
    funded()
    _other_project(world, funded)
    api = APIClient()
    api.force_authenticate(world.most_officer)
    assert api.get("/api/v1/projects/").json()["count"] == 2
    with CaptureQueriesContext(connection) as ctx:
        data = api.get("/api/v1/projects/", {"page": 1}).json()
    assert data["count"] == 2 and len(data["results"]) == 2
    assert _count_queries([q["sql"] for q in ctx.captured_queries]) == []
    assert counted == [world.most.pk]
    assert api.get("/api/v1/projects/", {"state": "completed"}).json()["count"] == 0
    assert api.get("/api/v1/projects/", {"state": "active"}).json()["count"] == 2
    assert counted == [world.most.pk]
