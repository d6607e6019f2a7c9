"""The sample-export and dataset catalog is complete in both scripts, and the pages render in Chinese."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_catalog_fully_translated(locale):
    po = polib.pofile(str(LOCALE / locale / "LC_MESSAGES" / "django.po"))
    assert len(po) > 300 and po.percent_translated() == 100 and not po.fuzzy_entries()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang, text",
    [("zh-hant", "白名單通知"), ("zh-hans", "白名单通知"), ("en", "White-list notifications")],
)
def test_figures_page_in_three_languages(client, lang, text):
    client.cookies["django_language"] = lang
    body = client.get(reverse("dataflows:samples_figures")).content.decode()
    assert text in body
