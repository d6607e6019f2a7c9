from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sciencebridge.core"
    verbose_name = "Core"

    def ready(self):
        from . import formfields

        formfields.install()  # bounds every form field of every app (dates, choice ids)
