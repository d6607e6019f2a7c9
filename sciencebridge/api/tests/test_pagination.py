"""``api.pagination.CountedPagePaginator``: a page's ids and the total in one query, with the
answers of Django's paginator (counts, links, 404 past the end)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from .test_query_counts import _add_proposals, avoided  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(world, avoided, monkeypatch):  # noqa: F811
    from rest_framework.pagination import PageNumberPagination

    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    _add_proposals(world, 0, 5, avoided)
    c = APIClient()
    c.force_authenticate(world.itc_officer)
    return c


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    return resp, [q["sql"] for q in ctx.captured_queries]


def test_a_page_and_the_total_come_from_one_query(officer_client):
    resp, sqls = _get(officer_client, "/api/v1/proposals/?page=2")
    body = resp.json()
    assert resp.status_code == 200 and body["count"] == 5
    assert [p["reference"] for p in body["results"]] == ["Q-002", "Q-003"]
    assert body["next"].endswith("page=3") and body["previous"].endswith("/api/v1/proposals/")
    assert not any("COUNT(*) AS" in sql for sql in sqls)  # no separate count
    assert sum("OVER ()" in sql for sql in sqls) == 1


def test_the_last_page_and_past_the_end(officer_client):
    body = officer_client.get("/api/v1/proposals/?page=3").json()
    assert body["count"] == 5 and [p["reference"] for p in body["results"]] == ["Q-004"]
    assert body["next"] is None
    for page in ("4", "0", "-1", "x", "1.5"):
        assert officer_client.get(f"/api/v1/proposals/?page={page}").status_code == 404, page


def test_no_rows_is_an_empty_first_page(officer_client):
    body = officer_client.get("/api/v1/proposals/?reference=NONE").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}
    assert officer_client.get("/api/v1/proposals/?reference=NONE&page=2").status_code == 404


def test_a_distinct_filter_still_counts_each_proposal_once(officer_client):
    # the state filter joins the halves (both eligible): DISTINCT rows, counted on their own
    resp, sqls = _get(officer_client, "/api/v1/proposals/?state=eligible")
    assert resp.json()["count"] == 5 and any("COUNT(" in sql for sql in sqls)
