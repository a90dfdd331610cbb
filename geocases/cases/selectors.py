"""Reads of cases: search, history, and cases on maps."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, Distance, PointOnSurface, SnapToGrid
from django.contrib.gis.geos import GEOSGeometry, Point, Polygon
from django.db import connections
from django.db.models import Case as DbCase
from django.db.models import F, JSONField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, JSONObject, NullIf
from django.utils import timezone

from geocases.cases.models import Case, CaseEvent
from geocases.categories.models import Category
from geocases.core.i18n import reader_language
from geocases.organisations.models import OrganisationUnit


def case_search(
    *,
    queryset: QuerySet[Case] | None = None,
    number: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    words: str = "",
    categories: Iterable[Category] | None = None,
    statuses: Iterable[str] | None = None,
    unit: OrganisationUnit | None = None,
    created_from: dt.datetime | None = None,
    created_to: dt.datetime | None = None,
    bbox: Polygon | None = None,
    near: Point | None = None,
    near_meters: float = 100,
) -> QuerySet[Case]:
    """Cases matching every key given; keys left empty do not filter.

    ``queryset`` is what the caller may see (see ``Case.objects``); searching
    never widens it.
    """
    cases = queryset if queryset is not None else Case.objects.all()
    if number:
        cases = cases.with_number(number)
    if reporter_email:
        cases = cases.by_reporter_email(reporter_email)
    if reporter_phone:
        cases = cases.by_reporter_phone(reporter_phone)
    if words.strip():
        cases = cases.matching(words)
    if categories is not None:
        cases = cases.in_categories(categories)
    if statuses:
        cases = cases.filter(status__in=list(statuses))
    if unit is not None:
        cases = cases.for_unit(unit)
    if created_from or created_to:
        cases = cases.created_between(created_from, created_to)
    if bbox is not None:
        cases = cases.within_bbox(bbox)
    if near is not None:
        cases = cases.near(near, near_meters)
    return cases.select_related("category", "responsible_unit").order_by("-created_at")


def case_list_for_field(*, user) -> QuerySet[Case]:
    """A contractor's or handler's work in the field: the unfinished cases
    they may see that their organisation (with its teams) or they hold, with
    what their clocks say now (``CaseQuerySet.with_deadlines``)."""
    return (
        Case.objects.visible_to(user)
        .held_by(user)
        .unfinished()
        .with_deadlines(timezone.now())
        .select_related("category", "responsible_unit")
    )


def case_history(*, case: Case, public_only: bool = False) -> QuerySet[CaseEvent]:
    """The case's events, oldest first; for the citizen only the public ones."""
    events = case.events.select_related("actor").order_by("at", "id")
    return events.filter(is_public=True) if public_only else events


# The properties of a case on a map, for anyone allowed to list it: nothing
# personal (no reporter, no description); for the public ``case_features``
# also leaves out the title staff typed and a home's address.
FEATURE_PROPERTIES = {
    "number": F("number"),
    "title": F("title"),
    "status": F("status"),
    "category": F("category__code"),
    "channel": F("channel"),
    "priority": F("priority"),
    "address": F("address"),
    "responsible_unit": F("responsible_unit__name"),
    "routing_flag": F("routing_flag"),
    "created_at": F("created_at"),
    "updated_at": F("updated_at"),
}


# Where a case may concern someone's home, the public sees its position only
# to about 100 m (a grid of 0.001 degrees) and not its address.
HOME_GRID_DEGREES = 0.001


def public_place():
    """The place as the public may see it."""
    return DbCase(
        When(
            category__concerns_home=True,
            location__isnull=False,
            then=SnapToGrid(
                PointOnSurface("location", output_field=GeometryField(srid=4326)),
                HOME_GRID_DEGREES,
            ),
        ),
        default=F("location"),
        output_field=GeometryField(srid=4326),
    )


def case_public_place(case: Case) -> GEOSGeometry | None:
    """``public_place`` for one case already loaded, in Python: where the
    case may concern someone's home, its point on surface snapped to the
    0.001-degree grid (as ``ST_SnapToGrid`` rounds), else its place."""
    if case.location is None or not case.category.concerns_home:
        return case.location
    point = case.location.point_on_surface
    snap = HOME_GRID_DEGREES
    return Point(
        round(math.floor(point.x / snap + 0.5) * snap, 6),
        round(math.floor(point.y / snap + 0.5) * snap, 6),
        srid=4326,
    )


def case_public_address(case: Case) -> str:
    """The address as the public may see it: none for a home."""
    return "" if case.category.concerns_home else case.address


def case_features(*, cases: QuerySet[Case], public: bool = False) -> QuerySet:
    """Each case as a GeoJSON Feature, built by PostGIS as text (the place
    as geometry, ``null`` without one): a page of ten thousand features costs
    the database what the bare SQL costs, and Python only joins strings.
    ``public``: positions of home-related cases coarsened, their address left out."""
    properties = dict(FEATURE_PROPERTIES)
    place = F("location")
    if public:
        place = public_place()
        properties["address"] = DbCase(
            When(category__concerns_home=True, then=Value("")), default=F("address")
        )
        # A title staff typed is free text: the public reads "" (the map
        # shows the category's name), the template's title in their language.
        properties["title"] = DbCase(
            When(
                ~Q(title="")
                & (
                    Q(title=F("category__template_title_sv"))
                    | Q(title=F("category__template_title_en"))
                ),
                then=Coalesce(
                    NullIf(F(f"category__template_title_{reader_language()}"), Value("")),
                    F("category__template_title_sv"),
                ),
            ),
            default=Value(""),
        )
    feature = JSONObject(
        type=Value("Feature"),
        id=F("number"),
        geometry=Cast(AsGeoJSON(place, precision=7), output_field=JSONField()),
        properties=JSONObject(**properties),
    )
    return cases.annotate(feature=Cast(feature, output_field=TextField())).values_list(
        "feature", flat=True
    )


def case_clusters(*, cases: QuerySet[Case], zoom: int) -> list[dict]:
    """Public cases on a map at ``zoom``: counted per grid cell of about 60
    pixels, computed in PostGIS, each cell at the mean position of its cases.
    Positions are the public ones (``public_place``). Cells are grouped by
    their whole-number indexes (hashed, with no sort of geometries) and
    placed by the mean of the coordinates: a year of a million-case city at
    city zoom is a quarter of a million cases."""
    cell = 360 / 2**zoom / 4
    places = (
        cases.filter(location__isnull=False)
        .order_by()
        .annotate(place=PointOnSurface(public_place()))
        .values("place")
    )
    inner, params = places.query.sql_with_params()
    sql = (
        "SELECT count(*), avg(ST_X(place)), avg(ST_Y(place)) "  # noqa: S608 - Django's own SQL
        f"FROM ({inner}) AS places "
        "GROUP BY round(ST_X(place) / %s), round(ST_Y(place) / %s)"
    )
    with connections[places.db].cursor() as cursor:
        cursor.execute(sql, [*params, cell, cell])
        rows = cursor.fetchall()
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]},
            "properties": {"count": count},
        }
        for count, x, y in rows
    ]


def case_nearby_open(
    *, category: Category, location: GEOSGeometry, meters: float = 100
) -> QuerySet[Case]:
    """Open public cases of the same category near a place: "already
    reported?" before a citizen files a new one. Each with ``meters`` from
    the place, to tell whether it is the same problem."""
    point = location.point_on_surface if location.geom_type != "Point" else location
    return (
        Case.objects.public()
        .open()
        .filter(category=category)
        .near(point, meters)
        .annotate(meters=Distance("location", point))
        .select_related("district")
        .order_by("-created_at")
    )
