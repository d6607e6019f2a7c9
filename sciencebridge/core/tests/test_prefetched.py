"""``core.prefetched.related_rows``: the prefetched rows without a query, else the manager's rows."""

import pytest

from sciencebridge.core.prefetched import is_prefetched, related_rows
from sciencebridge.funding.models import JointProposal

pytestmark = pytest.mark.django_db


def test_prefetched_rows_cost_no_query_and_equal_the_managers(
    world, make_ready_pair, django_assert_num_queries
):
    make_ready_pair()
    plain = JointProposal.objects.get()
    expected = list(plain.halves.all())
    assert len(expected) == 2 and not is_prefetched(plain, "halves")
    with django_assert_num_queries(1):
        assert related_rows(plain, "halves") == expected
    prefetched = JointProposal.objects.prefetch_related("halves__team").get()
    assert is_prefetched(prefetched, "halves")
    with django_assert_num_queries(0):
        halves = related_rows(prefetched, "halves")
        teams = [related_rows(h, "team") for h in halves]
    assert halves == expected
    assert teams == [list(h.team.all()) for h in expected]
