from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "sciencebridge.jobs"

    def ready(self):
        from . import rules  # noqa: F401  (registers the permissions)
