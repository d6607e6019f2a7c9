"""The core catalogue (request guards, file downloads) is fully translated."""

from pathlib import Path

import polib
import pytest


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_every_core_string_translated(locale):
    po = polib.pofile(
        str(Path(__file__).resolve().parents[1] / "locale" / locale / "LC_MESSAGES" / "django.po")
    )
    assert len(po) > 0 and po.percent_translated() == 100 and not po.fuzzy_entries()
