"""The public dashboard's charts: each is built here as labels + datasets, aggregated in the database,
and the same structure is drawn with ECharts (``services.echarts`` builds one panel per unit), listed in
the table behind the chart and served as CSV, so the three can never disagree.

A chart is ``{"key", "title", "labels", "datasets": [{"label", "data", "unit", "stack"?, "type"?}],
"rows", "note", "source", "horizontal"}``. Every dataset carries its unit; the drawing never puts two
units on one axis (money in HKD and RMB, counts and percentages each get their own panel).
Activity that other apps own (technology deals, talent exchanges, facility hours) is read through the
metrics registry (``sciencebridge.core.metrics``) by code, so this module never imports those apps; a
metric an app does not register is simply left out.
"""

import hashlib
import io
import json
from collections import defaultdict

from django.db.models import Count, FilteredRelation, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sciencebridge.core import metrics
from sciencebridge.core.spreadsheets import csv_writer
from sciencebridge.funding.figures import kept_figure
from sciencebridge.funding.models import (
    SUBMITTED_STATES,
    HalfState,
    JointProposal,
    ProposalHalf,
    ThematicArea,
)

from ..models import Indicator

DONE_STATES = [*SUBMITTED_STATES, HalfState.FUNDED, HalfState.NOT_FUNDED]
YEARS_SHOWN = 6


def _num(v):
    f = float(v or 0)
    return int(f) if f == int(f) else round(f, 2)


def _chart(key, title, labels, datasets, type_="bar", note="", source="", horizontal=False) -> dict:
    labels = [str(x) for x in labels]
    datasets = [d for d in datasets if d is not None]
    rows = [[label, *[d["data"][i] for d in datasets]] for i, label in enumerate(labels)]
    return {
        "key": key,
        "title": title,
        "type": type_,
        "labels": labels,
        "datasets": datasets,
        "note": note,
        "rows": rows,
        "source": source,
        "horizontal": horizontal,
    }


def _years():
    this = timezone.localdate().year
    return list(range(this - YEARS_SHOWN + 1, this + 1))


def _every_year(years) -> list[int]:
    """From the first year to the last without gaps, so a year with nothing is shown as such."""
    years = sorted(int(y) for y in years)
    return list(range(years[0], years[-1] + 1)) if years else []


def _awarded_per_year_and_side() -> tuple:
    return tuple(
        ProposalHalf.objects.filter(state=HalfState.FUNDED)
        .annotate(y=ExtractYear("proposal__call__closes_at"))
        .values_list("y", "side")
        .annotate(total=Sum("awarded_amount"))
        .order_by("y")
    )


def funding_by_side() -> dict:
    """Money awarded per side and year (year the call closed); each side in its own currency."""
    rows = kept_figure(("awarded per year and side",), _awarded_per_year_and_side)
    by = defaultdict(dict)
    for y, side, total in rows:
        by[y][side] = _num(total)
    years = _every_year(by)
    return _chart(
        "funding",
        _("Money committed per side per year"),
        years,
        [
            {
                "label": _("Hong Kong side (HKD)"),
                "data": [by[y].get("HK", 0) for y in years],
                "unit": "HKD",
            },
            {
                "label": _("Mainland side (RMB)"),
                "data": [by[y].get("ML", 0) for y in years],
                "unit": "RMB",
            },
        ],
        note=_(
            "Each agency funds its own side in its own currency; the two are not converted or added."
        ),
    )


def _proposals_per_area() -> tuple:
    """(area id, submitted by both sides, funded by both sides) per area with a submitted proposal.
    Each side's half joined once (a proposal has one half per side): 155 ms on the scale data, where
    two EXISTS per proposal and figure took 501 ms."""
    both = {
        side: FilteredRelation("halves", condition=Q(halves__side=code))
        for side, code in (("hk", "HK"), ("ml", "ML"))
    }
    rows = (
        JointProposal.objects.filter(area__isnull=False)
        .annotate(**both)
        .values("area_id")
        .annotate(
            submitted=Count("id", filter=Q(hk__state__in=DONE_STATES, ml__state__in=DONE_STATES)),
            funded=Count("id", filter=Q(hk__state=HalfState.FUNDED, ml__state=HalfState.FUNDED)),
        )
        .order_by("area_id")
        .values_list("area_id", "submitted", "funded")
    )
    return tuple(r for r in rows if r[1])


