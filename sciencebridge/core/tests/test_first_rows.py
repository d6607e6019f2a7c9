"""``first_rows(qs, n)`` is ``list(qs[:n])``: the same rows in the same order, with what ``qs``
selects and prefetches; an empty list costs one narrow query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciencebridge.core.first_rows import first_rows
from sciencebridge.funding.models import ProposalHalf
from sciencebridge.funding.tests.test_officer_list import _pairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def halves(world):
    _pairs(world, [(f"F-{i}", f"T{i}", "submitted", "eligible", ["10"], i) for i in range(5)])
    return (
        ProposalHalf.objects.select_related("proposal", "institution")
        .prefetch_related("budget_lines")
        .order_by("-proposal__reference", "side")
    )


@pytest.mark.parametrize("n", [1, 3, 10, 20])
def test_the_same_rows_in_the_same_order(halves, n):
    assert first_rows(halves, n) == list(halves[:n])
    assert first_rows(halves.filter(side="ML"), n) == list(halves.filter(side="ML")[:n])


def test_related_and_prefetched_rows_come_with_them(halves):
    rows = first_rows(halves, 4)
    with CaptureQueriesContext(connection) as ctx:
        shown = [
            (h.proposal.reference, h.institution.code, len(h.budget_lines.all())) for h in rows
        ]
    assert ctx.captured_queries == []
    assert shown[0][0] == "F-4" and {b for _r, _i, b in shown} == {2, 0}


def test_an_empty_list_is_one_narrow_query(halves):
    with CaptureQueriesContext(connection) as ctx:
        assert first_rows(halves.filter(state="funded"), 5) == []
    (query,) = ctx.captured_queries
    # only the ids, joined only to what the order needs (not the selected institution)
    assert query["sql"].startswith('SELECT "funding_proposalhalf"."id" AS')
    assert "institutions_institution" not in query["sql"]


def test_rows_can_be_loaded_with_what_the_choice_does_not_need(halves):
    from django.db.models import Count

    counted = halves.annotate(n_lines=Count("budget_lines"))
    plain = halves.filter(side="HK")
    with CaptureQueriesContext(connection) as ctx:
        rows = first_rows(plain, 3, rows=counted)
    assert rows == list(plain[:3]) and [r.n_lines for r in rows] == [
        r.budget_lines.count() for r in rows
    ]
    # the narrow query chose the rows without the count's join; only the rows' query counted
    choose, load = ctx.captured_queries[0]["sql"], ctx.captured_queries[1]["sql"]
    assert "funding_budgetline" not in choose and "COUNT(" in load
