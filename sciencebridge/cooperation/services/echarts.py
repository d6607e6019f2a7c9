"""Apache ECharts options for the dashboard's charts (``static/js/charts.js`` draws them).

A chart from ``services.charts`` becomes one *panel* per unit: deals counted and deal values in HKD and
in RMB are three panels, never one axis, so no series is measured against another's scale. Each panel
has its own legend (drawn in HTML above it, so long names wrap instead of being cut) and its value axis
is named after the unit in the page's language. Options are plain JSON; the script adds what JSON
cannot carry (number formatting in the page's locale, label widths that follow the screen).
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

# Okabe–Ito: distinguishable with the common colour-vision deficiencies, and in greyscale print.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#6b6b6b", "#000000"]

YEAR_PANEL_HEIGHT = 240
ROW_HEIGHT = 46  # per category on a horizontal chart (room for a label wrapped on three lines)


def unit_label(unit: str) -> str:
    """The unit as a reader of this language names it (apps register units in English)."""
    if unit == "%":
        return _("Per cent (%)")
    return capfirst(_(unit)) if unit else ""


def _colours(chart: dict) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(len(chart["datasets"]))]


def _by_unit(chart: dict) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, d in enumerate(chart["datasets"]):
        groups.setdefault(d.get("unit", ""), []).append(i)
    return groups


def panels(chart: dict) -> list[dict]:
    """``[{"id", "units", "legend": [(label, colour)], "height", "option"}]``.

    A chart over years gets one panel per unit (stacked on the page, each with its own value axis). A
    chart over long category names (``horizontal``) gets one panel whose grids stand side by side, one
    per unit, sharing the category labels on the left; ``charts.js`` lays the grids out for the width.
    """
    colours = _colours(chart)
    groups = _by_unit(chart)
    if chart.get("horizontal"):
        return [
            {
                "id": f"echart-{chart['key']}",
                "units": [unit_label(u) for u in groups],
                "legend": [(str(d["label"]), colours[i]) for i, d in enumerate(chart["datasets"])],
                "height": 48 + ROW_HEIGHT * len(chart["labels"]),
                "option": _side_by_side(chart, groups, colours),
            }
        ]
    out = []
    for n, (unit, idx) in enumerate(groups.items()):
        datasets = [chart["datasets"][i] for i in idx]
        out.append(
            {
                "id": f"echart-{chart['key']}-{n}",
                "units": [unit_label(unit)],
                "legend": [
                    (str(d["label"]), colours[i]) for d, i in zip(datasets, idx, strict=True)
                ],
                "height": YEAR_PANEL_HEIGHT,
                "option": _over_years(chart, unit, datasets, [colours[i] for i in idx]),
            }
        )
    return out


def _series(chart: dict, d: dict, colour: str, **axes) -> dict:
    kind = d.get("type") or chart.get("type") or "bar"
    s = {
        "type": kind,
        "name": str(d["label"]),
        "data": list(d["data"]),
        "itemStyle": {"color": colour},
        **axes,
    }
    if kind == "line":
        s.update(lineStyle={"color": colour, "width": 2.5}, symbolSize=7, connectNulls=False)
    else:
        s["barMaxWidth"] = 36
    if d.get("stack"):
        s["stack"] = d["stack"]
    return s


def _value_axis(unit: str, datasets: list[dict], **extra) -> dict:
    axis = {
        "type": "value",
        "name": unit_label(unit),
        "splitLine": {"lineStyle": {"color": "#e3e7ec"}},
        "sbUnit": unit,
        **extra,
    }
    values = [v for d in datasets for v in d["data"] if v is not None]
    if unit != "%" and all(float(v).is_integer() for v in values):
        axis["minInterval"] = 1  # counts: no 0.5 deals on the axis
    return axis


def _common(title: str, chart: dict) -> dict:
    line = chart.get("type") == "line"
    return {
        "animation": False,
        "aria": {"enabled": True},
        "title": {"text": title, "show": False},  # read by the aria description only
        "legend": {"show": False},  # drawn in HTML above the chart
        "tooltip": {
            "trigger": "axis",
            "confine": True,
            "axisPointer": {"type": "line" if line else "shadow"},
        },
    }


def _over_years(chart: dict, unit: str, datasets: list[dict], colours: list[str]) -> dict:
    reverse = any(d.get("reverse") for d in datasets)
    value = _value_axis(unit, datasets, nameLocation="end", nameTextStyle={"align": "left"})
    if (
        reverse
    ):  # a rank: 1 at the top, and room below the worst rank so one place is not the whole height
        worst = max((v for d in datasets for v in d["data"] if v is not None), default=1)
        value.update(inverse=True, min=1, max=int(worst) + 2, minInterval=1, nameLocation="start")
    title = f"{chart['title']} ({unit_label(unit)})" if unit else str(chart["title"])
    return {
        **_common(title, chart),
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": list(chart["labels"]),
            "axisTick": {"alignWithLabel": True},
            "axisLabel": {"interval": 0, "hideOverlap": True},
        },
        "yAxis": value,
        "series": [_series(chart, d, c) for d, c in zip(datasets, colours, strict=True)],
    }


def _side_by_side(chart: dict, groups: dict[str, list[int]], colours: list[str]) -> dict:
    grids, x_axes, y_axes, series = [], [], [], []
    for g, (unit, idx) in enumerate(groups.items()):
        grids.append({"top": 8, "bottom": 44, "containLabel": False})
        x_axes.append(
            _value_axis(
                unit,
                [chart["datasets"][i] for i in idx],
                gridIndex=g,
                nameLocation="middle",
                nameGap=26,
            )
        )
        y_axes.append(
            {
                "type": "category",
                "gridIndex": g,
                "data": list(chart["labels"]),
                "inverse": True,
                "axisTick": {"show": False},
                "axisLabel": {"show": g == 0, "overflow": "break", "interval": 0, "lineHeight": 15},
            }
        )
        series += [
            _series(chart, chart["datasets"][i], colours[i], xAxisIndex=g, yAxisIndex=g)
            for i in idx
        ]
    return {
        **_common(str(chart["title"]), chart),
        "grid": grids,
        "xAxis": x_axes,
        "yAxis": y_axes,
        "series": series,
        "sbLayout": "side-by-side",
    }
