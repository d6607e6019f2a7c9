"""Workplan items in three languages: the missing Chinese script by OpenCC, marked until the
secretariat confirms it; an item missing in the page's language shows in its own language, visibly."""

import pytest
from django.conf import settings
from django.urls import reverse

from sciencebridge.cooperation.models import WorkplanItem, WorkplanState
from sciencebridge.cooperation.services import workplans as svc

pytestmark = pytest.mark.django_db

MARKER_HANT = "由簡體中文自動轉換——尚未核對"


@pytest.fixture
def plan(secretariat, areas):
    wp = svc.create_workplan(secretariat, code="wp-lang", title="Workplan", period="2026")
    svc.move_workplan(secretariat, wp, WorkplanState.APPROVED)
    return wp


def _get(client, url, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.content.decode()


def test_simplified_item_shows_converted_traditional_with_marker_then_confirm(
    client, secretariat, areas, plan
):
    item = svc.save_item(
        secretariat,
        plan,
        area=areas["talent"],
        number="i",
        text_en="Young scientist exchanges",
        text_zh_hans="开展青年科学家交流与软件合作",
    )
    assert item.text_zh_hant == "開展青年科學家交流與軟件合作"
    assert list(item.converted_fields) == ["text_zh_hant"]
    public = _get(client, reverse("cooperation:dashboard"), "zh-hant")
    assert "開展青年科學家交流與軟件合作" in public and MARKER_HANT in public
    assert MARKER_HANT not in _get(client, reverse("cooperation:dashboard"), "zh-hans")

    client.force_login(secretariat)
    edit = reverse("cooperation:item_edit", args=[plan.code, item.pk])
    form = _get(client, edit, "zh-hant")
    assert 'name="confirm_conversions"' in form
    resp = client.post(
        edit,
        {
            "area": areas["talent"].pk,
            "number": "i",
            "text_en": item.text_en,
            "text_zh_hant": item.text_zh_hant,
            "text_zh_hans": item.text_zh_hans,
            "confirm_conversions": "on",
        },
    )
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.converted_fields == {}
    detail = _get(client, reverse("cooperation:item", args=[plan.code, item.pk]), "zh-hant")
    assert "開展青年科學家交流與軟件合作" in detail and "content-converted" not in detail
    # Confirmed text stays when the Simplified text changes later.
    svc.save_item(secretariat, plan, item, text_zh_hans="新的合作")
    assert WorkplanItem.objects.get(pk=item.pk).text_zh_hant == "開展青年科學家交流與軟件合作"


def test_english_only_item_in_a_chinese_page_is_marked_english(client, secretariat, areas, plan):
    svc.save_item(
        secretariat, plan, area=areas["funding"], number="i", text_en="Fund <two> projects"
    )
    html = _get(client, reverse("cooperation:dashboard"), "zh-hans")
    assert '<span lang="en" class="content-fallback">Fund &lt;two&gt; projects</span>' in html
    assert "（英文原文）" in html