def proposals_by_area() -> dict:
    """Joint proposals submitted by both sides, funded by both, and the success rate, per thematic area."""
    rows = [
        {"area_id": a, "submitted": s, "funded": f}
        for a, s, f in kept_figure(("proposals per area",), _proposals_per_area)
    ]
    names = {a.pk: a.name for a in ThematicArea.objects.filter(pk__in=[r["area_id"] for r in rows])}
    merged: dict = {}  # schemes share area names (e.g. artificial intelligence): one bar per name
    for r in rows:
        m = merged.setdefault(names[r["area_id"]], {"submitted": 0, "funded": 0})
        m["submitted"] += r["submitted"]
        m["funded"] += r["funded"]
    labels = sorted(merged)
    rows = [merged[label] for label in labels]
    rate = [round(100 * r["funded"] / r["submitted"], 1) for r in rows]
    return _chart(
        "proposals",
        _("Joint proposals and success rate per area"),
        labels,
        [
            {
                "label": _("Submitted by both sides"),
                "data": [r["submitted"] for r in rows],
                "unit": "proposals",
            },
            {
                "label": _("Funded by both sides"),
                "data": [r["funded"] for r in rows],
                "unit": "proposals",
            },
            {"label": _("Success rate (%)"), "data": rate, "unit": "%"},
        ],
        note=_("Success rate = joint proposals funded by both sides / submitted by both sides."),
        horizontal=True,
    )


DEAL_STAGES = ["contacted", "under_nda", "negotiating", "licensed", "spin_off", "closed"]

# Every metric the activity charts read, once per year shown (other apps register them; see core.metrics).
ACTIVITY_METRICS = (
    "transfer.deals_concluded",
    "transfer.licensed_value_hkd",
    "transfer.licensed_value_rmb",
    *(f"transfer.deals_{stage}" for stage in DEAL_STAGES),
    "talent.exchanges_hk_to_ml",
    "talent.exchanges_ml_to_hk",
    "talent.exchanges_completed",
    "platforms.cross_boundary_hours",
    "platforms.facility_hours_used",
)


def _per_year(code: str, years: list[int]) -> list | None:
    """A registered metric's value for each year, or None when no app registered ``code``."""
    try:
        metrics.get(code)
    except KeyError:
        return None
    return [_num(v) for v in metrics.compute_per_year(code, years)]


def _series(code: str, years: list[int], label=None, **extra) -> dict | None:
    data = _per_year(code, years)
    if data is None:
        return None
    m = metrics.get(code)
    return {"label": str(label or m.label), "data": data, "unit": m.unit, **extra}


def _remainder(whole: list | None, parts: list[list | None]) -> list | None:
    """What the parts leave of the whole, year by year (None when nothing is left in any year)."""
    if whole is None or any(p is None for p in parts):
        return None
    rest = [_num(w - sum(p[i] for p in parts)) for i, w in enumerate(whole)]
    return rest if any(rest) else None


def deals() -> dict:
    """Deals concluded per year (a count) and their value, each currency on its own axis."""
    years = _years()
    found = [
        _series("transfer.deals_concluded", years),
        _series("transfer.licensed_value_hkd", years),
        _series("transfer.licensed_value_rmb", years),
    ]
    found = [d for d in found if d]
    return _chart(
        "deals",
        _("Technology deals per year"),
        years if found else [],
        found,
        note=_(
            "Licences and spin-offs, counted in the year they were concluded. Values stay in the "
            "currency of each deal; HKD and RMB are not converted or added."
        )
        if found
        else _("Not recorded on this platform yet."),
    )


def deal_pipeline() -> dict:
    """Every deal by the year of first contact, stacked by the stage it has reached now."""
    years = _years()
    found = [_series(f"transfer.deals_{stage}", years, stack="stage") for stage in DEAL_STAGES]
    found = [d for d in found if d]
    return _chart(
        "deal-stages",
        _("Technology deals by year of first contact and current stage"),
        years if found else [],
        found,
        note=_(
            "Each bar is the deals first contacted that year, split by the stage each has reached."
        )
        if found
        else _("Not recorded on this platform yet."),
    )


def exchanges() -> dict:
    """Completed exchanges per year, stacked by direction (the stack is every exchange completed)."""
    years = _years()
    hk_ml = _per_year("talent.exchanges_hk_to_ml", years)
    ml_hk = _per_year("talent.exchanges_ml_to_hk", years)
    other = _remainder(_per_year("talent.exchanges_completed", years), [hk_ml, ml_hk])
    found = [
        {"label": _("Hong Kong to the Mainland"), "data": hk_ml, "unit": "people", "stack": "all"}
        if hk_ml
        else None,
        {"label": _("The Mainland to Hong Kong"), "data": ml_hk, "unit": "people", "stack": "all"}
        if ml_hk
        else None,
        {"label": _("Other exchanges"), "data": other, "unit": "people", "stack": "all"}
        if other
        else None,
    ]
    found = [d for d in found if d]
    return _chart(
        "exchanges",
        _("Talent exchanges per year"),
        years if found else [],
        found,
        note=_(
            "People who completed an exchange, in the year it ended, by direction; "
            "each bar is every exchange completed that year."
        )
        if found
        else _("Not recorded on this platform yet."),
    )


