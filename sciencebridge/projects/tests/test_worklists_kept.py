"""The worklist tables of the officer's desk and dashboard are kept rendered (``table_keys``)
under every value their rows show: after any change of such a value the page shows it, exactly
as a page rendered with nothing kept."""

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.core.testing.kept import page_and_reads
from sciencebridge.projects.models import Project, ProjectState, Report, ReportState, Tranche
from sciencebridge.projects.services import projects as svc

from .test_views import _make_overdue

pytestmark = pytest.mark.django_db

PAGES = ("projects:officer", "core:dashboard")


def _pages(client) -> list[str]:
    """The pages, without their CSRF tokens (masked afresh in every response)."""
    return [
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", client.get(reverse(name)).text)
        for name in PAGES
    ]


def _kept_and_fresh(client) -> tuple[list[str], list[str]]:
    kept = _pages(client)
    caches["fragments"].clear()
    return kept, _pages(client)


@pytest.fixture
def desk(world, project, client):
    _make_overdue(project)
    client.force_login(world.itc_officer)
    first = _pages(client)
    assert "overdue by" in first[0] and project.reference in first[1]
    return project


def _tranche(project):
    return Tranche.objects.get(project_side__project=project, project_side__side="HK", number=1)


def test_a_part_payment_shows_the_new_amount_still_to_pay(world, desk, client):
    t = _tranche(desk)
    before = _pages(client)
    svc.record_payment(
        t, actor=world.itc_officer, amount=t.amount / 4, idempotency_key=svc.new_idempotency_key()
    )
    kept, fresh = _kept_and_fresh(client)
    assert kept == fresh and kept != before


def test_a_new_title_a_new_due_date_and_a_new_state_show(world, desk, client):
    Project.objects.filter(pk=desk.pk).update(title="A renamed project")
    kept, fresh = _kept_and_fresh(client)
    assert kept == fresh and "A renamed project" in kept[0]
    Report.objects.filter(project_side__project=desk, number=1).update(
        due_date=timezone.localdate() - dt.timedelta(days=100)
    )
    Tranche.objects.filter(project_side__project=desk, number=1).update(
        due_date=timezone.localdate() - dt.timedelta(days=100)
    )
    kept, fresh = _kept_and_fresh(client)
    assert kept == fresh and "overdue by 3\xa0months" in kept[0]
    report = Report.objects.get(project_side__project=desk, project_side__side="HK", number=1)
    assert "Returned for changes" not in kept[0]
    Report.objects.filter(pk=report.pk).update(state=ReportState.RETURNED)  # still open, overdue
    kept, fresh = _kept_and_fresh(client)
    assert kept == fresh and "Returned for changes" in kept[0]


def test_each_language_and_each_day_has_its_own_tables(world, desk, client, monkeypatch):
    english = _pages(client)
    client.cookies["django_language"] = "zh-hant"
    kept, fresh = _kept_and_fresh(client)
    assert kept == fresh and kept != english and "逾期" in kept[0]
    client.cookies["django_language"] = "en"
    later = timezone.localdate() + dt.timedelta(days=40)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    kept, fresh = _kept_and_fresh(client)
    assert kept == fresh and kept != english


def _project_list(client) -> str:
    return re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', "", client.get(reverse("projects:mine")).text
    )


def test_the_project_lists_rows_follow_what_they_show(world, project, client):
    """The rows of a page of the project list are kept the same way (``project_rows_key``)."""
    client.force_login(world.itc_officer)
    before = _project_list(client)
    assert project.reference in before
    lead = project.sides.get(side="HK").lead
    for change in (
        lambda: Project.objects.filter(pk=project.pk).update(title="A renamed project"),
        lambda: Project.objects.filter(pk=project.pk).update(state=ProjectState.SUSPENDED),
        lambda: (
            type(lead).objects.filter(pk=lead.pk).update(first_name="Renamed", last_name="Lead")
        ),
    ):
        change()
        kept = _project_list(client)
        caches["fragments"].clear()
        assert kept == _project_list(client) and kept != before
        before = kept
    assert "Renamed Lead" in kept and "A renamed project" in kept
    client.cookies["django_language"] = "zh-hans"
    kept = _project_list(client)
    caches["fragments"].clear()
    assert kept == _project_list(client) and kept != before


DASHBOARD, REPORTS = "/dashboard/", "projects_report"


def test_the_worklists_are_read_once_per_agency_until_a_table_changes(world, desk):
    """The rows of the worklists are kept too (``projects.worklists``), per agency, for the
    dashboard and the desk: the first computation learns the tables they read, the second keeps
    them, the next officer of the agency reads none; an officer of the other agency has his own;
    a write reads them again."""
    itc = Client()
    itc.force_login(world.itc_officer)
    for _ in range(2):
        page_and_reads(itc, DASHBOARD, REPORTS)
    kept, reads = page_and_reads(itc, DASHBOARD, REPORTS)
    assert reads == 0 and desk.reference in kept
    colleague = Client()
    colleague.force_login(
        UserFactory(agency=world.itc, roles=[Role.PROGRAMME_OFFICER], username="itc_colleague")
    )
    html, reads = page_and_reads(colleague, DASHBOARD, REPORTS)
    assert reads == 0 and desk.reference in html and "overdue by" in html
    # the desk: the same kept rows
    html, reads = page_and_reads(colleague, reverse("projects:officer"), REPORTS)
    assert reads == 0 and desk.reference in html and "overdue by" in html
    most = Client()
    most.force_login(world.most_officer)
    assert page_and_reads(most, DASHBOARD, REPORTS)[1] > 0
    Report.objects.filter(project_side__project=desk).update(
        due_date=timezone.localdate() + dt.timedelta(days=30)
    )  # no longer overdue
    html, reads = page_and_reads(itc, DASHBOARD, REPORTS)
    link = f"{desk.reference}</a>"
    assert reads > 0 and 0 < html.count(link) < kept.count(link)  # the payment, not the report
