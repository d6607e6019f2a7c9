"""The API's proposal list picks a page on the ids alone, then loads that page's proposals
(``ProposalViewSet.paginate_queryset``): the pages together are the whole list, in id order,
filters and visibility included, and each page's rows are complete."""

import pytest

from sciencebridge.funding.models import JointProposal

from .test_query_counts import _add_proposals, avoided  # noqa: F401  (the fixture)
from .test_query_counts import _list as _whole_list

pytestmark = pytest.mark.django_db


def _pages(client, query):
    refs, url, count = [], f"/api/v1/proposals/?{query}", None
    while url:
        body = client.get(url).json()
        count = body["count"] if count is None else count
        assert body["count"] == count
        assert len(body["results"]) <= 2
        refs += [p["reference"] for p in body["results"]]
        url = body["next"]
    return refs, count


@pytest.mark.parametrize("query", ["", "state=eligible", "call=jfs-call", "reference=Q-003"])
def test_pages_together_are_the_whole_list(world, avoided, query, monkeypatch):  # noqa: F811
    from rest_framework.pagination import PageNumberPagination
    from rest_framework.test import APIClient

    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    _add_proposals(world, 0, 5, avoided)
    expected = list(
        JointProposal.objects.filter(reference__startswith="Q-")
        .order_by("id")
        .values_list("reference", flat=True)
    )
    if query.startswith("reference"):
        expected = ["Q-003"]
    for user in (world.itc_officer, world.hk_lead):
        c = APIClient()
        c.force_authenticate(user)
        refs, count = _pages(c, query)
        assert refs == expected and count == len(expected), (user.username, query)


def test_a_page_carries_the_full_rows(world, avoided):  # noqa: F811
    _add_proposals(world, 0, 3, avoided)
    body, _ = _whole_list(world.hk_lead)
    for p in body["results"]:
        assert p["call"] == "jfs-call" and {h["side"] for h in p["halves"]} == {"HK", "ML"}
        hk = next(h for h in p["halves"] if h["side"] == "HK")
        assert hk["attachments"] and hk["discipline_codes"] == ["E"]
