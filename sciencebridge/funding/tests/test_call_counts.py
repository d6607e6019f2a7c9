"""The officer's dashboard shows each call of the agency with its number of proposals, kept between
requests (``funding.call_counts``) and recounted when a proposal is added or removed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciencebridge.core.testing.spies import record_calls
from sciencebridge.funding import call_counts
from sciencebridge.funding.models import JointProposal

from .test_officer_list import _pairs

pytestmark = pytest.mark.django_db


def _shown(client, call) -> int:
    body = client.get(reverse("core:dashboard")).content.decode()
    href = reverse("funding:officer_proposals", args=[call.code])
    found = re.search(rf'<a href="{re.escape(href)}">[^<]*</a> <span class="muted">\((\d+)\)', body)
    assert found, "the call is not on the officer's dashboard"
    return int(found.group(1))


@pytest.fixture
def counted(monkeypatch):
    """The calls counted afresh (not answered from a kept count)."""
    return record_calls(monkeypatch, call_counts, "_count", lambda call: call.pk)


@pytest.fixture
def officer(world, client):
    client.force_login(world.itc_officer)
    return client


def _add(world, *refs):
    _pairs(world, [(ref, "T", "submitted", "submitted", None, 1) for ref in refs])


def test_a_call_without_proposals_shows_none(world, officer):
    assert _shown(officer, world.call) == 0


def test_the_count_is_every_proposal_of_the_call(world, officer):
    _add(world, "C-1", "C-2", "C-3")
    assert _shown(officer, world.call) == 3 == JointProposal.objects.filter(call=world.call).count()


def test_the_count_is_kept_between_requests(world, officer, counted):
    _add(world, "C-1", "C-2")
    assert _shown(officer, world.call) == 2
    assert _shown(officer, world.call) == 2
    assert counted == [world.call.pk]


def test_a_new_proposal_is_counted_on_the_next_request(world, officer, counted):
    _add(world, "C-1", "C-2")
    assert _shown(officer, world.call) == 2
    _add(world, "C-3")
    assert _shown(officer, world.call) == 3
    assert counted == [world.call.pk, world.call.pk]


def test_a_removed_proposal_is_no_longer_counted(world, officer):
    _add(world, "C-1", "C-2", "C-3")
    assert _shown(officer, world.call) == 3
    # the newest proposal stays, so its id (the stamp) does not change: the removal itself drops it
    JointProposal.objects.get(reference="C-1").delete()
    assert _shown(officer, world.call) == 2


def test_the_agencys_calls_are_read_once_for_the_whole_dashboard(world, officer):
    """The list of the agency's calls, the review section and the decisions section start from one
    read of the calls."""
    with CaptureQueriesContext(connection) as ctx:
        body = officer.get(reverse("core:dashboard")).content.decode()
    agency_call_reads = [
        q
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT DISTINCT "funding_call"."id"')
        and "funding_schemeside" in q["sql"]
    ]
    assert len(agency_call_reads) == 1
    assert reverse("review:call", args=[world.call.code]) in body  # the review section has it
