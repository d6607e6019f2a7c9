from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabFundingConfig(AppConfig):
    name = "sciencebridge.labfunding"
    label = "labfunding"
    verbose_name = _("Laboratory funding and evaluation")

    def ready(self):
        from . import metrics  # noqa: F401  (registers the lab-funding metrics)
