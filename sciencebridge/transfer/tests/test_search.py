"""Public search: PostgreSQL full text where available, the portable fallback on SQLite; the same
expectations hold on both, in all three languages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from sciencebridge.transfer.selectors import search_offers

pytestmark = pytest.mark.django_db


def _titles(qs):
    return [o.title_en for o in qs]


@pytest.mark.parametrize(
    "q,expected",
    [
        ("electrolyte", ["Solid-state electrolyte for safer lithium batteries"]),
        ("lithium battery", ["Solid-state electrolyte for safer lithium batteries"]),
        ("aquaculture", ["Low-cost water quality sensor for fish farms"]),
        ("固態電解質", ["Solid-state electrolyte for safer lithium batteries"]),
        ("machine vision", []),  # enterprise-only: not in public search
        ("CRISPR", []),  # draft
    ],
)
def test_public_search(sample, q, expected):
    assert _titles(search_offers(AnonymousUser(), q=q)) == expected


def test_search_ranks_and_filters(sample):
    got = search_offers(sample.ent, q="deep learning")
    assert _titles(got)[:1] == ["Machine vision for defect inspection on production lines"]
    assert _titles(search_offers(AnonymousUser(), trl_min=6)) == [
        "Low-cost water quality sensor for fish farms"
    ]
    assert _titles(search_offers(AnonymousUser(), offer_type="assignment")) == [
        "Low-cost water quality sensor for fish farms"
    ]
    assert _titles(search_offers(AnonymousUser(), field="energy", q="sensor")) == []


def test_search_page_without_login(sample, client):
    r = client.get(reverse("transfer:offers"), {"q": "electrolyte"})
    body = r.content.decode()
    assert (
        r.status_code == 200 and "Solid-state electrolyte" in body and "water quality" not in body
    )
    r = client.get(reverse("transfer:offers"), {"q": "'\"&|!:*()"})  # odd input is not an error
    assert r.status_code == 200


def _vector_built_per_row():
    """The tsvector the search built for every row at query time before migration 0006 stored it."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title_en", "title_zh_hant", "title_zh_hans", weight="A", config="simple")
        + SearchVector("keywords", weight="B", config="simple")
        + SearchVector(
            "summary_en", "summary_zh_hant", "summary_zh_hans", weight="C", config="simple"
        )
    )


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search needs PostgreSQL"
)


@pytest.mark.postgres
@needs_postgres
def test_postgres_uses_the_stored_indexed_vector(sample):
    qs = search_offers(AnonymousUser(), q="electrolyte OR aquaculture")
    sql = str(qs.query)
    assert '"search_vector" @@' in sql and "to_tsvector" not in sql
    assert set(_titles(qs)) == {
        "Solid-state electrolyte for safer lithium batteries",
        "Low-cost water quality sensor for fish farms",
    }


@pytest.mark.postgres
@needs_postgres
def test_the_stored_vector_is_the_one_built_per_row_and_follows_edits(sample):
    """Same matches and ranks as before the vector was stored: the trigger builds exactly the
    vector the query used to build, on insert and on every update."""
    from django.contrib.postgres.search import SearchQuery, SearchRank
    from django.db.models import F

    from sciencebridge.transfer.models import TechnologyOffer

    def stored_and_built():
        return list(
            TechnologyOffer.objects.annotate(built=_vector_built_per_row())
            .order_by("pk")
            .values_list("search_vector", "built")
        )

    pairs = stored_and_built()
    assert len(pairs) == 4 and all(stored == built and stored for stored, built in pairs)
    TechnologyOffer.objects.filter(pk=sample.sensor.pk).update(
        title_zh_hans="低成本鱼塘水质传感器", keywords="aquaculture, turbidity"
    )
    assert all(stored == built for stored, built in stored_and_built())
    query = SearchQuery("sensor water", search_type="websearch", config="simple")
    ranks = TechnologyOffer.objects.filter(search_vector=query).annotate(
        stored=SearchRank(F("search_vector"), query),
        built=SearchRank(_vector_built_per_row(), query),
    )
    assert ranks and all(r.stored == r.built for r in ranks)


