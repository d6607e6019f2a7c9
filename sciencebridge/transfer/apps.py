from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "sciencebridge.transfer"
    verbose_name = _("Technology-transfer marketplace")

    def ready(self):
        from . import metrics, rules  # noqa: F401  (registers the marketplace metrics and permissions)
