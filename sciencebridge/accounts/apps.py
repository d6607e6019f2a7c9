from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sciencebridge.accounts"
