from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True

    name = "geocases.accounts"
    label = "accounts"


class GeocasesAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site (``admin_site.AdminSite``)."""

    default = False  # AccountsConfig is this module's app; this one is named in settings
    default_site = "geocases.accounts.admin_site.AdminSite"
