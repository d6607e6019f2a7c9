"""Who sees what: public vs enterprise-only offers, NDA-gated details, needs, deals for parties only;
pages and API alike."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sciencebridge.transfer.selectors import visible_deals, visible_needs, visible_offers
from sciencebridge.transfer.services import deals as svc

pytestmark = pytest.mark.django_db
SECRET = "LLZO nanofibres"


def _ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_offer_visibility_by_user(sample, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    s = sample
    public = {s.battery.pk, s.sensor.pk}
    assert _ids(visible_offers(AnonymousUser())) == public
    assert _ids(visible_offers(s.unregistered)) == public  # works for a company, not registered
    assert _ids(visible_offers(s.ent)) == public | {s.vision.pk}
    assert _ids(visible_offers(s.tto2)) == public | {s.vision.pk}
    assert _ids(visible_offers(s.tto)) == public | {s.vision.pk, s.draft.pk}  # own draft
    assert _ids(visible_offers(s.admin)) == public | {s.vision.pk, s.draft.pk}


def test_public_pages_without_login(sample, client):
    r = client.get(reverse("transfer:offers"))
    assert r.status_code == 200
    body = r.content.decode()
    assert s_title(sample.battery) in body and s_title(sample.sensor) in body
    assert s_title(sample.vision) not in body and "gene-editing" not in body
    r = client.get(reverse("transfer:offer", args=[sample.battery.pk]))
    assert r.status_code == 200 and SECRET not in r.content.decode()
    assert client.get(reverse("transfer:offer", args=[sample.vision.pk])).status_code == 404
    assert client.get(reverse("transfer:offer", args=[sample.draft.pk])).status_code == 404


def s_title(o):
    return o.title_en


@pytest.mark.parametrize(
    "lang,text", [("zh-hant", "更安全鋰電池的固態電解質"), ("en", "Solid-state electrolyte")]
)
def test_public_offer_page_in_each_language(sample, client, lang, text):
    client.cookies["django_language"] = lang
    r = client.get(reverse("transfer:offer", args=[sample.battery.pk]), HTTP_ACCEPT_LANGUAGE=lang)
    assert text in r.content.decode()


def test_details_only_under_nda_and_only_for_that_enterprise(sample, client):
    s = sample
    url = reverse("transfer:offer", args=[s.battery.pk])
    client.force_login(s.ent)
    assert SECRET not in client.get(url).content.decode()
    svc.accept_nda(s.ent, s.battery, signer_name="Ada Lau", accept=True)
    assert SECRET in client.get(url).content.decode()
    client.force_login(s.ent_colleague)  # same enterprise: covered by its undertaking
    assert SECRET in client.get(url).content.decode()
    client.force_login(s.ml_ent)  # another enterprise: not
    assert SECRET not in client.get(url).content.decode()
    client.force_login(s.tto2)  # another TTO: not
    assert SECRET not in client.get(url).content.decode()
    client.force_login(s.tto)  # the offer's own side
    assert SECRET in client.get(url).content.decode()


def test_api_offers_public_restricted_and_nda_details(sample):
    s = sample
    api = APIClient()
    r = api.get("/api/v1/transfer/offers/")
    assert r.status_code == 200
    got = {o["id"]: o for o in r.json()["results"]}
    assert set(got) == {s.battery.pk, s.sensor.pk}
    assert got[s.battery.pk]["details"] is None and got[s.battery.pk]["contact_email"] is None
    assert api.get(f"/api/v1/transfer/offers/{s.vision.pk}/").status_code == 404
    svc.accept_nda(s.ent, s.battery, signer_name="Ada Lau", accept=True)
    api.force_authenticate(s.ent)
    got = {o["id"]: o for o in api.get("/api/v1/transfer/offers/").json()["results"]}
    assert s.vision.pk in got
    assert SECRET in got[s.battery.pk]["details"] and got[s.vision.pk]["details"] is None
    r = api.get("/api/v1/transfer/offers/", {"q": "electrolyte"})
    assert [o["id"] for o in r.json()["results"]] == [s.battery.pk]


def test_needs_visible_to_enterprises_and_ttos_only(sample, client):
    s = sample
    need = s.make_need()
    assert _ids(visible_needs(s.tto)) == {need.pk}
    assert _ids(visible_needs(s.ml_ent)) == {need.pk}
    assert _ids(visible_needs(s.unregistered)) == set()
    url = reverse("transfer:need", args=[need.pk])
    assert client.get(url).status_code == 302  # login first
    client.force_login(s.unregistered)
    assert client.get(url).status_code == 404
    client.force_login(s.ml_ent)
    r = client.get(url)
    assert (
        r.status_code == 200 and "matching-offers" not in r.content.decode()
    )  # matches: owner only
    client.force_login(s.ent)
    assert "matching-offers" in client.get(url).content.decode()


def test_deals_visible_to_parties_only(sample, client):
    s = sample
    deal = svc.express_interest(s.ent, s.battery, message="We are interested")
    parties = (s.ent, s.ent_colleague, s.tto)
    outsiders = (s.ml_ent, s.tto2, s.unregistered)
    for u in parties:
        assert _ids(visible_deals(u)) == {deal.pk}
        client.force_login(u)
        assert client.get(reverse("transfer:deal", args=[deal.pk])).status_code == 200
    for u in outsiders:
        assert _ids(visible_deals(u)) == set()
        client.force_login(u)
        assert client.get(reverse("transfer:deal", args=[deal.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(s.ml_ent)
    assert api.get("/api/v1/transfer/deals/").json()["count"] == 0
    assert api.get(f"/api/v1/transfer/deals/{deal.pk}/").status_code == 404
    api.force_authenticate(s.tto)
    assert api.get(f"/api/v1/transfer/deals/{deal.pk}/").json()["state"] == "contacted"


def test_only_enterprises_express_interest_and_only_ttos_offer(sample, client):
    s = sample
    client.force_login(s.unregistered)
    assert client.get(reverse("transfer:offer_interest", args=[s.battery.pk])).status_code == 403
    assert client.get(reverse("transfer:offer_create")).status_code == 403
    assert client.get(reverse("transfer:need_create")).status_code == 403
    client.force_login(s.tto2)
    assert client.get(reverse("transfer:offer_edit", args=[s.battery.pk])).status_code == 403
    r = client.post(reverse("transfer:offer_state", args=[s.battery.pk, "withdraw"]))
    assert r.status_code == 403
    s.battery.refresh_from_db()
    assert s.battery.state == "published"


@pytest.mark.parametrize(
    "lang,text",
    [
        ("zh-hant", "來自香港及內地大學與科研機構的技術"),
        ("zh-hans", "来自香港及内地大学与科研机构的技术"),
    ],
)
def test_marketplace_strings_are_translated(sample, client, lang, text):
    client.cookies["django_language"] = lang
    body = client.get(reverse("transfer:offers"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert text in body
