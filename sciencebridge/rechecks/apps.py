from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RechecksConfig(AppConfig):
    name = "sciencebridge.rechecks"
    verbose_name = _("Eligibility recheck requests")
