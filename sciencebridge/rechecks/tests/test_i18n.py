"""The recheck catalogue is fully translated, and the pages speak Chinese."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

from sciencebridge.rechecks import services as svc


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_every_recheck_string_translated(locale):
    po = polib.pofile(
        str(Path(__file__).resolve().parents[1] / "locale" / locale / "LC_MESSAGES" / "django.po")
    )
    assert len(po) > 50 and po.percent_translated() == 100 and not po.fuzzy_entries()


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "text"), [("zh-hant", "到期"), ("zh-hans", "复审申请")])
def test_detail_page_in_chinese(client, world, make_ineligible, lang, text):
    ml = make_ineligible().half("ML")
    req = svc.request_recheck(world.ml_lead, ml, reasons="已簽署。")
    client.force_login(world.ml_lead)
    page = client.get(
        reverse("rechecks:detail", args=[req.pk]), HTTP_ACCEPT_LANGUAGE=lang
    ).content.decode()
    assert text in page
