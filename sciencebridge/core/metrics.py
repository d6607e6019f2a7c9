"""A registry of live metrics computed from the platform's own data.

Apps register metric functions (e.g. money committed per side, deals licensed, facility hours used);
the cooperation committee links workplan items and indicators to them by code, so progress comes
from the data rather than a typed-in percentage.

    from sciencebridge.core import metrics

    @metrics.register("funding.projects_funded", label=_("Joint projects funded"), unit="projects")
    def projects_funded(*, call_ids=None, year=None, area_code=None) -> float: ...
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str
    fn: Callable[..., float]


_REGISTRY: dict[str, Metric] = {}


def register(code: str, *, label, unit: str = ""):
    def wrap(fn):
        _REGISTRY[code] = Metric(code=code, label=label, unit=unit, fn=fn)
        return fn

    return wrap


def get(code: str) -> Metric:
    return _REGISTRY[code]


def all_metrics() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda m: m.code)


def compute(code: str, **filters) -> float:
    """Compute a metric; filters a metric does not understand are ignored by that metric."""
    return float(_REGISTRY[code].fn(**filters))


def choices() -> list[tuple[str, str]]:
    return [(m.code, str(m.label)) for m in all_metrics()]
