"""Every string of the decisions app is translated in both Chinese locales (no empty or fuzzy entry)."""

import re
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("lang", ["zh_Hant", "zh_Hans"])
def test_po_complete(lang):
    text = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text()
    entries = text.split("\n\n")[1:]  # after the header
    assert len(entries) > 150
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"', entry, re.M)
        assert strs and all(s for s in strs), entry


def test_runtime_strings_translated():
    from sciencebridge.decisions.models import DecisionState, Recommendation

    with translation.override("zh-hant"):
        assert str(Recommendation.FUND_CONDITIONS.label) == "附條件資助"
        assert str(DecisionState.RELEASED.label).startswith("不獲資助")
    with translation.override("zh-hans"):
        assert str(Recommendation.RESERVE.label) == "候补"
