"""The scale benchmark's offers (transfer/scale.py) are offers the marketplace could hold: offered
by a transfer office for its own university, published ones with a date, and found by the search."""

import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from sciencebridge.transfer import scale
from sciencebridge.transfer.models import OfferState, TechnologyOffer
from sciencebridge.transfer.rules import is_tto
from sciencebridge.transfer.selectors import search_offers

pytestmark = pytest.mark.django_db


def test_scale_offers_come_from_transfer_offices_and_are_searchable(world):
    words = ["graphene", "membrane", "battery", "sensor", "robot", "vaccine"]
    assert scale.generate(40, random.Random(5), words) == 40
    offers = list(TechnologyOffer.objects.select_related("owner"))
    assert len(offers) == 40
    for o in offers:
        assert is_tto(o.owner) and o.institution_id == o.owner.institution_id
        assert (o.published_at is None) == (o.state == OfferState.DRAFT)
    assert any(o.title_zh_hant and o.title_zh_hans for o in offers)
    published = [o for o in offers if o.state == OfferState.PUBLISHED]
    term = published[0].title_en.split()[1]
    found = set(search_offers(AnonymousUser(), q=term).values_list("pk", flat=True))
    assert found and all(
        o.state == OfferState.PUBLISHED and o.visibility == "public"
        for o in TechnologyOffer.objects.filter(pk__in=found)
    )
    if connection.vendor == "postgresql":  # bulk inserts fill the trigger-kept search vector too
        assert not TechnologyOffer.objects.filter(search_vector__isnull=True).exists()
