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


def test_rows_prefetch_keeps_plain_lists_that_related_rows_reads(
    world, make_ready_pair, django_assert_num_queries
):
    from django.db.models.query import QuerySet

    from sciencebridge.core.prefetched import rows_prefetch

    make_ready_pair()
    expected = list(JointProposal.objects.get().halves.all())
    with django_assert_num_queries(3):  # proposals, halves, team members: nothing per row
        proposal = JointProposal.objects.prefetch_related(
            rows_prefetch("halves"), rows_prefetch("rows_halves__team")
        ).get()
    assert type(proposal.rows_halves) is list and is_prefetched(proposal, "halves")
    # no queryset was built per instance to hold the rows (what a plain prefetch does)
    assert not any(
        isinstance(v, QuerySet)
        for obj in (proposal, *proposal.rows_halves)
        for v in getattr(obj, "_prefetched_objects_cache", {}).values()
    )
    with django_assert_num_queries(0):
        halves = related_rows(proposal, "halves")
        teams = [related_rows(h, "team") for h in halves]
        assert all(h.proposal is proposal for h in halves)  # the reverse relation is set
    assert halves == expected
    assert teams == [list(h.team.all()) for h in expected] and any(teams)
