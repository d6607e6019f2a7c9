"""A search's order is kept between requests (``selectors.ranked_expert_ids``): pages follow it, it
is ranked once while nothing changes, and every kind of write is seen on the next request."""

import pytest

from sciencebridge.core.testing.spies import record_calls
from sciencebridge.experts import selectors
from sciencebridge.experts.models import ExpertStatus, Publication
from sciencebridge.experts.services import profiles

SEARCH = "/experts/?q=graphene"


@pytest.fixture
def rankings(monkeypatch):
    """Counts the searches actually ranked (not answered from a kept order)."""
    return record_calls(
        monkeypatch, selectors, "matching_experts", lambda user, **filters: filters.get("q")
    )


@pytest.fixture
def pool(make_expert):
    """30 experts on graphene (matching in one to four fields, so the ranks differ) and one not."""
    experts = {}
    for i in range(30):
        fields = i % 4
        experts[i] = make_expert(
            name=f"Graphene {i:02d}" if fields >= 1 else f"Expert {i:02d}",
            keywords="graphene" if fields >= 2 else "optics",
            papers=[
                {"title": "Graphene films" if fields >= 3 else "Optics", "abstract": "graphene"}
            ],
        )
    experts["other"] = make_expert(name="Other", keywords="optics", papers=["Lasers"])
    return experts


def _names(response):
    return [e.name_en for e in response.context["experts"]]


def _expected(user, q="graphene"):
    return list(selectors.search_experts(user, q=q).values_list("name_en", flat=True))


def test_pages_follow_the_search_order(client, officer, pool):
    client.force_login(officer)
    expected = _expected(officer)
    assert len(expected) == 30
    first, second = client.get(SEARCH), client.get(SEARCH + "&page=2")
    assert _names(first) + _names(second) == expected
    assert first.context["page"].paginator.count == 30
    api = client.get("/api/v1/experts/?q=graphene").json()
    assert api["count"] == 30
    assert [e["name_en"] for e in api["results"]] == expected
    assert all(e["publications"] for e in api["results"])


def test_the_order_is_ranked_once_while_nothing_changes(client, officer, pool, rankings):
    client.force_login(officer)
    client.get(SEARCH)
    client.get(SEARCH + "&page=2")
    client.get("/api/v1/experts/?q=graphene")
    assert rankings == ["graphene"]
    client.get("/experts/?q=optics")
    assert rankings == ["graphene", "optics"]


def _admit_new(pool, make_expert):
    make_expert(name="Newcomer", keywords="graphene")
    return "Newcomer", True


def _edit_keywords(pool, make_expert):
    other = pool["other"]
    other.keywords = "graphene sheets"
    other.save()
    return "Other", True


def _add_publication(pool, make_expert):
    Publication.objects.create(expert=pool["other"], title="Graphene membranes")
    return "Other", True


def _edit_publication(pool, make_expert):
    # expert 0 matches through one publication only (its abstract)
    pub = pool[0].publications.get()
    pub.abstract = "optics"
    pub.save()
    return pool[0].name_en, False


def _remove_publication(pool, make_expert):
    pool[0].publications.get().delete()
    return pool[0].name_en, False


def _suspend(pool, make_expert):
    from sciencebridge.accounts.models import User

    secretary = User.objects.get(username="secretary")
    profiles.decide(secretary, pool[3], ExpertStatus.SUSPENDED, "Left the field")
    return pool[3].name_en, False


@pytest.mark.parametrize(
    "write",
    [
        _admit_new,
        _edit_keywords,
        _add_publication,
        _edit_publication,
        _remove_publication,
        _suspend,
    ],
)
def test_each_write_shows_on_the_next_request(
    client, officer, secretariat, pool, make_expert, write
):
    client.force_login(officer)
    before = client.get(SEARCH + "&page=2").context["page"].paginator.count
    name, shown = write(pool, make_expert)
    expected = _expected(officer)
    assert (name in expected) is shown
    first, second = client.get(SEARCH), client.get(SEARCH + "&page=2")
    assert _names(first) + _names(second) == expected
    assert first.context["page"].paginator.count == before + (1 if shown else -1)


def test_a_removed_profile_is_left_out_and_the_order_ranked_again(client, officer, pool, rankings):
    client.force_login(officer)
    client.get(SEARCH)
    gone = client.get(SEARCH).context["experts"][0]
    gone.delete()  # no stamp sees a deletion
    page = client.get(SEARCH)
    assert gone.name_en not in _names(page)
    after = client.get(SEARCH)
    assert after.context["page"].paginator.count == 29
    shown = _names(after) + _names(client.get(SEARCH + "&page=2"))
    assert rankings == ["graphene", "graphene"]
    assert shown == _expected(officer)


def test_an_officer_never_gets_the_secretariats_order(client, officer, secretariat, make_expert):
    make_expert(name="Graphene admitted", keywords="graphene")
    make_expert(name="Graphene applied", keywords="graphene", status=ExpertStatus.APPLIED)
    client.force_login(secretariat)
    assert sorted(_names(client.get(SEARCH))) == ["Graphene admitted", "Graphene applied"]
    client.force_login(officer)
    page = client.get(SEARCH)
    assert _names(page) == ["Graphene admitted"]
    assert page.context["page"].paginator.count == 1
    assert [e["name_en"] for e in client.get("/api/v1/experts/?q=graphene").json()["results"]] == [
        "Graphene admitted"
    ]


def test_api_filters_by_institution_code_and_refuses_bad_ones(client, officer, make_expert):
    make_expert(name="Graphene HKU", keywords="graphene", inst="hku")
    make_expert(name="Graphene CUHK", keywords="graphene", inst="cuhk")
    client.force_login(officer)
    api = client.get("/api/v1/experts/?q=graphene&institution=cuhk").json()
    assert [e["name_en"] for e in api["results"]] == ["Graphene CUHK"]
    assert client.get("/api/v1/experts/?institution=nowhere").json()["count"] == 0
    assert client.get("/api/v1/experts/?institution=no%20such").status_code == 400
