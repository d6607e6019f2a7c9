from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "sciencebridge.platforms"
