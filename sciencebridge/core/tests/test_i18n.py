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


def test_money_reads_the_same_way_on_every_page_of_a_language():
    """One CLDR format per language for Money and for a plain amount with its currency (issue 15)."""
    from decimal import Decimal

    from django.template import Context, Template
    from django.utils import translation
    from djmoney.money import Money

    from sciencebridge.core.money import format_money

    page = Template("{% load moneyfmt %}{{ m|money }} | {{ a|money:'CNY' }}")
    with translation.override("en"):
        assert format_money(Decimal("5000000"), "HKD") == "HK$5,000,000.00"
        shown = page.render(Context({"m": Money(5000000, "HKD"), "a": Decimal("4241000")}))
        assert shown == "HK$5,000,000.00 | CN¥4,241,000.00"
    with translation.override("zh-hans"):
        assert format_money(Money(4241000, "CNY")) == "¥4,241,000.00"
        assert format_money(None) == ""


def test_search_spellings_cover_both_chinese_scripts_and_regional_phrases():
    from sciencebridge.core.scripts import script_variants

    assert script_variants("battery") == ("battery",)
    assert set(script_variants("电池")) == {"电池", "電池"}
    assert {"锂离子电池", "鋰離子電池"} <= set(script_variants("鋰離子電池"))
    assert {"软件", "軟件", "軟體"} <= set(script_variants("软件"))  # HK and TW phrase variants
