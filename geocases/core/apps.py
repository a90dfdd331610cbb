from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "geocases.core"
    label = "core"
