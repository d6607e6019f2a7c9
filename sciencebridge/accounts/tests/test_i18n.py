from pathlib import Path

import polib
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_every_string_translated(locale):
    po = polib.pofile(
        str(Path(__file__).resolve().parents[1] / "locale" / locale / "LC_MESSAGES" / "django.po")
    )
    assert po.percent_translated() == 100 and not po.fuzzy_entries()


def test_registration_and_tokens_pages_in_chinese(world, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    assert "電郵地址" in client.get(reverse("accounts:register")).content.decode()
    client.force_login(world.hk_lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "你没有 API 令牌。" in client.get(reverse("accounts:tokens")).content.decode()
