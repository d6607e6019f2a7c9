from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "sciencebridge.cooperation"
    verbose_name = _("Cooperation committee")

    def ready(self):
        from . import metrics  # noqa: F401  (registers the committee's own metrics)
