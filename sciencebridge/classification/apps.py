from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "sciencebridge.classification"
