import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciencebridge.experts import selectors
from sciencebridge.experts.models import AvailabilityKind, AvailabilityWindow


@pytest.fixture
def experts(make_expert, codes):
    return {
        "graphene": make_expert(
            "Chan Tai Man",
            name_zh="陳大文",
            keywords="graphene; photonics",
            codes=[codes["F0201"]],
            papers=[{"title": "Graphene terahertz modulators", "abstract": "Strain in graphene."}],
        ),
        "catalysis": make_expert(
            "Li Wei",
            inst="tsinghua",
            keywords="catalysis",
            codes=[codes["B01"]],
            papers=[{"title": "Single-atom catalysts", "abstract": "Graphene supports."}],
        ),
        "floods": make_expert(
            "Wong Ka Yan",
            inst="cuhk",
            keywords="coastal floods",
            papers=[{"title": "Storm surge", "abstract": "Typhoons"}],
        ),
    }


@pytest.mark.django_db
def test_fulltext_fallback_matches_names_keywords_and_papers_ranked(officer, experts):
    hits = list(selectors.search_experts(officer, q="graphene"))
    # Chan matches in keywords, title and abstract (3 fields); Li only in an abstract (1).
    assert hits == [experts["graphene"], experts["catalysis"]]
    assert hits[0].rank > hits[1].rank
    assert list(selectors.search_experts(officer, q="陳大文")) == [experts["graphene"]]
    assert list(selectors.search_experts(officer, q="typhoons")) == [experts["floods"]]
    assert list(selectors.search_experts(officer, q="graphene catalysts")) == [
        experts["catalysis"]
    ]  # AND
    assert list(selectors.search_experts(officer, q="nothing-like-this")) == []


@pytest.mark.django_db
def test_filters(officer, experts, institutions):
    assert list(selectors.search_experts(officer, discipline="F02")) == [experts["graphene"]]
    assert list(selectors.search_experts(officer, discipline="b")) == [experts["catalysis"]]
    assert list(selectors.search_experts(officer, region="ML")) == [experts["catalysis"]]
    assert list(selectors.search_experts(officer, institution=institutions["cuhk"])) == [
        experts["floods"]
    ]
    day = dt.date(2026, 3, 1)
    AvailabilityWindow.objects.create(
        expert=experts["graphene"],
        kind=AvailabilityKind.UNAVAILABLE,
        start=dt.date(2026, 2, 1),
        end=dt.date(2026, 3, 31),
    )
    AvailabilityWindow.objects.create(
        expert=experts["catalysis"], start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30)
    )
    # Chan is away; Li is available only in June; Wong declared nothing, so counts as available.
    assert list(selectors.search_experts(officer, available=day)) == [experts["floods"]]
    june = dt.date(2026, 6, 15)
    assert set(selectors.search_experts(officer, available=june)) == set(experts.values())


@pytest.mark.django_db
def test_list_page_filters_and_paginates(client, officer, experts):
    client.force_login(officer)
    resp = client.get(reverse("experts:list"), {"q": "graphene", "region": "HK"})
    body = resp.content.decode()
    assert resp.status_code == 200 and "Chan Tai Man" in body and "Li Wei" not in body


def _list_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(reverse("experts:list"), {"q": "paper"})
    assert resp.status_code == 200
    return len(ctx), resp


@pytest.mark.django_db
def test_list_query_count_is_flat(client, secretariat, make_expert, codes):
    def add(n, start):
        for i in range(start, start + n):
            make_expert(
                f"Expert {i:03d}",
                codes=[codes["F0201"], codes["520"]],
                papers=[f"Paper {i} one", f"Paper {i} two"],
                department="Physics",
            )

    add(10, 0)
    few, resp = _list_queries(client, secretariat)
    assert resp.context["page"].paginator.count == 10
    add(90, 10)
    many, resp = _list_queries(client, secretariat)
    assert resp.context["page"].paginator.count == 100
    assert len(resp.context["experts"]) == 25
    assert many == few, (few, many)


@pytest.mark.postgres
@pytest.mark.django_db
def test_fulltext_postgres(officer, experts):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    hits = list(selectors.search_experts(officer, q="graphene"))
    assert hits[0] == experts["graphene"] and experts["catalysis"] in hits
    assert experts["floods"] not in hits


@pytest.mark.django_db
def test_chinese_search_finds_either_script(officer, make_expert):
    """Issue 15: "电池" (Simplified) finds a profile written "電池" (Traditional), and back."""
    trad = make_expert("Lee Siu Ming", name_zh="李少明", keywords="鋰離子電池; 固態電解質")
    simp = make_expert("Zhang Hua", inst="tsinghua", name_zh="张华", keywords="钠离子电池")
    make_expert("Other", keywords="光子學")
    assert set(selectors.search_experts(officer, q="电池")) == {trad, simp}
    assert set(selectors.search_experts(officer, q="電池")) == {trad, simp}
    assert list(selectors.search_experts(officer, q="固态电解质")) == [trad]
    assert list(selectors.search_experts(officer, q="張華")) == [simp]


@pytest.mark.django_db
def test_discipline_filter_crosses_nsfc_and_rgc_panels(officer, make_expert, codes):
    """The NSFC ↔ RGC crosswalk: an officer filtering by an RGC panel finds Mainland experts coded with
    the NSFC codes the panel covers, and the reverse (full-confidence links only)."""
    from sciencebridge.classification.models import ClassificationScheme, DisciplineCode

    rgc = ClassificationScheme.objects.create(code="rgc-panel", name="RGC panels")
    panel_e = DisciplineCode.objects.create(scheme=rgc, code="E", name="Engineering", level=1)
    psychology = DisciplineCode.objects.create(
        scheme=rgc, code="HSS-PL", name="Psychology & Linguistics", level=2
    )
    nsfc = codes["F0201"].scheme
    c0901 = DisciplineCode.objects.create(scheme=nsfc, code="C0901", name="Neuroscience", level=3)
    software = make_expert("Zhang Software", inst="tsinghua", codes=[codes["F0201"]])
    hk_engineer = make_expert("HK Engineer", codes=[panel_e])
    neuro = make_expert("Neuro", inst="tsinghua", codes=[c0901])
    make_expert("HK Psychologist", codes=[psychology])

    assert set(selectors.search_experts(officer, discipline="E")) == {software, hk_engineer}
    assert set(selectors.search_experts(officer, discipline="F02")) == {software, hk_engineer}
    # C09 ↔ HSS-PL is only a partial link (0.5): a filter does not follow it
    assert list(selectors.search_experts(officer, discipline="C09")) == [neuro]
