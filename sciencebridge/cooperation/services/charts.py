"""The public dashboard's charts: each is built here as labels + datasets, aggregated in the database,
and the same structure is drawn as SVG (``services.svg``), listed in the table behind the chart and
served as CSV, so the three can never disagree.

A chart is ``{"key", "title", "type", "labels", "datasets": [{"label", "data", "unit"}], "rows", "note"}``.
Activity that other apps own (technology deals, talent exchanges, facility hours) is read through the
metrics registry (``sciencebridge.core.metrics``), so this module never imports those apps.
"""

import io
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from sciencebridge.core import metrics
from sciencebridge.core.spreadsheets import csv_writer
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

# Which registered metrics feed the activity charts: (chart key, app prefix, words in the code).
ACTIVITY = {
    "deals": ("transfer.", ("deal", "licen")),
    "exchanges": ("talent.", ("exchange",)),
    "facilities": ("platforms.", ("hour",)),
}


def _num(v):
    f = float(v or 0)
    return int(f) if f == int(f) else round(f, 2)


def _chart(key, title, labels, datasets, type_="bar", note="", source="") -> dict:
    labels = [str(x) for x in labels]
    rows = [[label, *[d["data"][i] for d in datasets]] for i, label in enumerate(labels)]
    return {"key": key, "title": title, "type": type_, "labels": labels, "datasets": datasets, "note": note,
            "rows": rows, "source": source}


def _years():
    this = timezone.localdate().year
    return list(range(this - YEARS_SHOWN + 1, this + 1))


def funding_by_side() -> dict:
    """Money awarded per side and year (year the call closed); each side in its own currency."""
    rows = (ProposalHalf.objects.filter(state=HalfState.FUNDED)
            .annotate(y=ExtractYear("proposal__call__closes_at"))
            .values("y", "side").annotate(total=Sum("awarded_amount")).order_by("y"))
    by = defaultdict(dict)
    for r in rows:
        by[r["y"]][r["side"]] = _num(r["total"])
    years = sorted(by)
    return _chart("funding", _("Money committed per side per year"), years, [
        {"label": _("Hong Kong side (HKD)"), "data": [by[y].get("HK", 0) for y in years], "unit": "HKD"},
        {"label": _("Mainland side (RMB)"), "data": [by[y].get("ML", 0) for y in years], "unit": "RMB"},
    ], note=_("Each agency funds its own side in its own currency; the two are not converted or added."))


def proposals_by_area() -> dict:
    """Joint proposals submitted by both sides, funded by both, and the success rate, per thematic area."""
    def half(side, states):
        return Exists(ProposalHalf.objects.filter(proposal=OuterRef("pk"), side=side, state__in=states))

    submitted = half("HK", DONE_STATES) & half("ML", DONE_STATES)
    funded = half("HK", [HalfState.FUNDED]) & half("ML", [HalfState.FUNDED])
    rows = list(JointProposal.objects.filter(area__isnull=False).values("area_id").annotate(
        submitted=Count("id", filter=Q(submitted)), funded=Count("id", filter=Q(funded))).order_by("area_id"))
    rows = [r for r in rows if r["submitted"]]
    names = {a.pk: a.name for a in ThematicArea.objects.filter(pk__in=[r["area_id"] for r in rows])}
    merged: dict = {}  # schemes share area names (e.g. artificial intelligence): one bar per name
    for r in rows:
        m = merged.setdefault(names[r["area_id"]], {"submitted": 0, "funded": 0})
        m["submitted"] += r["submitted"]
        m["funded"] += r["funded"]
    labels = sorted(merged)
    rows = [merged[label] for label in labels]
    rate = [round(100 * r["funded"] / r["submitted"], 1) for r in rows]
    return _chart("proposals", _("Joint proposals and success rate per area"), labels, [
        {"label": _("Submitted by both sides"), "data": [r["submitted"] for r in rows], "unit": "proposals"},
        {"label": _("Funded by both sides"), "data": [r["funded"] for r in rows], "unit": "proposals"},
        {"label": _("Success rate (%)"), "data": rate, "unit": "%", "axis": "y2", "type": "line"},
    ], note=_("Success rate = joint proposals funded by both sides / submitted by both sides."))


def activity_metrics(key: str) -> list:
    prefix, words = ACTIVITY[key]
    return [m for m in metrics.all_metrics() if m.code.startswith(prefix) and any(w in m.code for w in words)]


def activity(key: str) -> dict:
    """Deals, exchanges or facility hours per year, from whatever metrics their apps registered."""
    titles = {"deals": _("Technology deals per year"), "exchanges": _("Talent exchanges per year"),
              "facilities": _("Shared facility hours used per year")}
    found = activity_metrics(key)
    years = _years() if found else []
    return _chart(key, titles[key], years, [
        {"label": str(m.label), "data": [_num(metrics.compute(m.code, year=y)) for y in years], "unit": m.unit}
        for m in found], note="" if found else _("Not recorded on this platform yet."))


def indicator_charts() -> list[dict]:
    """One line chart per indicator from the public record, with basis changes and reference periods."""
    out = []
    for ind in Indicator.objects.filter(on_dashboard=True, metric_code="").prefetch_related("values"):
        vals = list(ind.values.all())
        if not vals:
            continue
        bases = list(dict.fromkeys(v.basis_version for v in vals if v.basis_version))
        notes = []
        if len(bases) > 1:
            notes.append(_("Basis changed: %(b)s. Figures on different bases are not comparable.")
                         % {"b": "; ".join(bases)})
        periods = sorted({v.reference_period for v in vals if v.reference_period})
        if periods:
            notes.append(_("Reference period: %(p)s.") % {"p": "; ".join(periods)})
        out.append(_chart(f"indicator-{ind.code}", ind.name, [v.year for v in vals], [
            {"label": f"{ind.name} ({ind.unit})", "data": [_num(v.value) for v in vals], "unit": ind.unit,
             "reverse": ind.lower_is_better}], type_="line", note=" ".join(notes), source=ind.source))
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


BUILDERS = {
    "funding": funding_by_side,
    "proposals": proposals_by_area,
    "deals": lambda: activity("deals"),
    "exchanges": lambda: activity("exchanges"),
    "facilities": lambda: activity("facilities"),
}


def all_charts() -> list[dict]:
    return [build() for build in BUILDERS.values()] + indicator_charts()


def chart_by_key(key: str) -> dict | None:
    if key in BUILDERS:
        return BUILDERS[key]()
    if key.startswith("indicator-"):
        return next((c for c in indicator_charts() if c["key"] == key), None)
    return None


def to_csv(chart: dict) -> str:
    """The chart's data exactly as drawn: one row per label, one column per dataset (header with units)."""
    buf = io.StringIO()
    w = csv_writer(buf)
    w.writerow([_("Label"), *[d["label"] for d in chart["datasets"]]])
    w.writerows(chart["rows"])
    return buf.getvalue()
