from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.utils.translation import gettext as _

from geocases.areas.models import District, ServiceArea
from geocases.areas.selectors import district_covers_place
from geocases.categories.models import Category
from geocases.core.errors import ApplicationError
from geocases.organisations.models import OrganisationUnit


def place_in_city_check(*, location: GEOSGeometry | None, field: str) -> None:
    """Refuse, naming ``field``, a place reported from outside that lies
    outside the city (the public's web form, apps and Open311 clients; staff
    may register what a caller says wherever it is)."""
    if location is not None and not district_covers_place(location=location):
        raise ApplicationError.for_field(
            field,
            _(
                "This place is outside the city, so we cannot handle it. "
                "Check the place on the map, or report it to the municipality it lies in."
            ),
        )


def as_multipolygon(geometry: GEOSGeometry) -> MultiPolygon:
    """Areas are stored as MultiPolygons; a single Polygon is promoted."""
    if isinstance(geometry, Polygon):
        return MultiPolygon(geometry, srid=geometry.srid)
    if isinstance(geometry, MultiPolygon):
        return geometry
    raise ValueError(f"expected a polygon or multipolygon, got {geometry.geom_type}")


def district_upsert(
    *, code: str, name: str, geometry: GEOSGeometry, land_geometry: GEOSGeometry | None
) -> tuple[District, bool]:
    return District.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "geometry": as_multipolygon(geometry),
            "land_geometry": as_multipolygon(land_geometry) if land_geometry else None,
        },
    )


def service_area_upsert(
    *,
    code: str,
    name: str,
    unit: OrganisationUnit,
    categories: list[Category],
    geometry: GEOSGeometry,
    valid_from: dt.date,
    valid_to: dt.date | None,
    priority: int = 0,
    season_start: str = "",
    season_end: str = "",
) -> tuple[ServiceArea, bool]:
    area, created = ServiceArea.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "unit": unit,
            "geometry": as_multipolygon(geometry),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "priority": priority,
            "season_start": season_start,
            "season_end": season_end,
        },
    )
    area.categories.set(categories)
    return area, created
