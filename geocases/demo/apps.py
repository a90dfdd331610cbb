from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "geocases.demo"
    label = "demo"
