from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "sciencebridge.transfer"
    verbose_name = _("Technology-transfer marketplace")

    def ready(self):
        # registers the marketplace metrics and permissions, and forgets kept searches on a removal
        from . import metrics, rules, search_orders  # noqa: F401
