from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "sciencebridge.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import rules  # noqa: F401  (registers the permissions)
