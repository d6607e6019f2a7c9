"""Admin of the data-flow app (each part registers its own models)."""

from . import admin_samples  # noqa: F401
