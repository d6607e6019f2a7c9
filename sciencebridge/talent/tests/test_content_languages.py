"""Postings in three languages: the missing Chinese script by OpenCC, marked until the host confirms
it; a posting missing in the page's language shows in its own language, visibly."""

import pytest
from django.conf import settings
from django.urls import reverse

from sciencebridge.talent.models import Posting
from sciencebridge.talent.services import exchanges as svc

pytestmark = pytest.mark.django_db

MARKER_HANT = "由簡體中文自動轉換——尚未核對"


def _get(client, url, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.content.decode()


def test_simplified_posting_is_converted_marked_then_confirmed(client, world, tal):
    posting = svc.create_posting(
        tal.ml_office,
        tal.call,
        title_zh_hans="量子传感访问学者",
        description_zh_hans="参与软件与量子传感研究。",
        duration_months=3,
    )
    assert posting.title_zh_hant == "量子傳感訪問學者"
    assert posting.description_zh_hant == "參與軟件與量子傳感研究。"
    assert set(posting.converted_fields) == {"title_zh_hant", "description_zh_hant"}
    url = reverse("talent:posting", args=[posting.pk])
    body = _get(client, url, "zh-hant")
    assert "量子傳感訪問學者" in body and MARKER_HANT in body
    assert "content-converted" not in _get(client, url, "zh-hans")
    english = _get(client, url, "en")  # no English: the host's Simplified text, marked as such
    assert '<span lang="zh-Hans" class="content-fallback">量子传感访问学者</span>' in english

    client.force_login(tal.ml_office)
    manage = reverse("talent:posting_manage", args=[posting.pk])
    assert 'id="confirm-conversions"' in _get(client, manage, "zh-hant")
    resp = client.post(manage, {"action": "confirm_conversions"})
    assert resp.status_code == 302
    assert Posting.objects.get(pk=posting.pk).converted_fields == {}
    body = _get(client, url, "zh-hant")
    assert "量子傳感訪問學者" in body and "content-converted" not in body
    assert 'id="confirm-conversions"' not in _get(client, manage, "zh-hant")


def test_only_the_host_confirms(client, world, tal):
    posting = svc.create_posting(
        tal.ml_office,
        tal.call,
        title_zh_hans="访问学者",
        description_zh_hans="研究。",
        duration_months=3,
    )
    client.force_login(world.hku_office)  # another institution's office
    resp = client.post(
        reverse("talent:posting_manage", args=[posting.pk]), {"action": "confirm_conversions"}
    )
    assert resp.status_code == 404
    assert Posting.objects.get(pk=posting.pk).converted_fields


def test_english_only_posting_in_a_chinese_page_is_marked_english(client, tal):
    body = _get(client, reverse("talent:posting", args=[tal.posting.pk]), "zh-hans")
    assert (
        '<span lang="en" class="content-fallback">Visiting researcher in quantum sensing</span>'
        in body
    )
    assert "（英文原文）" in body
    listing = _get(client, reverse("talent:programmes"), "zh-hans")
    assert "Visiting researcher in quantum sensing" in listing and "（英文原文）" in listing


def test_posting_form_offers_three_languages(client, world, tal):
    client.force_login(world.hku_office)
    body = _get(client, reverse("talent:posting_create"), "en")
    for name in ("title_en", "title_zh_hant", "title_zh_hans", "description_zh_hans"):
        assert f'name="{name}"' in body
    resp = client.post(
        reverse("talent:posting_create"),
        {"call": tal.call.pk, "title_zh_hant": "訪問學者", "duration_months": 3, "positions": 1},
    )
    assert resp.status_code == 200 and "至少" not in resp.content.decode()  # English page
    assert "Give it in at least one language." in resp.content.decode()
