from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "sciencebridge.nominations"
    label = "nominations"
    verbose_name = _("Nominations to national expert databases")

    def ready(self):
        from . import metrics  # noqa: F401  (registers the nomination metrics)
