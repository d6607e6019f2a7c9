"""Top navigation, assembled from each app's optional ``nav.py``: ``def items(user) -> list[(label, url)]``."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .plugins import app_modules

_providers = None


def _nav_providers():
    global _providers
    if _providers is None:
        _providers = [module.items for module in app_modules("nav")]
    return _providers


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user and user.is_authenticated:
        items.append((_("Dashboard"), reverse("core:dashboard")))
    for provider in _nav_providers():
        items.extend(provider(user))
    return {"nav_items": items}
