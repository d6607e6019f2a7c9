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


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search needs PostgreSQL"
)
def test_postgres_uses_full_text(sample):
    qs = search_offers(AnonymousUser(), q="electrolyte OR aquaculture")
    assert "to_tsvector" in str(qs.query)
    assert set(_titles(qs)) == {
        "Solid-state electrolyte for safer lithium batteries",
        "Low-cost water quality sensor for fish farms",
    }
