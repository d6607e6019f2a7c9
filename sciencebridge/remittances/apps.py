from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemittancesConfig(AppConfig):
    name = "sciencebridge.remittances"
    verbose_name = _("Cross-boundary remittances")

    def ready(self):
        from . import metrics, rules  # noqa: F401  (registers the ledger metric and permissions)
