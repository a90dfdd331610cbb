from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "geocases.routing"
    label = "routing"
