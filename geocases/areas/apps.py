from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "geocases.areas"
    label = "areas"
