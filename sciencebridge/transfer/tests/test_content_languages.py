"""Offers in three languages: the missing Chinese script by OpenCC, marked until the office confirms
it; a text missing in the page's language shows in its own language, visibly."""

import pytest
from django.urls import reverse

from sciencebridge.transfer.models import TechnologyOffer
from sciencebridge.transfer.services import offers as offer_svc

pytestmark = pytest.mark.django_db

SIMPLIFIED = dict(
    title_en="",
    title_zh_hans="软件定义的电池管理系统",
    summary_en="",
    summary_zh_hans="用软件监测电池组的温度与电压，防止热失控。",
    field="energy",
    keywords="battery",
    trl=5,
    ip_status="filed",
    offer_types=["licence"],
    visibility="public",
)
MARKER_HANT = "由簡體中文自動轉換——尚未核對"


def _get(client, url, lang):
    client.cookies["django_language"] = lang
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def test_simplified_only_offer_shows_converted_traditional_with_marker(market, client):
    offer = offer_svc.create_offer(market.tto, publish=True, **SIMPLIFIED)
    assert offer.title_zh_hant == "軟件定義的電池管理系統"  # Hong Kong wording: 軟件
    assert set(offer.converted_fields) == {"title_zh_hant", "summary_zh_hant"}
    url = reverse("transfer:offer", args=[offer.pk])
    body = _get(client, url, "zh-hant")
    assert "軟件定義的電池管理系統" in body and MARKER_HANT in body
    body = _get(client, url, "zh-hans")  # the office's own text: no marker
    assert "软件定义的电池管理系统" in body and "content-converted" not in body
    listing = _get(client, reverse("transfer:offers"), "zh-hant")
    assert "軟件定義的電池管理系統" in listing and "（自動轉換）" in listing


def test_confirming_the_conversion_removes_the_marker(market, client):
    offer = offer_svc.create_offer(market.tto, publish=True, **SIMPLIFIED)
    client.force_login(market.tto)
    edit = reverse("transfer:offer_edit", args=[offer.pk])
    form = _get(client, edit, "zh-hant")
    assert 'name="confirm_conversions"' in form and MARKER_HANT in form
    data = {
        "title_zh_hant": offer.title_zh_hant,
        "title_zh_hans": offer.title_zh_hans,
        "summary_zh_hant": offer.summary_zh_hant,
        "summary_zh_hans": offer.summary_zh_hans,
        "field": "energy",
        "trl": "5",
        "ip_status": "filed",
        "visibility": "public",
        "offer_types": ["licence"],
        "confirm_conversions": "on",
    }
    assert client.post(edit, data).status_code == 302
    offer.refresh_from_db()
    assert offer.converted_fields == {}
    body = _get(client, reverse("transfer:offer", args=[offer.pk]), "zh-hant")
    assert "軟件定義的電池管理系統" in body and "content-converted" not in body
    # Confirmed: a later change of the Simplified text does not overwrite it.
    offer_svc.update_offer(market.tto, offer, summary_zh_hans="新的简介。")
    offer.refresh_from_db()
    assert offer.summary_zh_hant == data["summary_zh_hant"]


def test_unconfirmed_conversion_follows_an_edit_of_the_source(market):
    offer = offer_svc.create_offer(market.tto, publish=True, **SIMPLIFIED)
    offer_svc.update_offer(
        market.tto, offer, summary_zh_hans="新的简介。", summary_zh_hant=offer.summary_zh_hant
    )
    offer = TechnologyOffer.objects.get(pk=offer.pk)
    assert offer.summary_zh_hant == "新的簡介。" and "summary_zh_hant" in offer.converted_fields
    # The English column holds the office's own (Simplified) text, and follows it too.
    assert offer.summary_en == "新的简介。"


def test_english_only_offer_in_a_chinese_page_is_marked_english(market, client):
    offer = market.make_offer(
        title_en="Machine vision for defect inspection", summary_en="Cameras find <cracks>."
    )
    body = _get(client, reverse("transfer:offer", args=[offer.pk]), "zh-hans")
    assert (
        '<span lang="en" class="content-fallback">Machine vision for defect inspection</span>'
        in body
    )
    assert "Cameras find &lt;cracks&gt;." in body and "（英文原文）" in body
    listing = _get(client, reverse("transfer:offers"), "zh-hans")
    assert 'lang="en"' in listing and "（英文原文）" in listing


def test_chinese_only_offer_in_the_english_page_is_marked_chinese(market, client):
    offer = offer_svc.create_offer(market.tto, publish=True, **SIMPLIFIED)
    body = _get(client, reverse("transfer:offer", args=[offer.pk]), "en")
    assert '<span lang="zh-Hans" class="content-fallback">软件定义的电池管理系统</span>' in body
    assert "(Simplified Chinese original)" in body


def test_offer_list_query_count_does_not_grow(market, client, django_assert_max_num_queries):
    for i in range(3):
        offer_svc.create_offer(market.tto, publish=True, **{**SIMPLIFIED, "keywords": f"k{i}"})
    client.cookies["django_language"] = "zh-hant"
    with django_assert_max_num_queries(12):
        assert client.get(reverse("transfer:offers")).status_code == 200


def test_traditional_need_is_converted_marked_and_confirmed_by_its_enterprise(market, client):
    from sciencebridge.transfer.models import TechnologyNeed
    from sciencebridge.transfer.services import needs as need_svc

    need = need_svc.post_need(
        market.ent,
        title_zh_hant="電動巴士電池過熱",
        description_zh_hant="我們的巴士電池組過熱，需要固態電解質。",
        field="energy",
        alert_me=False,
        notify_matches=False,
    )
    assert need.title_zh_hans == "电动巴士电池过热"
    assert set(need.converted_fields) == {"title_zh_hans", "description_zh_hans"}
    url = reverse("transfer:need", args=[need.pk])
    client.force_login(market.tto)  # the offering side reads it
    body = _get(client, url, "zh-hans")
    assert "电动巴士电池过热" in body and "由繁体中文自动转换——尚未核对" in body
    english = _get(client, url, "en")
    assert '<span lang="zh-Hant" class="content-fallback">電動巴士電池過熱</span>' in english
    client.post(url, {"action": "confirm_conversions"})  # not the enterprise: nothing changes
    assert TechnologyNeed.objects.get(pk=need.pk).converted_fields

    client.force_login(market.ent)
    assert 'id="confirm-conversions"' in _get(client, url, "zh-hans")
    assert client.post(url, {"action": "confirm_conversions"}).status_code == 302
    assert TechnologyNeed.objects.get(pk=need.pk).converted_fields == {}
    body = _get(client, url, "zh-hans")
    assert "电动巴士电池过热" in body and "content-converted" not in body


def test_need_form_offers_three_languages(market, client):
    client.force_login(market.ent)
    body = _get(client, reverse("transfer:need_create"), "en")
    for name in ("title_en", "title_zh_hant", "title_zh_hans", "description_zh_hant"):
        assert f'name="{name}"' in body
