"""Issue 15, charts that tell the truth, in a real browser: every chart of the public dashboard is drawn by
the vendored ECharts in English, Traditional and Simplified Chinese, without a script error; each panel's
value axis is named in the page's language; long area names are wrapped whole, never cut with "…"; and
on a phone the charts fit the screen."""

import re

import pytest

from sciencebridge.cooperation.services.reference import load_public_record
from sciencebridge.cooperation.tests.helpers import fund_both_sides, make_eligible
from sciencebridge.funding.models import ThematicArea
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNITS = {"en": ("HKD", "RMB"), "zh-hant": ("港元", "人民幣"), "zh-hans": ("港元", "人民币")}


def _open(page, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": page.base}])
    page.goto(page.base + "/cooperation/")
    page.wait_for_function(
        "document.querySelectorAll('.echart').length > 0 && "
        "document.querySelectorAll('.echart:not(.is-drawn)').length === 0"
    )


def _compact(text):
    return re.sub(r"\s+", "", text)


def test_dashboard_charts_in_three_languages_and_on_a_phone(world, make_ready_pair, browser_page):
    load_public_record()
    area = ThematicArea.objects.create(
        scheme=world.scheme,
        code="long-area",
        name_en=(
            "Sustainability engineering: third-generation semiconductors for power integrated circuits"
        ),
        name_zh_hant="可持續發展工程：用於功率集成電路的第三代半導體",
        name_zh_hans="可持续发展工程：用于功率集成电路的第三代半导体",
    )
    proposal = make_eligible(world, make_ready_pair())
    proposal.area = area
    proposal.save(update_fields=["area"])
    fund_both_sides(world, proposal)
    page = browser_page
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for lang in ("en", "zh-hant", "zh-hans"):
        _open(page, lang, 1366)
        assert page.locator("section.chart .echart.is-drawn svg").count() >= 5
        hkd, rmb = page.locator("#chart-funding .echart svg").all()
        assert UNITS[lang][0] in hkd.text_content() and UNITS[lang][1] in rmb.text_content()
        # the whole area name is drawn (wrapped over lines), not shortened
        drawn = _compact(page.locator("#chart-proposals .echart svg").text_content())
        with_lang = {
            "en": area.name_en,
            "zh-hant": area.name_zh_hant,
            "zh-hans": area.name_zh_hans,
        }[lang]
        assert _compact(with_lang) in drawn, (lang, drawn[:200])
        assert "…" not in drawn
        # the legend names every series, in the page's language
        legend = page.locator("#chart-proposals .legend li").all_inner_texts()
        assert len(legend) == 3 and all(x.strip() for x in legend)
        shot(page, f"dashboard-charts-{lang}")
    for lang in ("en", "zh-hans"):
        _open(page, lang, 390)
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the dashboard is {overflow}px wider than a 390px phone ({lang})"
        widths = page.evaluate(
            "[...document.querySelectorAll('.echart svg')].map(s => s.getBoundingClientRect().right)"
        )
        assert max(widths) <= 390
        shot(page, f"dashboard-charts-phone-{lang}")
    assert errors == []
