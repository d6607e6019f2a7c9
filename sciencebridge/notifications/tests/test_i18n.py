from pathlib import Path

import polib
import pytest

APPS = [Path(__file__).resolve().parents[2] / app for app in ("notifications", "jobs")]


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_every_string_translated(app, locale):
    po = polib.pofile(str(app / "locale" / locale / "LC_MESSAGES" / "django.po"))
    assert po.percent_translated() == 100 and not po.fuzzy_entries()
