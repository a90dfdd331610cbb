from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "geocases.accounts"
    label = "accounts"
