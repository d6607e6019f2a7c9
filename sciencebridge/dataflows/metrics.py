"""Data-flow metrics (registered with core.metrics)."""
