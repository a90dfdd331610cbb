from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "geocases.organisations"
    label = "organisations"
