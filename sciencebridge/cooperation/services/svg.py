"""Charts rendered on the server as inline SVG: no JavaScript, no CDN, Chinese labels drawn with the
page's fonts (Noto CJK), and the same numbers as the data table and CSV behind each chart.

A chart is the dict built in ``services.charts``: ``labels`` along the x axis and ``datasets``
(``label``, ``data``, optional ``axis="y2"`` for a 0–100 % line on the right, ``type="line"``,
``reverse=True`` for a rank where lower is better). ``type`` is ``"bar"`` (grouped bars) or ``"line"``.
"""

import math
from html import escape

from django.utils.safestring import mark_safe

PALETTE = ["#0b5cad", "#c8102e", "#1f7a3a", "#a86400", "#6b4fbb", "#00838f"]
W, H = 520, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 44, 12, 88


def nice_max(value: float) -> float:
    """The smallest 1/2/2.5/5 × 10^k at or above ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    exp = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * 10**exp
        if top >= value - 1e-9:
            return float(top)
    return float(10 ** (exp + 1))


def compact(v: float) -> str:
    """1234567 → 1.23M; 3400 → 3.4k; 0.5 → 0.5 (axis ticks)."""
    a = abs(v)
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return f"{v / div:.3g}{suffix}"
    return f"{v:.3g}" if v != int(v) else str(int(v))


def _short(label: str, n=16) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def _width(s: str) -> float:
    """Rough width in px of a 13px label (CJK glyphs are about twice as wide as Latin ones)."""
    return 7.5 * sum(1.8 if ord(c) > 0x2E80 else 1 for c in s)


def _fit(s: str, px: float) -> str:
    while len(s) > 2 and _width(s) > px:
        s = s[:-2] + "…"
    return s


def _text(x, y, s, *, anchor="middle", size=13, cls="", extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"'
            f'{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}{extra}>{escape(str(s))}</text>')


def render(chart: dict) -> str:
    labels = chart["labels"]
    datasets = chart["datasets"]
    key = escape(chart["key"])
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    main = [d for d in datasets if d.get("axis") != "y2"]
    right = [d for d in datasets if d.get("axis") == "y2"]
    reverse = any(d.get("reverse") for d in main)
    values = [float(v) for d in main for v in d["data"] if v is not None]
    lo = 0.0
    hi = nice_max(max(values, default=0))
    if reverse:  # ranks: 1 at the top
        lo, hi = 1.0, max(2.0, float(math.ceil(max(values, default=1))) + 1)

    def y_of(v, lo=lo, hi=hi, rev=reverse):
        frac = (float(v) - lo) / ((hi - lo) or 1)
        return TOP + (frac * plot_h if rev else plot_h - frac * plot_h)

    n = max(1, len(labels))
    band = plot_w / n
    rotated = band < 64 and any(len(str(label)) > 5 for label in labels)
    extra = 180 if rotated else 0  # room for slanted labels under the axis
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H + extra}" class="chart-svg" role="img" '
           f'aria-labelledby="svg-title-{key}" data-chart="{key}" font-family="inherit">',
           f'<title id="svg-title-{key}">{escape(str(chart["title"]))}</title>']
    # grid and left axis
    ticks = 5 if not reverse else int(hi - lo)
    for i in range(ticks + 1):
        v = lo + (hi - lo) * i / ticks
        y = y_of(v)
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e7ec"/>')
        out.append(_text(LEFT - 6, y + 4, compact(v), anchor="end", size=12, cls="tick"))
    if right:
        for i in range(5):
            v = 100 * i / 4
            out.append(_text(W - RIGHT + 6, y_of(v, 0, 100, False) + 4, f"{v:.0f}%", anchor="start", size=12,
                             cls="tick"))
    out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#8a96a3"/>')
    # x labels
    for i, label in enumerate(labels):
        cx = LEFT + band * (i + 0.5)
        if rotated:
            y = TOP + plot_h + 14
            text = _text(cx + 4, y, _fit(str(label), min(205, 2 * cx - 8)), anchor="end", size=12, cls="xlabel",
                         extra=f' transform="rotate(-60 {cx + 4:.1f} {y:.1f})"')
        else:
            text = _text(cx, TOP + plot_h + 16, _short(str(label), max(5, int(band / 8))), size=13, cls="xlabel")
        out.append(f"<g><title>{escape(str(label))}</title>{text}</g>")
    # series
    bars = [d for d in main if (d.get("type") or chart["type"]) == "bar"]
    lines = [d for d in datasets if d not in bars]
    inner = band * 0.8
    bw = inner / max(1, len(bars))
    for si, d in enumerate(datasets):
        colour = PALETTE[si % len(PALETTE)]
        d["_colour"] = colour
    for bi, d in enumerate(bars):
        for i, v in enumerate(d["data"]):
            if v is None:
                continue
            x = LEFT + band * i + band * 0.1 + bw * bi
            y = y_of(v)
            h = TOP + plot_h - y
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bw - 2, 1):.1f}" height="{max(h, 0):.1f}" '
                       f'fill="{d["_colour"]}"><title>{escape(str(d["label"]))} · {escape(str(labels[i]))}: '
                       f'{escape(compact(float(v)))}</title></rect>')
    for d in lines:
        y2 = d.get("axis") == "y2"
        pts = []
        for i, v in enumerate(d["data"]):
            if v is None:
                continue
            cx = LEFT + band * (i + 0.5)
            cy = y_of(v, 0, 100, False) if y2 else y_of(v)
            pts.append((cx, cy, v, i))
        if len(pts) > 1 and not (y2 and chart["type"] == "bar"):  # no line across unrelated categories
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v, _i in pts)
            out.append(f'<polyline points="{path}" fill="none" stroke="{d["_colour"]}" stroke-width="2.5"/>')
        for x, y, v, i in pts:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{d["_colour"]}"><title>'
                       f'{escape(str(d["label"]))} · {escape(str(labels[i]))}: {escape(compact(float(v)))}'
                       f'</title></circle>')
    # legend
    lx, ly = 8, TOP + plot_h + 44 + extra
    for d in datasets:
        label = _fit(str(d["label"]), W - 60)
        width = 30 + _width(label)
        if lx > 8 and lx + width > W:
            lx, ly = 8, ly + 18
        out.append(f'<rect x="{lx:.1f}" y="{ly - 10}" width="12" height="12" fill="{d["_colour"]}"/>')
        out.append(_text(lx + 16, ly + 1, label, anchor="start", size=13, cls="legend"))
        lx += width
    for d in datasets:
        d.pop("_colour", None)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every piece of text above is escaped)
