"""Top navigation, assembled from each app's optional ``nav.py``: ``def items(user) -> list[(label, url)]``."""

from importlib import import_module

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

_providers = None


def _nav_providers():
    global _providers
    if _providers is None:
        _providers = []
        for cfg in apps.get_app_configs():
            if cfg.name.startswith("sciencebridge.") and cfg.name != "sciencebridge.core":
                try:
                    _providers.append(import_module(f"{cfg.name}.nav").items)
                except ModuleNotFoundError:
                    continue
    return _providers


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user and user.is_authenticated:
        items.append((_("Dashboard"), reverse("core:dashboard")))
    for provider in _nav_providers():
        items.extend(provider(user))
    return {"nav_items": items}
