from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "sciencebridge.talent"
    verbose_name = _("Talent exchange")

    def ready(self):
        from . import metrics  # noqa: F401  (registers the talent metrics)
