from pathlib import Path

import polib
import pytest
from django.urls import reverse

from sciencebridge.exclusions.models import ExpertExclusion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_every_string_translated(locale):
    po = polib.pofile(
        str(Path(__file__).resolve().parents[1] / "locale" / locale / "LC_MESSAGES" / "django.po")
    )
    assert len(po) > 0 and po.percent_translated() == 100 and not po.fuzzy_entries()


def test_officer_page_in_chinese(rw, client, settings):
    half = rw.proposals[0].half("HK")
    ExpertExclusion.objects.create(half=half, name="Nobody Known", reason="x")
    client.force_login(rw.itc_officer)
    url = reverse("exclusions:half", args=[half.proposal.reference, "hk"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    assert "不在專家庫中" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "须回避的专家" in client.get(url).content.decode()
