from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True

    name = "geocases.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from geocases.accounts.backends import user_forget

        post_save.connect(user_forget, sender=self.get_model("User"))
        post_delete.connect(user_forget, sender=self.get_model("User"))


class GeocasesAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site (``admin_site.AdminSite``)."""

    default = False  # AccountsConfig is this module's app; this one is named in settings
    default_site = "geocases.accounts.admin_site.AdminSite"