def facilities() -> dict:
    """Shared facility hours per year, stacked: used across the boundary, and the rest."""
    years = _years()
    cross = _per_year("platforms.cross_boundary_hours", years)
    other = _remainder(_per_year("platforms.facility_hours_used", years), [cross])
    found = [
        {
            "label": _("Used by teams from the other side"),
            "data": cross,
            "unit": "hours",
            "stack": "all",
        }
        if cross
        else None,
        {
            "label": _("Used by teams from the same side"),
            "data": other,
            "unit": "hours",
            "stack": "all",
        }
        if other
        else None,
    ]
    found = [d for d in found if d]
    return _chart(
        "facilities",
        _("Shared facility hours used per year"),
        years if found else [],
        found,
        note=_("Each bar is every hour used that year.")
        if found
        else _("Not recorded on this platform yet."),
    )


# An indicator from the public record drawn with the platform's own live figure beside it (same unit): the
# metric, registered by the app that owns the data, gives the cumulative value at the end of each year.
LIVE_BESIDE = {"mainland-funds-to-hk": "remittances.remitted_rmb_m"}


def indicator_charts() -> list[dict]:
    """One line chart per indicator from the public record, with basis changes and reference periods."""
    out = []
    for ind in Indicator.objects.filter(on_dashboard=True, metric_code="").prefetch_related(
        "values"
    ):
        vals = list(ind.values.all())
        if not vals:
            continue
        bases = list(dict.fromkeys(v.basis_version for v in vals if v.basis_version))
        notes = []
        if len(bases) > 1:
            notes.append(
                _("Basis changed: %(b)s. Figures on different bases are not comparable.")
                % {"b": "; ".join(bases)}
            )
        periods = sorted({v.reference_period for v in vals if v.reference_period})
        if periods:
            notes.append(_("Reference period: %(p)s.") % {"p": "; ".join(periods)})
        by_year = {int(v.year): _num(v.value) for v in vals}
        years = _every_year(
            by_year
        )  # a year without a figure stays a gap in the line, not a shortcut
        datasets = [
            {
                "label": f"{ind.name} ({ind.unit})",
                "data": [by_year.get(y) for y in years],
                "unit": ind.unit,
                "reverse": ind.lower_is_better,
            }
        ]
        beside = LIVE_BESIDE.get(ind.code)
        if beside:
            years = _every_year([*years, timezone.localdate().year])
            datasets[0]["data"] = [by_year.get(y) for y in years]
            live = _series(beside, years)
            if live is not None:
                datasets.append({**live, "unit": ind.unit})
        out.append(
            _chart(
                f"indicator-{ind.code}",
                ind.name,
                years,
                datasets,
                type_="line",
                note=" ".join(notes),
                source=ind.source,
            )
        )
    return out


def live_indicators() -> list[dict]:
    """Indicators computed from the platform's own data, with their current value."""
    out = []
    for ind in Indicator.objects.exclude(metric_code="").filter(on_dashboard=True):
        try:
            value = metrics.compute(ind.metric_code)
        except KeyError:
            continue
        out.append({"indicator": ind, "value": value})
    return out


def data_flows() -> dict:
    from sciencebridge.dataflows.charts import agreements_per_year

    return agreements_per_year()


BUILDERS = {
    "funding": funding_by_side,
    "proposals": proposals_by_area,
    "deals": deals,
    "deal-stages": deal_pipeline,
    "exchanges": exchanges,
    "facilities": facilities,
    "data-flows": data_flows,
}


def all_charts() -> list[dict]:
    return [build() for build in BUILDERS.values()] + indicator_charts()


def chart_by_key(key: str) -> dict | None:
    if key in BUILDERS:
        return BUILDERS[key]()
    if key.startswith("indicator-"):
        return next((c for c in indicator_charts() if c["key"] == key), None)
    return None


def fingerprint(chart: dict) -> str:
    """A digest of everything a chart's section shows, in the active language (the key under which
    the dashboard keeps the section rendered)."""
    shown = json.dumps(chart, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(f"{get_language()}|{shown}".encode(), digest_size=16).hexdigest()


def to_csv(chart: dict) -> str:
    """The chart's data exactly as drawn: one row per label, one column per dataset (header with units)."""
    buf = io.StringIO()
    w = csv_writer(buf)
    w.writerow([_("Label"), *[d["label"] for d in chart["datasets"]]])
    w.writerows(chart["rows"])
    return buf.getvalue()
