"""Addresses and streets that places can be found by.

The demo city loads central Stockholm's addresses and streets from
OpenStreetMap; a city with a real address register or geocoder plugs that in
instead (``GEOCODER`` setting, see ``geocases.geocoding.selectors``).
"""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Address(models.Model):
    street = models.CharField(_("street"), max_length=200)
    housenumber = models.CharField(_("house number"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    location = models.PointField(_("position"), srid=4326)
    district = models.ForeignKey(
        "areas.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(
        _("source id"), max_length=60, unique=True, help_text=_("e.g. osm:node/410550838")
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["street", "housenumber"]

    def __str__(self) -> str:
        return f"{self.street} {self.housenumber}"


class Street(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    location = models.PointField(_("middle"), srid=4326)
    extent = models.PolygonField(_("extent"), srid=4326)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
