from __future__ import annotations

from django.contrib.gis.db.models import MultiPolygonField, PointField
from django.contrib.gis.db.models.aggregates import Union
from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import FloatField, Func, QuerySet

from geocases.areas.models import District


def district_list_for_maps() -> QuerySet[District]:
    """Districts with only what a map draws; the full geometries stay in the database."""
    return District.objects.only("code", "name", "land_geometry").order_by("name")


def district_covers_place(*, location: GEOSGeometry) -> bool:
    """Whether ``location`` lies in the city, that is touches one of its
    districts. A site with no districts loaded takes any place."""
    return (
        District.objects.filter(geometry__intersects=location).exists()
        or not District.objects.exists()
    )


def district_union(
    *,
    codes: list[str] | None = None,
    north_of: float | None = None,
    south_of: float | None = None,
    east_of: float | None = None,
    west_of: float | None = None,
) -> GEOSGeometry:
    """The union, computed in PostGIS, of the districts selected by code and by
    where they lie (a district lies where a point inside it, ``ST_PointOnSurface``,
    lies). A city's contract areas are often "these districts": this is how
    they are drawn from the district map."""
    districts = District.objects.annotate(
        inside=PointOnSurface("geometry", output_field=PointField(srid=4326)),
        lat=Func("inside", function="ST_Y", output_field=FloatField()),
        lon=Func("inside", function="ST_X", output_field=FloatField()),
    )
    if codes is not None:
        districts = districts.filter(code__in=codes)
    if north_of is not None:
        districts = districts.filter(lat__gte=north_of)
    if south_of is not None:
        districts = districts.filter(lat__lt=south_of)
    if east_of is not None:
        districts = districts.filter(lon__gte=east_of)
    if west_of is not None:
        districts = districts.filter(lon__lt=west_of)
    union = districts.aggregate(
        union=Func(
            Union("geometry"), function="ST_Multi", output_field=MultiPolygonField(srid=4326)
        )
    )["union"]
    if union is None:
        raise ValueError("no district matches the selection")
    return union
