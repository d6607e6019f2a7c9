"""An officer's API list of one call keeps its ids between requests (``officer_list.proposal_ids``):
a page then reads its own rows only, and the list is the same as read afresh after any change that
shows in it (a proposal added or submitted, a half's state changed, a proposal removed)."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sciencebridge.core import stamped_cache
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.funding.models import HalfState, JointProposal
from sciencebridge.funding.services import proposals as fsvc

from .test_query_counts import _add_proposals, avoided  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

URL = "/api/v1/proposals/?call=jfs-call"


def _client(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def _get(user, url=URL):
    """The list's JSON and whether the request read the call's ids (the narrow query over the whole
    list, with or without the window count)."""
    with CaptureQueriesContext(connection) as ctx:
        resp = _client(user).get(url)
    assert resp.status_code == 200
    return resp.json(), any(_reads_the_ids(q["sql"]) for q in ctx.captured_queries)


def _reads_the_ids(sql: str) -> bool:
    """Whether a query reads the ids of the whole list: the proposals' ids alone (a page of them
    with the window count, or all), or a count of them."""
    head = sql.split(" FROM ")[0]
    return "funding_jointproposal" in sql and (
        "COUNT(" in head
        or re.fullmatch(r'SELECT (DISTINCT )?"funding_jointproposal"\."id"( AS "pk")?', head)
        is not None
    )


def _afresh(user, url=URL):
    stamped_cache.clear_all()
    caches["fragments"].clear()
    body, read_ids = _get(user, url)
    assert read_ids
    return body


def test_pages_after_the_first_read_only_their_rows_and_colleagues_share_them(world, avoided):  # noqa: F811
    _add_proposals(world, 0, 3, avoided)
    first, read_ids = _get(world.itc_officer)
    assert read_ids and first["count"] == 3
    again, read_ids = _get(world.itc_officer)
    assert again == first and not read_ids
    colleague = UserFactory(agency=world.itc, roles=["programme_officer"])
    theirs, read_ids = _get(colleague)
    assert theirs == first and not read_ids
    other_side, read_ids = _get(world.most_officer)  # another agency: its own list
    assert read_ids


def test_the_list_follows_new_submitted_and_removed_proposals(world, avoided, make_ready_pair):  # noqa: F811
    _add_proposals(world, 0, 3, avoided)
    officer = world.itc_officer
    _get(officer)
    draft = make_ready_pair(title="A draft the agency has not received")
    kept, _ = _get(officer)
    assert kept == _afresh(officer) and kept["count"] == 3
    fsvc.submit_half(draft.half("HK").lead, draft.half("HK"))
    kept, _ = _get(officer)
    assert kept == _afresh(officer) and kept["count"] == 4
    assert draft.reference in {p["reference"] for p in kept["results"]}
    JointProposal.objects.filter(reference="Q-001").delete()
    kept, _ = _get(officer)
    assert kept == _afresh(officer) and kept["count"] == 3


def test_a_half_back_to_its_applicant_leaves_the_list(world, avoided, make_ready_pair):  # noqa: F811
    _add_proposals(world, 0, 2, avoided)
    pair = make_ready_pair(title="Submitted, then returned")
    hk = pair.half("HK")
    fsvc.submit_half(hk.lead, hk)
    officer = world.itc_officer
    kept, _ = _get(officer)
    assert kept["count"] == 3
    hk.refresh_from_db()
    fsvc.return_half(world.hk_office, hk, "Add the budget justification")
    hk.refresh_from_db()
    assert hk.state == HalfState.RETURNED
    kept, _ = _get(officer)
    assert kept == _afresh(officer) and kept["count"] == 2


def test_a_filtered_list_is_not_kept(world, avoided):  # noqa: F811
    _add_proposals(world, 0, 2, avoided)
    for url in (URL + "&state=eligible", URL + "&area=x", "/api/v1/proposals/"):
        _get(world.itc_officer, url)
        _body, read_ids = _get(world.itc_officer, url)
        assert read_ids, url
