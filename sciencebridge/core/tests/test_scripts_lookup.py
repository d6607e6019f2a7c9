"""``core.scripts.icontains_any`` looks up a spelling of Chinese characters only with ``contains``
(no ``UPPER()`` of every field on PostgreSQL): the rows found are those ``icontains`` finds, on
text in every case and script, and a spelling with any other character keeps ``icontains``."""

import pytest
from django.db.models import Q

from sciencebridge.core.scripts import icontains_any
from sciencebridge.core.testing.factories import InstitutionFactory
from sciencebridge.institutions.models import Institution

pytestmark = pytest.mark.django_db

NAMES = [
    "石墨烯 Graphene Lab",
    "GRAPHENE 石墨烯薄膜",
    "石墨 and 烯 apart",
    "鋰離子電池 Battery Centre",
    "锂离子电池 battery centre",
    "ŉ Straße ﬁne ǅ",  # characters whose case changes their length or form
    "Plain English",
]
TERMS = [
    "石墨烯",
    "石墨",
    "烯",
    "鋰離子電池",
    "电池",
    "graphene",
    "Graphene 石墨烯",
    "straße",
    "ǆ",
    "ﬁ",
]


@pytest.fixture
def named():
    for i, name in enumerate(NAMES):
        InstitutionFactory(code=f"lk-{i}", name=name)
    return Institution.objects.filter(code__startswith="lk-")


def _codes(qs):
    return sorted(qs.values_list("code", flat=True))


@pytest.mark.parametrize("term", TERMS)
def test_same_rows_as_icontains_in_every_spelling(named, term):
    from sciencebridge.core.scripts import script_variants

    every_spelling_icontains = Q()
    for spelling in script_variants(term):
        every_spelling_icontains |= Q(name__icontains=spelling)
    assert _codes(named.filter(icontains_any(["name"], term))) == _codes(
        named.filter(every_spelling_icontains)
    )


def test_only_chinese_spellings_skip_the_case_folding():
    lookups = {
        term: sorted({child[0].split("__")[1] for child in icontains_any(["name"], term).children})
        for term in ("石墨烯", "電池", "Graphene 石墨烯", "graphene", "石墨烯2")
    }
    assert lookups == {
        "石墨烯": ["contains"],
        "電池": ["contains"],
        "Graphene 石墨烯": ["icontains"],
        "graphene": ["icontains"],
        "石墨烯2": ["icontains"],
    }
