"""``core.pagination.WindowCountPaginator``: a page and its total in one query, with the answers of
Django's paginator for every page number (valid, past the end, not a number)."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciencebridge.core.pagination import WindowCountPaginator
from sciencebridge.core.testing.factories import InstitutionFactory
from sciencebridge.institutions.models import Institution

pytestmark = pytest.mark.django_db

NUMBERS = [None, "", "1", "2", "3", "4", "0", "-1", "x", "1.5", 2, 3]


@pytest.fixture
def five():
    for i in range(5):
        InstitutionFactory(code=f"pag-{i}")
    return Institution.objects.filter(code__startswith="pag-").order_by("code")


def _seen(page):
    return (
        [o.code for o in page.object_list],
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        page.has_next(),
    )


@pytest.mark.parametrize("number", NUMBERS)
def test_get_page_answers_as_django_does(five, number):
    assert _seen(WindowCountPaginator(five, 2).get_page(number)) == _seen(
        Paginator(five, 2).get_page(number)
    )


@pytest.mark.parametrize("number", NUMBERS)
def test_page_answers_and_refuses_as_django_does(five, number):
    def answer(paginator):
        try:
            return _seen(paginator.page(number))
        except (EmptyPage, PageNotAnInteger) as e:
            return type(e)

    assert answer(WindowCountPaginator(five, 2)) == answer(Paginator(five, 2))


def test_a_page_and_its_total_in_one_query_then_its_rows(five):
    with CaptureQueriesContext(connection) as ctx:
        page = WindowCountPaginator(five, 2).get_page("2")
        seen = _seen(page)
    assert seen == (["pag-2", "pag-3"], 2, 5, 3, True)
    ids_and_total, rows = (q["sql"] for q in ctx.captured_queries)
    assert "OVER ()" in ids_and_total and '"name"' not in ids_and_total  # the ids alone
    assert "OVER ()" not in rows and '"name"' in rows


def test_past_the_end_and_no_rows_count_on_their_own(five):
    with CaptureQueriesContext(connection) as ctx:
        # the last page, as Django answers: the empty window, the count, the last page's rows
        seen = _seen(WindowCountPaginator(five, 2).get_page("9"))
    assert seen == (["pag-4"], 3, 5, 3, False) and len(ctx.captured_queries) == 3
    empty = WindowCountPaginator(five.filter(code="none"), 2)
    assert _seen(empty.get_page(None)) == ([], 1, 0, 1, False)


def test_a_distinct_queryset_is_counted_by_django(five):
    with CaptureQueriesContext(connection) as ctx:
        page = WindowCountPaginator(five.distinct(), 2).get_page("1")
        assert page.paginator.count == 5
    assert not any("OVER ()" in q["sql"] for q in ctx.captured_queries)
