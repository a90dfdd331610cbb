"""Loading addresses and streets (idempotent: loading again changes nothing)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from django.contrib.gis.geos import Point, Polygon
from django.db import connection, transaction

from geocases.geocoding.models import Address, Street

Progress = Callable[[Iterable, str, int], Iterable]


def _no_progress(items, label, total):
    return items


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@transaction.atomic
def addresses_load(*, path: Path, progress: Progress = _no_progress) -> tuple[int, int]:
    """Addresses from an OSM extract (street, housenumber, postcode, city, lat,
    lon, osm_type, osm_id), upserted by source id; each address's district is
    then found in PostGIS in one statement. Returns (rows read, new addresses)."""
    rows = _rows(path)
    before = Address.objects.count()
    addresses = [
        Address(
            source=f"osm:{row['osm_type']}/{row['osm_id']}",
            street=row["street"].strip(),
            housenumber=row["housenumber"].strip(),
            postcode=row["postcode"].strip(),
            city=row["city"].strip(),
            location=Point(float(row["lon"]), float(row["lat"]), srid=4326),
        )
        for row in progress(rows, "addresses", len(rows))
    ]
    Address.objects.bulk_create(
        addresses,
        update_conflicts=True,
        unique_fields=["source"],
        update_fields=["street", "housenumber", "postcode", "city", "location"],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE geocoding_address a SET district_id = d.id
            FROM areas_district d
            WHERE ST_Intersects(d.geometry, a.location)
              AND a.district_id IS DISTINCT FROM d.id
            """
        )
    return len(rows), Address.objects.count() - before


@transaction.atomic
def streets_load(*, path: Path, progress: Progress = _no_progress) -> tuple[int, int]:
    """Streets with a middle point and extent (name, lat, lon, min_/max_ lat/lon).
    Returns (rows read, new streets)."""
    rows = _rows(path)
    created = 0
    for row in progress(rows, "streets", len(rows)):
        box = [float(row[key]) for key in ("min_lon", "min_lat", "max_lon", "max_lat")]
        if box[0] == box[2] or box[1] == box[3]:  # a point-like street: widen a little
            box = [box[0] - 1e-4, box[1] - 1e-4, box[2] + 1e-4, box[3] + 1e-4]
        extent = Polygon.from_bbox(box)
        extent.srid = 4326
        _, new = Street.objects.update_or_create(
            name=row["name"].strip(),
            defaults={
                "location": Point(float(row["lon"]), float(row["lat"]), srid=4326),
                "extent": extent,
            },
        )
        created += new
    return len(rows), created
