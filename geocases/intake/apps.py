from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "geocases.intake"
    label = "intake"
    verbose_name = _("E-mail intake")
