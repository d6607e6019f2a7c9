from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "sciencebridge.experts"
