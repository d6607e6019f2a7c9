"""Data-flow metrics (registered with core.metrics)."""

from . import metrics_samples  # noqa: E402,F401  (sample exports and datasets)
