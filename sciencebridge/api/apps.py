from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sciencebridge.api"
    verbose_name = "REST API"
