"""Both Chinese catalogues of the lab-funding and nomination apps are complete, and pages show Chinese."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("app", ["labfunding", "nominations"])
@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_every_string_translated(app, locale):
    po = polib.pofile(str(ROOT / app / "locale" / locale / "LC_MESSAGES" / "django.po"))
    assert len(po) > 100 and po.percent_translated() == 100 and not po.fuzzy_entries()


@pytest.mark.django_db
def test_overview_in_chinese(client, world, lf):
    r = client.get(reverse("labfunding:overview"), HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert "全國重點實驗室及國家工程技術研究中心香港分中心資助" in r.content.decode()
    r = client.get(reverse("labfunding:overview"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "全国重点实验室及国家工程技术研究中心香港分中心资助" in r.content.decode()
