"""Places the city is divided into: districts for naming and statistics, and
service areas that say who is responsible for which categories where."""

import datetime as dt

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import SpGistIndex
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MONTH_DAY = RegexValidator(
    r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", _("Write month and day as MM-DD, e.g. 10-15.")
)


def month_day_validate(value: str) -> None:
    """MM-DD, and a day the month has: 02-30 and 04-31 are refused (02-29
    is a day, in leap years)."""
    MONTH_DAY(value)
    try:
        dt.date.fromisoformat(f"2024-{value}")  # a leap year
    except ValueError:
        raise ValidationError(
            _("%(value)s is not a day of the year: the month has fewer days."),
            code="invalid",
            params={"value": value},
        ) from None


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
    maintenance north of the water, in a contract running 2024 to 2028, but only
    each winter from 15 October to 15 April (the *season*, which may wrap the
    new year). Overlaps are allowed and settled by ``priority``, then by the
    smaller area (the more specific contract).

    ``size_m2`` and the ``ServiceAreaPart`` rows are kept by database triggers
    from ``geometry``, so no code path can leave them stale.
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
    season_start = models.CharField(
        _("season starts"),
        max_length=5,
        blank=True,
        validators=[month_day_validate],
        help_text=_("MM-DD; with the season end, limits the area to part of each year."),
    )
    season_end = models.CharField(
        _("season ends"),
        max_length=5,
        blank=True,
        validators=[month_day_validate],
        help_text=_("MM-DD, inclusive; may be before the start (10-15 to 04-15 is a winter)."),
    )
    priority = models.SmallIntegerField(
        _("priority"), default=0, help_text=_("Where areas overlap, the higher priority wins.")
    )
    size_m2 = models.FloatField(_("size (m²)"), default=0, editable=False)
    # The contract's own response targets, where they differ from the category's.
    acknowledge_within = models.DurationField(
        _("acknowledge within (contract)"),
        null=True,
        blank=True,
        help_text=_("Office hours; empty: the category's target."),
    )
    feedback_within = models.DurationField(
        _("give feedback within (contract)"), null=True, blank=True
    )
    resolve_within = models.DurationField(_("resolve within (contract)"), null=True, blank=True)

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="service_area_period_ordered",
                violation_error_message=_(
                    "The area's validity ends before it starts: “valid to” must be "
                    "on or after “valid from”, or empty."
                ),
            ),
            models.CheckConstraint(
                condition=Q(season_start="", season_end="")
                | (
                    Q(season_start__regex=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
                    & Q(season_end__regex=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
                ),
                name="service_area_season_both_or_neither",
                violation_error_message=_(
                    "A season needs both its start and its end as MM-DD (e.g. 10-15 and "
                    "04-15), or neither for the whole year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceAreaPart(models.Model):
    """A piece of a service area cut by ``ST_Subdivide`` into at most 64
    vertices: a point is tested against a handful of small boxes and pieces
    instead of one polygon of thousands of vertices.

    Each part carries copies of its area's routing attributes (unit,
    categories, validity, priority, size), so a look-up reads one row per
    part and joins nothing: that is most of the cost of routing a million
    cases. Written only by database triggers on ``ServiceArea`` and its
    categories, so the copies cannot go stale.

    The index is SP-GiST rather than the default GiST: parts' boxes overlap,
    and for a point probe among a few thousand boxes SP-GiST answers about a
    quarter faster (``bench/routing.py``)."""

    area = models.ForeignKey(ServiceArea, on_delete=models.CASCADE, related_name="parts")
    geometry = models.PolygonField(srid=4326, spatial_index=False)
    unit = models.ForeignKey(
        "organisations.OrganisationUnit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    category_ids = ArrayField(models.BigIntegerField(), default=list)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    season_start = models.CharField(max_length=5, blank=True)
    season_end = models.CharField(max_length=5, blank=True)
    priority = models.SmallIntegerField(default=0)
    size_m2 = models.FloatField(default=0)

    class Meta:
        verbose_name = _("service area part")
        indexes = [SpGistIndex(fields=["geometry"], name="servicearea_part_geometry")]
