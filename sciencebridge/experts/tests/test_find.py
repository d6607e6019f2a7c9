import datetime as dt

import pytest
from django.urls import reverse

from sciencebridge.experts import matching_adapter as ma
from sciencebridge.experts.models import DeclaredConflict, Publication

ABSTRACT = (
    "We propose graphene terahertz modulators whose strain is tuned electrically, giving fast "
    "optical modulation for 6G wireless links."
)


@pytest.fixture
def pool(make_expert, institutions, codes):
    on_topic = make_expert(
        "Chan Tai Man",
        inst="cuhk",
        codes=[codes["F0201"]],
        papers=[
            {
                "title": "Strain-tuned graphene terahertz modulators",
                "abstract": "Graphene modulators at terahertz.",
                "year": 2023,
                "coauthors": "Tai Man Chan; Ho Pui Yee",
            },
            {
                "title": "Electrically tuned terahertz optical modulation in 2D materials",
                "year": 2021,
            },
        ],
    )
    same_inst = make_expert(
        "Lau Siu Ming",
        inst="hku",
        papers=[{"title": "Graphene anodes for fast-charging batteries", "year": 2022}],
    )
    coauthor = make_expert(
        "Ho Pui Yee",
        inst="tsinghua",
        papers=[
            {
                "title": "Terahertz graphene devices",
                "year": 2024,
                "coauthors": "Ho, Pui Yee and Cheung, Wing Sze",
            }
        ],
    )
    declared = make_expert(
        "Ng Ka Ho", inst="cuhk", papers=[{"title": "Graphene terahertz photonics", "year": 2021}]
    )
    DeclaredConflict.objects.create(
        expert=declared, person_name="Leung Mei Ling", reason="Former student"
    )
    off_topic = make_expert(
        "Zhang San",
        inst="tsinghua",
        keywords="protein folding",
        papers=[{"title": "Deep learning for protein folding", "year": 2020}],
    )
    kw_only = make_expert(
        "Keyword Only", inst="tsinghua", keywords="graphene, terahertz modulators"
    )
    return locals()


@pytest.mark.django_db
def test_on_topic_expert_ranks_first_with_matching_papers(pool):
    results = ma.find_experts(ma.ExpertQuery(text=ABSTRACT, title="Graphene terahertz modulators"))
    assert results[0].expert == pool["on_topic"]
    assert results[0].papers[0].title == "Strain-tuned graphene terahertz modulators"
    assert results[0].papers[0].score > 0
    assert all(m.expert != pool["off_topic"] for m in results)  # no word in common: not listed
    kw = next(m for m in results if m.expert == pool["kw_only"])
    assert kw.papers[0].is_keywords  # keyword-only experts are found through their keywords
    assert not any(m.conflicted for m in results)  # no applicant given: nothing to conflict with


@pytest.mark.django_db
def test_conflicted_experts_flagged_with_reason(pool, institutions):
    query = ma.ExpertQuery(
        text=ABSTRACT,
        institution=institutions["hku"],
        team=("Leung Mei Ling <ml.leung@hku.hk>", "Cheung Wing Sze"),
    )
    results = {m.expert.pk: m for m in ma.find_experts(query)}
    assert results[pool["on_topic"].pk].conflicts == []
    codes_of = {
        name: {r.code for r in results[pool[name].pk].conflicts}
        for name in ("same_inst", "coauthor", "declared")
    }
    assert codes_of == {
        "same_inst": {"SAME_INSTITUTION"},
        "coauthor": {"COAUTHOR"},
        "declared": {"DECLARED"},
    }
    # worded when shown: the institution by its name, people as the applicant typed them
    assert str(results[pool["same_inst"].pk].conflicts[0]) == (
        "Expert works at HKU, the applicant's institution."
    )
    assert "Cheung Wing Sze" in str(results[pool["coauthor"].pk].conflicts[0])
    assert "Leung Mei Ling" in str(results[pool["declared"].pk].conflicts[0])
    hidden = ma.find_experts(query, hide_conflicted=True)
    assert {m.expert.pk for m in hidden}.isdisjoint(
        {pool[n].pk for n in ("same_inst", "coauthor", "declared")}
    )
    assert hidden[0].expert == pool["on_topic"]


@pytest.mark.django_db
def test_team_member_and_avoid_list(pool, institutions):
    query = ma.ExpertQuery(text=ABSTRACT, team=("Chan Tai Man",), avoid=("Ng Ka Ho",))
    results = {m.expert.pk: m for m in ma.find_experts(query)}
    assert {r.code for r in results[pool["on_topic"].pk].conflicts} >= {"TEAM_MEMBER"}
    assert {r.code for r in results[pool["declared"].pk].conflicts} == {"DECLARED"}


@pytest.mark.django_db
def test_team_member_found_by_email_is_explained(pool):
    """An applicant who lists a team member by e-mail under another name still finds the expert
    excluded, with the sentence that says why (the built-in team rule shares the code and does
    not explain the pair: the reason once read only "TEAM_MEMBER")."""
    expert = pool["same_inst"]
    line = f"L. S. Ming <{expert.email}>"
    query = ma.ExpertQuery(text=ABSTRACT, team=(line,))
    reasons = {m.expert.pk: m.conflicts for m in ma.find_experts(query)}[expert.pk]
    assert [r.kind for r in reasons] == ["same_person"]
    assert str(reasons[0]) == (
        f"Expert's e-mail or Chinese name matches a team member ({expert.email})."
    )


