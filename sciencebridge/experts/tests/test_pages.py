import pytest
from django.urls import reverse

from sciencebridge.experts.models import ExpertStatus


@pytest.mark.django_db
def test_secretariat_pages_render(client, secretariat, make_expert, codes):
    e = make_expert(
        "Applied One", status=ExpertStatus.APPLIED, codes=[codes["F0201"]], papers=["A paper"]
    )
    client.force_login(secretariat)
    for url in (
        reverse("experts:import"),
        reverse("experts:vetting"),
        reverse("experts:list"),
        reverse("experts:detail", args=[e.pk]),
        reverse("experts:find"),
    ):
        resp = client.get(url)
        assert resp.status_code == 200, url
    assert "Record decision" in client.get(reverse("experts:detail", args=[e.pk])).content.decode()


@pytest.mark.django_db
def test_expert_maintains_own_profile(client, make_user, make_expert, institutions):
    user = make_user("selfie", "expert")
    expert = make_expert("Self Service", user=user)
    client.force_login(user)
    url = reverse("experts:me")
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {
            "action": "publication",
            "pub-title": "Typhoon surge",
            "pub-year": 2020,
            "pub-coauthors": "A; B",
        },
    )
    assert r.status_code == 302 and expert.publications.count() == 1
    r = client.post(url, {"action": "publication", "pub-title": "typhoon  SURGE"})
    assert r.status_code == 200 and "already in your profile" in r.content.decode()
    client.post(
        url, {"action": "conflict", "c-person_name": "Leung Mei Ling", "c-reason": "Former student"}
    )
    client.post(
        url, {"action": "conflict", "c-reason": "Nobody"}
    )  # refused: no person or institution
    assert expert.declared_conflicts.count() == 1
    client.post(
        url,
        {
            "action": "availability",
            "a-kind": "unavailable",
            "a-start": "2026-01-01",
            "a-end": "2026-02-01",
        },
    )
    client.post(
        url,
        {
            "action": "availability",
            "a-kind": "available",
            "a-start": "2026-03-01",
            "a-end": "2026-02-01",
        },
    )  # refused: ends before it starts
    assert expert.availability.count() == 1
    client.post(url, {"action": "review", "r-scheme": "RGC GRF", "r-year": 2024, "r-count": 3})
    assert expert.review_records.count() == 1
    r = client.post(
        url,
        {
            "action": "profile",
            "p-name_en": "Self Service",
            "p-email": "self@example.org",
            "p-region": "HK",
            "p-institution": institutions["hku"].pk,
            "p-keywords": "storm surge",
            "p-orcid": "0000-0002-1825-0097",
        },
    )
    assert r.status_code == 302
    expert.refresh_from_db()
    assert expert.keywords == "storm surge" and expert.email == "self@example.org"
    r = client.post(
        url,
        {
            "action": "profile",
            "p-name_en": "Self Service",
            "p-email": "self@example.org",
            "p-region": "ML",
            "p-institution": institutions["hku"].pk,
            "p-orcid": "1234",
        },
    )
    assert r.status_code == 200
    expert.refresh_from_db()
    assert expert.region == "HK" and expert.orcid == "0000-0002-1825-0097"
    pub = expert.publications.get()
    assert (
        client.post(reverse("experts:my_item_delete", args=["publication", pub.pk])).status_code
        == 302
    )
    assert expert.publications.count() == 0


@pytest.mark.django_db
def test_nav_entry_only_for_officers_and_secretariat(client, officer, secretariat, applicant):
    from django.test import RequestFactory

    from sciencebridge.experts.nav import items

    def request_of(user):
        request = RequestFactory().get("/")
        request.user = user
        return request

    assert [str(label) for label, _url in items(request_of(officer))] == ["Experts"]
    assert [url for _label, url in items(request_of(secretariat))] == [reverse("experts:list")]
    assert items(request_of(applicant)) == []
