"""Dashboard panels of the data-flow app (each part contributes its own)."""

from .dashboard_samples import panels as _sample_panels


def panels(request):
    return _sample_panels(request)