@pytest.mark.django_db
def test_expired_declared_conflict_ignored(pool):
    DeclaredConflict.objects.filter(expert=pool["declared"]).update(until=dt.date(2000, 1, 1))
    results = {
        m.expert.pk: m
        for m in ma.find_experts(ma.ExpertQuery(text=ABSTRACT, team=("Leung Mei Ling",)))
    }
    assert results[pool["declared"].pk].conflicts == []


@pytest.mark.django_db
def test_index_cached_and_invalidated_when_publications_change(pool, django_assert_max_num_queries):
    ma.find_experts(ma.ExpertQuery(text=ABSTRACT))
    first = ma.get_index()
    assert ma.get_index() is first  # reused across requests
    Publication.objects.create(
        expert=pool["off_topic"], title="Graphene terahertz modulators and protein folding"
    )
    second = ma.get_index()
    assert second is not first
    results = ma.find_experts(ma.ExpertQuery(text=ABSTRACT))
    assert pool["off_topic"] in [m.expert for m in results]
    with django_assert_max_num_queries(12):  # cached index: a handful of queries, none per expert
        ma.find_experts(ma.ExpertQuery(text=ABSTRACT, team=("Leung Mei Ling",)))


@pytest.mark.django_db
def test_find_page(client, officer, pool, institutions):
    client.force_login(officer)
    assert client.get(reverse("experts:find")).status_code == 200
    resp = client.post(
        reverse("experts:find"),
        {
            "text": ABSTRACT,
            "institution": institutions["hku"].pk,
            "team": "Cheung Wing Sze",
            "limit": 10,
        },
    )
    body = resp.content.decode()
    assert resp.status_code == 200
    assert body.index("Chan Tai Man") < body.index("Lau Siu Ming")
    assert "Conflict of interest" in body and "Same institution" in body
    assert "Expert works at HKU, the applicant&#x27;s institution." in body
    assert "SAME_INSTITUTION" not in body
    assert "Strain-tuned graphene terahertz modulators" in body


@pytest.mark.django_db
def test_find_page_words_conflicts_in_the_page_language(client, officer, pool, institutions):
    """A Chinese page names the institution in Chinese and labels the rule in Chinese, not with the
    engine's English sentence and code."""
    Institution = type(institutions["hku"])
    Institution.objects.filter(pk=institutions["hku"].pk).update(name_zh_hant="香港大學")
    client.force_login(officer)
    client.cookies["django_language"] = "zh-hant"
    resp = client.post(
        reverse("experts:find"),
        {"text": ABSTRACT, "institution": institutions["hku"].pk, "limit": 10},
    )
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "香港大學" in body and "Expert works at" not in body and "SAME_INSTITUTION" not in body


def test_person_key_is_order_and_format_insensitive():
    assert (
        ma.person_key("Chan, Tai Man")
        == ma.person_key("Tai-Man Chan")
        == ma.person_key("CHAN Tai-Man")
    )
    assert ma.parse_team_line("Chan Tai Man <tm@hku.hk>") == ("Chan Tai Man", "tm@hku.hk")


@pytest.fixture
def world_call(db):
    from sciencebridge.core.testing.factories import AgencyFactory, make_call, make_scheme

    hk = AgencyFactory(code="rgc-t", name="RGC", short_name="RGC", region="HK", currency="HKD")
    ml = AgencyFactory(code="nsfc-t", name="NSFC", short_name="NSFC", region="ML", currency="CNY")
    return make_call(make_scheme(hk, ml, code="jrs-t"))


@pytest.mark.django_db
def test_text_model_is_chosen_per_search_and_per_call(client, officer, pool, world_call):
    """One cached index per model; the search's choice wins, else the call's, else the default."""
    bm25 = ma.find_experts(ma.ExpertQuery(text=ABSTRACT, model="bm25"))
    assert bm25[0].expert == pool["on_topic"]
    assert ma.get_index("bm25").scorer.config.model == "bm25"
    assert ma.get_index().scorer.config.model == "tfidf"  # the platform default (test settings)
    assert ma.get_index("bm25") is ma.get_index("bm25")  # cached, not rebuilt
    assert ma.model_name("no-such-model") == "tfidf"  # unknown or not installed: the default

    client.force_login(officer)
    resp = client.post(reverse("experts:find"), {"text": ABSTRACT, "model": "bm25", "limit": 5})
    assert "Text model: BM25" in resp.content.decode()
    world_call.matching_model = "bm25"
    world_call.save()
    resp = client.post(
        reverse("experts:find"), {"text": ABSTRACT, "call": world_call.pk, "limit": 5}
    )
    assert "Text model: BM25" in resp.content.decode()
    resp = client.post(reverse("experts:find"), {"text": ABSTRACT, "model": "gpt", "limit": 5})
    assert resp.status_code == 200 and "Select a valid choice" in resp.content.decode()


@pytest.mark.django_db
def test_call_refuses_an_unknown_text_model(world_call):
    from django.core.exceptions import ValidationError

    world_call.matching_model = "gpt"
    with pytest.raises(ValidationError, match="Unknown text model gpt"):
        world_call.full_clean()
    world_call.matching_model = "neural-fast"
    world_call.full_clean()
