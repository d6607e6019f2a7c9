"""Workplan progress computed from the platform's data.

An item linked to a metric (``sciencebridge.core.metrics``) with a target has progress = value / target;
items sharing a link cost one evaluation per request (:class:`MetricCache`), so the number of queries
grows with the number of distinct links, never with the number of items.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ItemStatus, Workplan, WorkplanItem, WorkplanState

# An open item is off track when its progress is below this share of the time elapsed in the workplan.
ON_TRACK_SHARE = 0.75


class MetricCache:
    """Computes each (metric, filters) once: items sharing a link cost one evaluation."""

    def __init__(self):
        self._values = {}

    def value(self, item: WorkplanItem):
        if item.metric is None:
            return None
        key = (item.metric_code, repr(sorted((item.metric_filters or {}).items())))
        if key not in self._values:
            self._values[key] = item.current_value()
        return self._values[key]


def elapsed_share(workplan: Workplan, today: dt.date | None = None) -> float | None:
    """How much of the workplan's period has passed (0..1), or None without dates."""
    if not (workplan.starts_on and workplan.ends_on) or workplan.ends_on <= workplan.starts_on:
        return None
    today = today or timezone.localdate()
    total = (workplan.ends_on - workplan.starts_on).days
    return min(1.0, max(0.0, (today - workplan.starts_on).days / total))


def item_row(item: WorkplanItem, cache: MetricCache, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    value = cache.value(item)
    progress = item.progress(value) if value is not None else None
    overdue = [m for m in item.milestones.all() if m.due_on and not m.done_on and m.due_on < today]
    reasons = []
    if item.status not in (ItemStatus.COMPLETED, ItemStatus.DEFERRED):
        if overdue:
            reasons.append(_("%(n)d milestone(s) overdue") % {"n": len(overdue)})
        share = elapsed_share(item.workplan, today)
        if progress is not None and share is not None and progress < share * ON_TRACK_SHARE:
            reasons.append(
                _("%(p)s%% of the target with %(t)s%% of the period gone")
                % {"p": round(100 * progress), "t": round(100 * share)}
            )
    return {
        "item": item,
        "value": value,
        "progress": progress,
        "percent": None if progress is None else round(100 * progress, 1),
        "bar": None if progress is None else min(100.0, round(100 * progress, 1)),
        "metric": item.metric,
        "overdue": overdue,
        "off_track": reasons,
    }


def workplan_progress(
    workplan: Workplan, cache: MetricCache | None = None, today=None
) -> list[dict]:
    """Items grouped by cooperation area, each with its live value, progress and off-track reasons."""
    cache = cache or MetricCache()
    groups: dict = {}
    items = (
        workplan.items.select_related("area", "workplan")
        .prefetch_related("milestones")
        .order_by("area__order", "area__code", "id")
    )
    for item in items:
        g = groups.setdefault(item.area_id, {"area": item.area, "items": []})
        g["items"].append(item_row(item, cache, today))
    for g in groups.values():
        linked = [x["progress"] for x in g["items"] if x["progress"] is not None]
        g["progress"] = (
            round(100 * sum(min(1.0, p) for p in linked) / len(linked), 1) if linked else None
        )
        g["completed"] = sum(1 for x in g["items"] if x["item"].status == ItemStatus.COMPLETED)
        g["off_track"] = sum(1 for x in g["items"] if x["off_track"])
    return list(groups.values())


def current_workplans():
    """The workplans the public dashboard shows: approved (in force), newest first."""
    return (
        Workplan.objects.filter(state=WorkplanState.APPROVED)
        .select_related("approved_at", "agreement")
        .order_by("-period", "code")
    )


def off_track_items(today=None) -> list[dict]:
    """Every open item of an approved workplan that is off track, with the reasons (secretariat panel)."""
    cache = MetricCache()
    out = []
    for wp in current_workplans():
        for g in workplan_progress(wp, cache, today):
            out.extend(x for x in g["items"] if x["off_track"])
    return out
