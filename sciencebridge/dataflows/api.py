"""REST API v1 routes of the data-flow app (each part registers its own)."""

from .api_samples import register as _register_samples


def register(router):
    _register_samples(router)
