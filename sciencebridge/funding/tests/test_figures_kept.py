"""The funding figures over every proposal are kept while nothing they count changes
(``funding.figures``, issue 16): read after each change, they equal the figures computed afresh,
and read again with nothing changed, they read no proposal."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciencebridge.accounts.roles import Role
from sciencebridge.cooperation.services import charts as ch
from sciencebridge.cooperation.tests.helpers import fund_both_sides, make_eligible
from sciencebridge.core import metrics
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.funding import figures
from sciencebridge.funding.models import ThematicArea

pytestmark = pytest.mark.django_db

CODES = [
    "funding.proposals_submitted",
    "funding.projects_funded",
    "funding.committed_hkd",
    "funding.committed_rmb",
]


def _figures(**filters):
    return (
        {code: metrics.compute(code, **filters) for code in CODES},
        ch.proposals_by_area()["rows"],
        ch.funding_by_side()["rows"],
    )


def _afresh(**filters):
    figures.kept.discard_where(lambda key: True)
    return _figures(**filters)


def _kept_and_afresh(**filters):
    kept = _figures(**filters)
    return kept, _afresh(**filters)


def test_kept_figures_follow_submission_funding_an_area_and_a_removal(world, make_ready_pair):
    proposal = make_ready_pair()
    kept, afresh = _kept_and_afresh()
    assert kept == afresh and kept[0]["funding.proposals_submitted"] == 0
    call = {"call_ids": [world.call.pk]}
    assert _figures(**call) == _afresh(**call)

    make_eligible(world, proposal)  # submitted by both sides: recorded steps of the halves
    kept, afresh = _kept_and_afresh()
    assert kept == afresh and kept[0]["funding.proposals_submitted"] == 1
    assert kept[1] == [[proposal.area.name, 1, 0, 0.0]]

    fund_both_sides(world, proposal, hkd=600000, rmb=500000)
    _figures(**call)
    kept, afresh = _kept_and_afresh()
    assert kept == afresh
    assert kept[0]["funding.projects_funded"] == 1
    assert kept[0]["funding.committed_hkd"] == 600000
    assert kept[2][-1][1:] == [600000, 500000]
    assert _figures(**call)[0]["funding.committed_rmb"] == 500000

    other = ThematicArea.objects.create(scheme=world.scheme, code="zz-other", name="Other area")
    proposal.area = other
    proposal.save()  # no half changes: the proposal's updated_at does
    kept, afresh = _kept_and_afresh()
    assert kept == afresh and kept[1] == [["Other area", 1, 1, 100.0]]

    # A later draft keeps the largest ids and edit time: only the removal itself tells.
    make_ready_pair(
        title="A later draft",
        hk_lead=UserFactory(username="hk2", institution=world.astri, roles=[Role.APPLICANT]),
        ml_lead=UserFactory(username="ml2", institution=world.tsinghua, roles=[Role.APPLICANT]),
    )
    assert _figures()[0]["funding.projects_funded"] == 1  # kept under the draft's stamp
    proposal.delete()
    kept = _figures()
    assert kept[0] == dict.fromkeys(CODES, 0.0) and kept[1] == []


def test_a_call_closing_later_moves_the_year_of_its_money(world, make_ready_pair):
    fund_both_sides(world, make_eligible(world, make_ready_pair()))
    years = [row[0] for row in _figures()[2]]
    world.call.closes_at = world.call.closes_at.replace(year=world.call.closes_at.year + 3)
    world.call.save()
    kept, afresh = _kept_and_afresh()
    assert kept == afresh and [row[0] for row in kept[2]] != years


def _page(client) -> str:
    html = client.get(reverse("cooperation:dashboard")).text
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_with_nothing_changed_the_dashboard_reads_no_proposal_again(world, make_ready_pair, client):
    fund_both_sides(world, make_eligible(world, make_ready_pair()))
    first = _page(client)
    with CaptureQueriesContext(connection) as ctx:
        again = _page(client)
    assert again == first and "600,000" in again
    stamps = [q["sql"] for q in ctx.captured_queries if "MAX(id)" in q["sql"]]
    assert len(stamps) == 1  # one stamp for the request, however many figures it shows
    # the public dashboard's own table stamps (core.table_stamps) name the table, and read no row of it
    table_stamps = ("core_tablestamp", "sb_stamp_")
    reading = [
        q["sql"]
        for q in ctx.captured_queries
        if "funding_proposalhalf" in q["sql"]
        and q["sql"] not in stamps
        and not any(t in q["sql"] for t in table_stamps)
    ]
    assert reading == []