@pytest.mark.postgres
@needs_postgres
@pytest.mark.parametrize(
    "q",
    [
        "固態電解質",
        "固态电解质",
        "電池",
        "锂电池 solid",
        "質",
        "電池 水質",
        "machine 視覺",
        "石墨烯",
    ],
)
def test_chinese_terms_find_what_the_portable_search_finds(sample, q):
    """The bigram index only narrows the rows: the same offers, order and ranks as the portable
    search over every offer."""
    from sciencebridge.transfer import selectors
    from sciencebridge.transfer.models import OfferState

    every = selectors.visible_offers(AnonymousUser()).filter(state=OfferState.PUBLISHED)
    expected = [(o.pk, o.rank) for o in selectors._search_fallback(every, q)]
    got = search_offers(AnonymousUser(), q=q)
    assert [(o.pk, o.rank) for o in got] == expected
    narrowed = len(q.split()[0]) > 1  # a one-character term has no bigram to look up
    assert ('"search_cjk" @@' in str(got.query)) == narrowed


@pytest.mark.postgres
@needs_postgres
def test_the_triggers_bigrams_are_the_querys():
    """The SQL function and core.cjk_bigrams cut Chinese text the same way (the same character
    class: a character outside it ends a run on both sides)."""
    from sciencebridge.core.cjk_bigrams import bigrams

    texts = [
        "石墨烯薄膜技術",
        "鋰電池, 固态电解质 (solid-state) 㐀㐁",  # CJK Extension A
        "5G網絡與邊緣計算；人工智能",
        "𠀀𠀁 單",  # Extension B is outside the class, as in has_cjk
        "no Chinese at all",
    ]
    with connection.cursor() as cur:
        for text in texts:
            cur.execute("SELECT tsvector_to_array(sb_cjk_bigrams(%s))", [text])
            assert sorted(cur.fetchone()[0]) == sorted(bigrams(text)), text


def _ranking(queries) -> list[str]:
    """The queries that look for the words (full text or LIKE): the ranking of the matches."""
    return [c["sql"] for c in queries if "@@" in c["sql"] or " LIKE " in c["sql"]]


@pytest.mark.parametrize("q", ["electrolyte", "固態電解質"])
def test_a_search_ranks_once_then_reads_pages_by_id(sample, client, q):
    """A search ranks every match before a page can be shown; the order is kept between requests
    (transfer.search_orders), so a second request and the next page only read a page's rows."""
    from django.test.utils import CaptureQueriesContext

    runs = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("transfer:offers"), {"q": q})
        assert r.status_code == 200 and "1 offer<" in r.content.decode()
        assert r.context["page"].paginator.count == len(search_offers(AnonymousUser(), q=q)) == 1
        assert not any("COUNT(" in c["sql"] for c in ctx.captured_queries)
        runs.append(_ranking(ctx.captured_queries))
    assert len(runs[0]) == 1 and runs[1] == []


def _found(client, q: str) -> list[str]:
    r = client.get(reverse("transfer:offers"), {"q": q})
    assert r.status_code == 200
    titles = [o.title_en for o in r.context["offers"]]
    assert r.context["page"].paginator.count == len(titles)  # the count is the kept order's too
    return titles


def test_a_kept_search_sees_edits_withdrawals_and_removals(sample, client):
    from sciencebridge.transfer.services import offers as offer_svc

    battery = "Solid-state electrolyte for safer lithium batteries"
    sensor = "Low-cost water quality sensor for fish farms"
    assert _found(client, "electrolyte") == [battery]
    offer_svc.update_offer(sample.tto2, sample.sensor, keywords="sensor, electrolyte")
    assert sorted(_found(client, "electrolyte")) == sorted([battery, sensor])
    offer_svc.withdraw_offer(sample.tto, sample.battery)
    assert _found(client, "electrolyte") == [sensor]
    sample.sensor.delete()
    assert _found(client, "electrolyte") == []


def test_each_audience_keeps_its_own_order(sample, client):
    """Visitors see public offers only; enterprises every published one; a signed-in user who is
    neither is ranked afresh (an owner's own offers would be added to the list)."""
    from sciencebridge.transfer.search_orders import kept_orders

    vision = "Machine vision for defect inspection on production lines"
    assert _found(client, "deep learning") == []
    client.force_login(sample.ent)
    assert _found(client, "deep learning") == [vision]
    client.logout()
    assert _found(client, "deep learning") == []
    kept = len(kept_orders._entries)
    client.force_login(sample.unregistered)
    assert _found(client, "deep learning") == []
    assert len(kept_orders._entries) == kept == 2
