"""The dashboard's charts tell the truth: one unit per value axis (counts, HKD, RMB and per cent never
share one), every series drawn is named in the legend in the page's language, long category names are
wrapped rather than cut, years without a figure are gaps, and the charting library is served from the
project's own static files."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from sciencebridge.cooperation.services import charts as ch
from sciencebridge.cooperation.services import echarts
from sciencebridge.cooperation.services.reference import load_public_record
from sciencebridge.core import metrics

from .helpers import fund_both_sides, make_eligible

pytestmark = pytest.mark.django_db
VENDOR = Path(settings.BASE_DIR) / "sciencebridge" / "static" / "vendor"


@pytest.fixture
def fake_metrics(monkeypatch):
    """Register metrics the way the transfer/talent apps do, with known values per year."""
    this_year = ch._years()[-1]

    def put(code, unit, by_year, label=None):
        fn = lambda year=None, **_: by_year.get(year, 0)  # noqa: E731
        monkeypatch.setitem(
            metrics._REGISTRY,
            code,
            metrics.Metric(code=code, label=label or code, unit=unit, fn=fn),
        )

    return put, this_year


def _axes(option, key):
    value = option[key]
    return value if isinstance(value, list) else [value]


def _units_per_value_axis(panel):
    """{(value axis index): {units of the series drawn against it}} for one ECharts option."""
    option = panel["option"]
    value_key = "xAxis" if _axes(option, "xAxis")[0]["type"] == "value" else "yAxis"
    axes = _axes(option, value_key)
    drawn = {}
    for s in option["series"]:
        i = s.get(f"{value_key}Index", 0)
        drawn.setdefault(i, set()).add(axes[i]["sbUnit"])
    return axes, drawn


def _check_truthful(chart):
    """Every dataset is drawn once, on an axis of its own unit, and named in a legend."""
    panels = echarts.panels(chart)
    drawn_series, legend = [], []
    for p in panels:
        axes, drawn = _units_per_value_axis(p)
        for i, units in drawn.items():
            assert len(units) == 1, (chart["key"], units)
            assert axes[i]["name"] == echarts.unit_label(next(iter(units)))
        drawn_series += [
            (s["name"], axes[s.get("xAxisIndex", s.get("yAxisIndex", 0))]["sbUnit"], s["data"])
            for s in p["option"]["series"]
        ]
        legend += [label for label, _colour in p["legend"]]
    expected = [(str(d["label"]), d["unit"], d["data"]) for d in chart["datasets"]]
    assert sorted(drawn_series, key=str) == sorted(expected, key=str)
    assert legend == [str(d["label"]) for d in chart["datasets"]]
    return panels


def test_deal_counts_and_each_currency_are_measured_on_their_own_axes(fake_metrics):
    put, year = fake_metrics
    put("transfer.deals_concluded", "deals", {year: 3})
    put("transfer.licensed_value_hkd", "HKD", {year: 800000})
    put("transfer.licensed_value_rmb", "RMB", {year: 5500000})
    for stage in ch.DEAL_STAGES:
        put(f"transfer.deals_{stage}", "deals", {year: 1})
    chart = ch.deals()
    panels = _check_truthful(chart)
    assert [p["units"] for p in panels] == [["Deals"], ["HKD"], ["RMB"]]
    counts = panels[0]["option"]
    assert counts["series"][0]["data"][-1] == 3 and counts["yAxis"]["minInterval"] == 1
    # the pipeline by stage is its own chart: six stages stacked into the year's deals
    stages = _check_truthful(ch.deal_pipeline())
    assert len(stages) == 1 and {s["stack"] for s in stages[0]["option"]["series"]} == {"stage"}
    assert len(stages[0]["legend"]) == 6


def test_exchanges_are_split_by_direction_without_a_duplicate_series(fake_metrics):
    put, year = fake_metrics
    put("talent.exchanges_hk_to_ml", "people", {year: 3})
    put("talent.exchanges_ml_to_hk", "people", {year: 1})
    put("talent.cross_boundary_exchanges", "people", {year: 4})
    put("talent.exchanges_completed", "people", {year: 4})
    chart = ch.exchanges()
    _check_truthful(chart)
    assert [d["label"] for d in chart["datasets"]] == [
        "Hong Kong to the Mainland",
        "The Mainland to Hong Kong",
    ]
    # an exchange within one side shows as the rest of the year's stack, so the stack is every exchange
    put("talent.exchanges_completed", "people", {year: 6})
    chart = ch.exchanges()
    assert [d["label"] for d in chart["datasets"]][-1] == "Other exchanges"
    assert sum(d["data"][-1] for d in chart["datasets"]) == 6


def test_facility_hours_stack_to_the_total(fake_metrics):
    put, year = fake_metrics
    put("platforms.cross_boundary_hours", "hours", {year: 873})
    put("platforms.facility_hours_used", "hours", {year: 1080})
    chart = ch.facilities()
    _check_truthful(chart)
    assert [d["data"][-1] for d in chart["datasets"]] == [873, 207]


def test_every_dashboard_chart_has_one_unit_per_axis(world, make_ready_pair):
    load_public_record()
    fund_both_sides(world, make_eligible(world, make_ready_pair()), hkd=600000, rmb=500000)
    for lang in ("en", "zh-hant", "zh-hans"):
        with translation.override(lang):
            for chart in ch.all_charts():
                if chart["labels"]:
                    _check_truthful(chart)
    with translation.override("zh-hant"):
        funding = echarts.panels(ch.funding_by_side())
    assert [p["units"] for p in funding] == [["港元"], ["人民幣"]]


def test_success_rate_has_its_own_axis_and_area_names_wrap(world, make_ready_pair):
    fund_both_sides(world, make_eligible(world, make_ready_pair()))
    chart = ch.proposals_by_area()
    [panel] = _check_truthful(chart)
    option = panel["option"]
    assert [a["sbUnit"] for a in option["xAxis"]] == ["proposals", "%"]
    labels = option["yAxis"][0]
    assert (
        labels["data"] == chart["labels"]
    )  # whole names: the browser wraps them (overflow "break")
    assert labels["axisLabel"]["overflow"] == "break" and not any("…" in x for x in labels["data"])


def test_a_year_without_a_figure_is_a_gap_not_a_shortcut(client):
    load_public_record()
    gerd = ch.chart_by_key("indicator-gerd")
    assert "2020" in gerd["labels"]
    gap = gerd["labels"].index("2020")
    assert gerd["datasets"][0]["data"][gap] is None
    [panel] = echarts.panels(gerd)
    assert (
        panel["option"]["series"][0]["data"][gap] is None
        and panel["option"]["series"][0]["connectNulls"] is False
    )
    rows = client.get(reverse("cooperation:dashboard_csv", args=["indicator-gerd"])).content.decode(
        "utf-8-sig"
    )
    assert "\r\n2020,\r\n" in rows


def test_the_dashboard_page_carries_each_panel_option_and_the_vendored_library(
    client, world, make_ready_pair
):
    fund_both_sides(world, make_eligible(world, make_ready_pair()))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(reverse("cooperation:dashboard")).content.decode()
    for div_id, option_id in re.findall(r'class="echart" id="([^"]+)" data-option="([^"]+)"', html):
        raw = re.search(
            rf'<script id="{option_id}" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
        option = json.loads(raw)
        assert option["series"] and option["aria"]["enabled"], div_id
    assert "人民币" in html and "港元" in html  # axis names in the page's language
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert any(s.endswith("vendor/echarts/echarts.common.min.js") for s in scripts)
    assert not any(s.startswith(("http:", "https:", "//")) for s in scripts)  # no CDN


def test_vendored_files_match_the_manifest():
    """scripts/vendor-js fetched these from npm; a hand-edited or truncated copy fails here."""
    lines = [
        ln.split()
        for ln in (VENDOR / "MANIFEST").read_text().splitlines()
        if ln and not ln.startswith("#")
    ]
    assert lines
    for _pkg, _version, _src, dest, sha in lines:
        data = (VENDOR / dest).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha, dest
    library = (VENDOR / "echarts" / "echarts.common.min.js").read_text()
    assert f't.version="{lines[0][1]}"' in library
