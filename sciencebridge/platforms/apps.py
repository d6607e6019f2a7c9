from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "sciencebridge.platforms"
    verbose_name = _("Platforms and shared facilities")

    def ready(self):
        from . import metrics  # noqa: F401  (registers the platform metrics)
