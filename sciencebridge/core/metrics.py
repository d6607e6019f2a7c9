"""A registry of live metrics computed from the platform's own data.

Apps register metric functions (e.g. money committed per side, deals licensed, facility hours used);
the cooperation committee links workplan items and indicators to them by code, so progress comes
from the data rather than a typed-in percentage.

    from sciencebridge.core import metrics

    @metrics.register("funding.projects_funded", label=_("Joint projects funded"), unit="projects")
    def projects_funded(*, call_ids=None, year=None, area_code=None) -> float: ...
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Aggregate, Count, QuerySet
from django.db.models.functions import ExtractYear


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str
    fn: Callable[..., float]
    #: ``per_year(years, **filters) -> {year: value}`` in one query, for charts of several years
    #: (the dashboard's activity charts asked 14 metrics for 6 years each: 84 queries, issue 16).
    per_year: Callable[..., dict] | None = None


_REGISTRY: dict[str, Metric] = {}


def register(code: str, *, label, unit: str = "", per_year: Callable[..., dict] | None = None):
    def wrap(fn):
        _REGISTRY[code] = Metric(code=code, label=label, unit=unit, fn=fn, per_year=per_year)
        return fn

    return wrap


def get(code: str) -> Metric:
    return _REGISTRY[code]


def all_metrics() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda m: m.code)


def compute(code: str, **filters) -> float:
    """Compute a metric; filters a metric does not understand are ignored by that metric."""
    return float(_REGISTRY[code].fn(**filters))


def compute_per_year(code: str, years: Iterable[int], **filters) -> list[float]:
    """``[compute(code, year=y, **filters) for y in years]``, in one query when the metric can."""
    metric, years = _REGISTRY[code], list(years)
    if metric.per_year is None:
        return [float(metric.fn(year=y, **filters)) for y in years]
    by_year = metric.per_year(years=years, **filters)
    return [float(by_year.get(y) or 0) for y in years]


def by_year(
    qs: QuerySet,
    field: str,
    years: Iterable[int],
    value: Aggregate | None = None,
    *,
    group: str | None = None,
) -> dict:
    """``{year: value}`` of the rows of ``qs`` whose ``field`` falls in one of ``years`` (the year
    ``field__year`` filters on, in the current time zone); ``value`` is an aggregate, by default
    the number of rows. A year without rows is left out. With ``group`` (a field), the same for
    each of its values in the same query: ``{group value: {year: value}}``."""
    rows = (
        qs.filter(**{f"{field}__year__in": list(years)})
        .order_by()
        .annotate(metric_year=ExtractYear(field))
        .values(*([group] if group else []), "metric_year")
        .annotate(metric_value=value or Count("pk"))
    )
    if group is None:
        return {r["metric_year"]: r["metric_value"] for r in rows}
    out: dict = {}
    for r in rows:
        out.setdefault(r[group], {})[r["metric_year"]] = r["metric_value"]
    return out


def choices() -> list[tuple[str, str]]:
    return [(m.code, str(m.label)) for m in all_metrics()]
