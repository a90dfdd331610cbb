"""Places the city is divided into: districts for naming and statistics, and
service areas that say who is responsible for which categories where."""

from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """An administrative district ("stadsdel").

    Districts name where a case is, group statistics, make address search work
    for the whole city, and are the backdrop of every map: drawn without base
    tiles they still tell a reader where they are.

    Two geometries, because they serve different purposes: ``geometry`` is the
    full extent including water, so that every point of the city (a bridge, a
    quay) lies in exactly one district; ``land_geometry`` is simplified and has
    the water removed, which is what a map should draw.
    """

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    geometry = models.MultiPolygonField(_("area"), srid=4326)
    land_geometry = models.MultiPolygonField(_("land area (for maps)"), srid=4326, null=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    """Where one unit is responsible for some categories, during a contract period.

    A contractor's contract is rarely the whole city or forever: winter road
    maintenance north of the water from October to April, say. Overlaps are
    allowed and settled by ``priority``.
    """

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "organisations.OrganisationUnit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="service_areas",
    )
    categories = models.ManyToManyField(
        "categories.Category", verbose_name=_("categories"), related_name="service_areas"
    )
    geometry = models.MultiPolygonField(_("area"), srid=4326)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    priority = models.SmallIntegerField(
        _("priority"), default=0, help_text=_("Where areas overlap, the higher priority wins.")
    )

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="service_area_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name
