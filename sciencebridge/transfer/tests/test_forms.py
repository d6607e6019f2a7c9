"""Pages that change things: bad input gets a clear message and loses nothing."""

import pytest
from django.urls import reverse

from sciencebridge.transfer.models import Deal, TechnologyOffer

pytestmark = pytest.mark.django_db


def test_offer_form_keeps_input_on_error_then_creates(market, client):
    client.force_login(market.tto)
    url = reverse("transfer:offer_create")
    data = {
        "title_zh_hant": "固態電解質",
        "field": "energy",
        "trl": "5",
        "ip_status": "granted",
        "visibility": "public",
        "keywords": "battery",
        "contact_name": "",
        "contact_email": "",
    }
    r = client.post(url, data)  # no summary, nothing offered
    body = r.content.decode()
    assert r.status_code == 200 and "固態電解質" in body
    assert "plain-language summary" in body and "what is offered" in body.lower()
    data.update(summary_en="Safer batteries.", offer_types=["licence"], action="publish")
    r = client.post(url, data)
    offer = TechnologyOffer.objects.get()
    assert (
        r.status_code == 302
        and offer.state == "published"
        and offer.contact_email == market.tto.email
    )
    r = client.post(reverse("transfer:offer_edit", args=[offer.pk]), {**data, "trl": "7"})
    offer.refresh_from_db()
    assert r.status_code == 302 and offer.trl == 7 and offer.offer_types == ["licence"]


def test_need_interest_nda_and_deal_pages(market, client):
    offer = market.make_offer()
    client.force_login(market.ent)
    r = client.post(
        reverse("transfer:need_create"),
        {
            "title_en": "Bus batteries",
            "description_en": "Safer packs",
            "field": "energy",
            "keywords": "battery",
            "alert_me": "on",
        },
    )
    assert r.status_code == 302
    r = client.post(reverse("transfer:offer_interest", args=[offer.pk]), {"message": ""})
    assert "This field is required" in r.content.decode()
    r = client.post(reverse("transfer:offer_interest", args=[offer.pk]), {"message": "Hello"})
    deal = Deal.objects.get()
    assert r.status_code == 302
    r = client.post(reverse("transfer:offer_nda", args=[offer.pk]), {"signer_name": "Ada"})
    assert "Tick the box" in r.content.decode()
    client.post(
        reverse("transfer:offer_nda", args=[offer.pk]), {"signer_name": "Ada", "accept": "on"}
    )
    deal.refresh_from_db()
    assert deal.state == "under_nda"
    # The enterprise may only close; a stage it may not choose is refused by the form.
    r = client.post(reverse("transfer:deal", args=[deal.pk]), {"to": "licensed"})
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    client.force_login(market.tto)
    client.post(reverse("transfer:deal", args=[deal.pk]), {"to": "negotiating"})
    r = client.post(
        reverse("transfer:deal", args=[deal.pk]),
        {"to": "licensed", "value_0": "", "value_1": "HKD", "terms": "Exclusive"},
    )
    assert "Record the value" in r.content.decode()
    client.post(
        reverse("transfer:deal", args=[deal.pk]),
        {"to": "licensed", "value_0": "250000", "value_1": "CNY"},
    )
    deal.refresh_from_db()
    assert deal.state == "licensed" and str(deal.value) in ("CN¥250,000.00", "¥250,000.00")
    client.force_login(market.ent)
    r = client.get(reverse("transfer:searches"))
    assert "Bus batteries" in r.content.decode()  # the need's own alert
