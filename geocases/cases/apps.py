from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "geocases.cases"
    label = "cases"
