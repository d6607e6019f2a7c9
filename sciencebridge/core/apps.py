from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sciencebridge.core"
    verbose_name = "Core"
