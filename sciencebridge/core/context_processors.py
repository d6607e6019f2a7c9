"""Top navigation, assembled from each app's optional ``nav.py``: ``def items(request) -> list[(label,
url)]``, and ``def probes(user)`` for entries that depend on a row (``core.probes``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .plugins import app_modules
from .probes import probe_request


def nav_modules() -> tuple:
    return app_modules("nav")


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user and user.is_authenticated:
        items.append((_("Dashboard"), reverse("core:dashboard")))
        probe_request(request, nav_modules())  # those the dashboard has not answered, in one query
    for module in nav_modules():
        items.extend(module.items(request))
    return {"nav_items": items}
