from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeocodingConfig(AppConfig):
    name = "geocases.geocoding"
    label = "geocoding"
    verbose_name = _("Addresses")
