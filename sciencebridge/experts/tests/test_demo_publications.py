"""The demo experts' publications look real and match their disciplines, so demo searches make sense."""

import json
import random
from io import StringIO
from types import SimpleNamespace

import pytest

from sciencebridge.core.management.commands.seed_reference import load_classifications
from sciencebridge.core.reference import classifications
from sciencebridge.experts import demo as experts_demo
from sciencebridge.experts import demo_papers as DP
from sciencebridge.experts import matching_adapter as ma
from sciencebridge.experts import selectors
from sciencebridge.experts.models import ExpertProfile
from sciencebridge.funding import demo_data as D

QUERY = "sodium-ion battery cathodes"
GOLD_ON_TOPIC = "Federated Unsupervised Clustering with Generative Models"
GOLD_OFF_TOPIC = "Spherical convolutions on molecular graphs for protein model quality assessment"


@pytest.fixture
def demo_experts(db, settings, tmp_path, institutions):
    """The demo expert database, seeded as ``seed_demo`` does, on the reference discipline codes,
    with a two-paper stand-in for the expertise gold standard."""
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "~1.jsonl").write_text(
        "\n".join(
            json.dumps({"content": {"title": t, "abstract": f"Abstract of {t}."}})
            for t in (GOLD_ON_TOPIC, GOLD_OFF_TOPIC)
        ),
        encoding="utf-8",
    )
    settings.EXPERTISE_GOLD_DIR = str(gold)
    load_classifications()
    experts_demo.seed(SimpleNamespace(stdout=StringIO()), random.Random(2026))
    ma.invalidate()
    return list(
        ExpertProfile.objects.filter(email__endswith="@" + experts_demo.DOMAIN).prefetch_related(
            "publications", "discipline_codes__scheme"
        )
    )


def _topics(expert) -> set[str]:
    """The table topics of the expert's papers (gold-standard papers have none)."""
    return {
        DP.TOPIC_OF_TITLE[p.title].key
        for p in expert.publications.all()
        if p.title in DP.TOPIC_OF_TITLE
    }


def _battery(expert) -> bool:
    return bool(_topics(expert) & {"sodium-ion", "solid-state-lithium"})


def _perovskite_only(expert) -> bool:
    return "perovskite-tandem" in _topics(expert) and not _battery(expert)


def test_table_covers_every_demo_call_topic_with_believable_papers():
    call_topics = {core for fam in D.TOPICS.values() for core, *_rest in fam}
    assert call_topics <= {t.name for t in DP.TOPICS}
    assert {"sodium-ion", "solid-state-lithium", "perovskite-tandem"} <= set(DP.BY_KEY)
    assert {t.family for t in DP.TOPICS} == set(D.TOPICS)
    reference = {(s["code"], c["code"]) for s in classifications.SCHEMES for c in s["codes"]}
    titles = [p.title for t in DP.TOPICS for p in t.papers]
    assert len(titles) == len(set(titles))  # one topic per title
    for t in DP.TOPICS:
        assert set(t.codes) <= reference, t.key
        assert {s for s, _c in t.codes} == {"gbt13745", "rgc-panel", "nsfc"}, t.key
        assert len(t.papers) >= 3, t.key
        assert all(DP.BY_KEY[r].family == t.family for r in DP.RELATED[t.key]), t.key
        for p in t.papers:
            sentences = p.abstract.count(". ") + 1
            assert 2 <= sentences <= 4 and p.abstract.endswith("."), p.title
            assert 2015 <= p.year <= 2025 and p.venue


def test_each_demo_expert_has_papers_on_their_disciplines(demo_experts):
    assert len(demo_experts) == experts_demo.N_EXPERTS
    seen_topics = set()
    for e in demo_experts:
        mine = {(d.scheme.code, d.code) for d in e.discipline_codes.all()}
        on_discipline = [
            p
            for p in e.publications.all()
            if p.title in DP.TOPIC_OF_TITLE and set(DP.TOPIC_OF_TITLE[p.title].codes) & mine
        ]
        assert len(on_discipline) >= 2, (e.name_en, mine)
        families = {DP.BY_KEY[k].family for k in _topics(e)}
        assert len(families) == 1, (e.name_en, families)  # one field per expert
        assert all(p.abstract and p.year and p.venue for p in e.publications.all())
        seen_topics |= _topics(e)
    assert seen_topics == set(DP.BY_KEY)  # every topic has experts


def test_ai_experts_get_on_topic_gold_standard_papers_only(demo_experts):
    holders = [e for e in demo_experts if GOLD_ON_TOPIC in {p.title for p in e.publications.all()}]
    assert holders and all(
        DP.BY_KEY["federated-learning"].keywords[0] in e.keywords for e in holders
    )
    assert not any(GOLD_OFF_TOPIC in {p.title for p in e.publications.all()} for e in demo_experts)


def test_keyword_search_for_battery_cathodes_finds_battery_experts(demo_experts, officer):
    hits = list(selectors.search_experts(officer, q=QUERY))
    by_pk = {e.pk: e for e in demo_experts}
    assert len(hits) >= 3
    assert all(_battery(by_pk[h.pk]) for h in hits)
    assert not any(_perovskite_only(by_pk[h.pk]) for h in hits)


def test_expert_finder_ranks_battery_experts_first_and_no_perovskite_expert(demo_experts):
    results = ma.find_experts(ma.ExpertQuery(text=QUERY, model="tfidf"), limit=10)
    by_pk = {e.pk: e for e in demo_experts}
    top = [by_pk[m.expert.pk] for m in results]
    assert len(top) >= 5
    assert all(_battery(e) for e in top[:5]), [sorted(_topics(e)) for e in top[:5]]
    assert not any(_perovskite_only(e) for e in top), [sorted(_topics(e)) for e in top]
    best = next(p.title for p in results[0].papers if not p.is_keywords)  # the reason shown
    assert DP.TOPIC_OF_TITLE[best].key == "sodium-ion"
    # And the other way round: a perovskite question finds perovskite people, not battery chemists.
    solar = ma.find_experts(
        ma.ExpertQuery(text="perovskite tandem solar cell stability", model="tfidf"), limit=5
    )
    assert solar and all("perovskite-tandem" in _topics(by_pk[m.expert.pk]) for m in solar)
