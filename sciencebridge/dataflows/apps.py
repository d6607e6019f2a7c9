from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataflowsConfig(AppConfig):
    name = "sciencebridge.dataflows"
    verbose_name = _("Cross-boundary data flows")

    def ready(self):
        from . import metrics  # noqa: F401  (registers the data-flow metrics)
