"""Places given by people: parsed and validated here, and nowhere else.

Every geometry that comes from outside (a citizen's pin, an agent's polygon,
an API client's GeoJSON) goes through ``place_from_geojson`` and
``place_validate`` before it is stored.

Why shapely parses GeoJSON and not GEOS/GDAL: ``GEOSGeometry(<json>)`` hands
the text to GDAL's OGR, which honours a GeoJSON ``crs`` member and so lets user
text reach PROJ as a spatial reference; GDAL older than 3.9 (ours) cannot be
told not to open files or URLs named there. shapely reads only the
coordinates; we then pass WKB to GEOS and state SRID 4326 ourselves.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point, Polygon
from django.utils.translation import gettext as _

from geocases.core.errors import ApplicationError

WGS84 = 4326
# A coordinate nearer zero than this (and not zero) is no place anyone means,
# and PostgreSQL refuses arithmetic whose result underflows: averaging or
# projecting it for the maps would fail.
TINIEST_COORDINATE = 1e-300


class PlaceError(ApplicationError):
    """A place that cannot be stored, with a message a person can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message, fields={"location": [message]})


def place_from_geojson(data: Any) -> GEOSGeometry:
    """A GeoJSON geometry object (already decoded JSON) as a GEOS geometry in SRID 4326."""
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise PlaceError(_("The place must be a GeoJSON geometry with a type."))
    if data["type"] not in {"Point", "Polygon"}:
        raise PlaceError(
            _("The place must be a Point or a Polygon, not %(type)s.") % {"type": data["type"]}
        )
    try:
        parsed = _shape(data["type"], data.get("coordinates"))
    except UNREADABLE:
        raise PlaceError(_("The coordinates of the place cannot be read.")) from None
    return place_validate(GEOSGeometry(memoryview(shapely.to_wkb(parsed)), srid=WGS84))


# What reading coordinates someone wrote can raise.
UNREADABLE = (
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    KeyError,
    OverflowError,  # an integer too large for a float
    RecursionError,  # coordinates nested hundreds of lists deep
    shapely.errors.ShapelyError,
)


def _shape(kind: str, coordinates: Any):
    """Only the type and coordinates, read by shapely (a ``crs`` member never
    is); an altitude (a third coordinate) is dropped: places are 2D."""
    return shapely.force_2d(shapely.geometry.shape({"type": kind, "coordinates": coordinates}))


def place_from_lat_lon(lat: Any, lon: Any) -> Point:
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise PlaceError(_("Latitude and longitude must be numbers.")) from None
    return place_validate(Point(lon_f, lat_f, srid=WGS84))


def place_validate(geometry: GEOSGeometry) -> GEOSGeometry:
    """Check type, coordinates, validity and size; return the geometry unchanged."""
    _srid_check(geometry)
    if not isinstance(geometry, Point | Polygon):
        raise PlaceError(
            _("The place must be a point or a polygon, not %(type)s.")
            % {"type": geometry.geom_type}
        )
    _coordinates_check(geometry)
    if isinstance(geometry, Polygon):
        limit = settings.GEOCASES_MAX_PLACE_VERTICES
        if geometry.num_coords > limit:
            raise PlaceError(
                _("The area has %(count)d corners; at most %(limit)d are allowed.")
                % {"count": geometry.num_coords, "limit": limit}
            )
        _validity_check(geometry)
    return geometry


def geometry_validate(geometry: GEOSGeometry) -> GEOSGeometry:
    """The same checks as ``place_validate`` for a geometry of any type and
    size (the administration's districts and service areas): WGS84, not
    empty, 2D, finite coordinates in range, valid, no edge across the globe."""
    _srid_check(geometry)
    _coordinates_check(geometry)
    if geometry.dims == 2:  # areas; lines and points have no edges to cross
        _validity_check(geometry)
    return geometry


def _srid_check(geometry: GEOSGeometry) -> None:
    if geometry.srid not in (None, WGS84):
        raise PlaceError(_("Places must be given in WGS84 longitude/latitude (EPSG:4326)."))
    geometry.srid = WGS84


def _coordinates_check(geometry: GEOSGeometry) -> None:
    if geometry.empty:
        raise PlaceError(_("The place is empty."))
    if geometry.hasz:  # the column is 2D: PostGIS would refuse it as a server error
        raise PlaceError(_("The place must have two coordinates per position, not three."))
    for lon, lat, *_z in _positions(geometry.coords):
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise PlaceError(_("Coordinates must be finite numbers."))
        if any(0 < abs(value) < TINIEST_COORDINATE for value in (lon, lat)):
            raise PlaceError(
                _("Coordinates so close to zero are not a place (%(lon)s, %(lat)s); send 0.")
                % {"lon": lon, "lat": lat}
            )
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise PlaceError(
                _(
                    "Coordinates must be longitude -180…180 and latitude -90…90; "
                    "got %(lon)s, %(lat)s."
                )
                % {"lon": lon, "lat": lat}
            )


def _validity_check(geometry: GEOSGeometry) -> None:
    if not geometry.valid:
        raise PlaceError(
            _("The area is not a valid polygon (%(reason)s): its edges must not cross.")
            % {"reason": geometry.valid_reason}
        )
    if any(_antipodal(a, b) for ring in _rings(geometry) for a, b in pairwise(ring)):
        raise PlaceError(
            _("An edge of the area joins opposite points of the globe; add corners between.")
        )


def _positions(coords: tuple) -> Iterator[tuple[float, ...]]:
    """Every position in GEOS's nested ``coords``, whatever the geometry type."""
    if coords and not isinstance(coords[0], tuple):
        yield coords
        return
    for part in coords:
        yield from _positions(part)


def _rings(geometry: GEOSGeometry) -> Iterator[tuple]:
    if isinstance(geometry, Polygon):
        yield from geometry.coords
    else:  # MultiPolygon, GeometryCollection
        for part in geometry:
            if part.dims == 2:
                yield from _rings(part)


def _antipodal(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two positions are opposite each other on the globe (the poles,
    or two points 180° apart on the equator): no one great circle joins them,
    and PostGIS refuses such an edge as geography, which the place index is."""
    unit_a, unit_b = _unit_vector(*a[:2]), _unit_vector(*b[:2])
    return all(abs(p + q) < 1e-9 for p, q in zip(unit_a, unit_b, strict=True))


def _unit_vector(lon: float, lat: float) -> tuple[float, float, float]:
    lon, lat = math.radians(lon), math.radians(lat)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def geometry_from_geojson_text(text: str) -> GEOSGeometry | None:
    """Any GeoJSON geometry given as text (the administration's map widgets),
    read by shapely like ``place_from_geojson`` — a ``crs`` member is ignored,
    never handed to GDAL — in SRID 4326; None if it cannot be read. Unlike
    places, any geometry type is taken: the model field decides."""
    import json

    try:
        data = json.loads(text)
        parsed = _shape(data["type"], data["coordinates"])
    except UNREADABLE:
        return None
    return GEOSGeometry(memoryview(shapely.to_wkb(parsed)), srid=WGS84)
