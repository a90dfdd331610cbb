"""Finding places by name: addresses, streets and districts.

``place_search`` asks the geocoder named by the ``GEOCODER`` setting (a dotted
path to a function with the same signature), so a city can plug in its own
address register or geocoding service; the default searches the tables here.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.gis.db.models import PointField
from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import Point
from django.utils.module_loading import import_string

from geocases.areas.models import District
from geocases.geocoding.models import Address, Street

HOUSE_NUMBER = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+\s*[A-Za-z]?)$")


@dataclass(frozen=True)
class PlaceHit:
    kind: str  # address | street | district
    label: str
    lat: float
    lon: float
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north

    def as_json(self) -> dict:
        return asdict(self)

    @property
    def point(self) -> Point:
        """Where it is, as a case's place (WGS84)."""
        return Point(self.lon, self.lat, srid=4326)


def place_search(*, query: str, limit: int = 10) -> list[PlaceHit]:
    """Places matching ``query``, best first, at most ``limit``."""
    return import_string(settings.GEOCASES_GEOCODER)(query=query, limit=limit)


def place_search_one(*, query: str) -> tuple[PlaceHit | None, list[PlaceHit]]:
    """What a typed address names: ``(the address, [])`` when it names one
    (the only address found, or the one address written so, with or without
    its district), else ``(None, the places to choose among)``. A street is
    never taken by itself: its middle may be far from the problem, and an
    address found in two districts is for the writer to choose."""
    query = " ".join(query.split())
    hits = [hit for hit in place_search(query=query, limit=6) if hit.kind != "district"]
    addresses = [hit for hit in hits if hit.kind == "address"]
    written = query.lower()
    named = [
        hit
        for hit in addresses
        if written in (hit.label.lower(), hit.label.lower().partition(",")[0].strip())
    ]
    if len(named) == 1:
        return named[0], []
    if len(hits) == 1 and addresses:
        return hits[0], []
    return None, hits


def place_search_local(*, query: str, limit: int = 10) -> list[PlaceHit]:
    """ "Birger Jarlsgatan 23" finds that address; "birger" finds the street
    (and its addresses); "Söder" finds the districts. A house number the
    register does not have still finds its street ("Sveavägen 10" offers
    Sveavägen), and a label as we write it ("Sveavägen 13, Norrmalm") finds
    its address."""
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    text, _comma, district = (part.strip() for part in query.partition(","))
    numbered = HOUSE_NUMBER.match(text)
    street_words = numbered["street"].strip() if numbered else text
    hits: list[PlaceHit] = []
    if numbered:
        addresses = Address.objects.filter(
            street__istartswith=street_words,
            housenumber__iexact=numbered["number"].replace(" ", ""),
        )
        if district:
            addresses = addresses.filter(district__name__iexact=district)
        hits += [_address_hit(address) for address in addresses.select_related("district")[:limit]]
    # A numbered query names its street only when the number is not found.
    streets = Street.objects.filter(name__icontains=text if hits else street_words)
    for street in streets.order_by("name")[:limit]:
        west, south, east, north = street.extent.extent
        hits.append(
            PlaceHit(
                "street",
                street.name,
                street.location.y,
                street.location.x,
                (west, south, east, north),
            )
        )
    districts = District.objects.filter(name__icontains=text).annotate(
        inside=PointOnSurface("geometry", output_field=PointField(srid=4326))
    )
    for district_found in districts.order_by("name").only("name", "geometry")[:limit]:
        hits.append(
            PlaceHit(
                "district",
                district_found.name,
                district_found.inside.y,
                district_found.inside.x,
                district_found.geometry.extent,
            )
        )
    if not numbered:
        addresses = Address.objects.filter(street__istartswith=text).select_related("district")
        hits += [_address_hit(address) for address in addresses[:limit]]
    return hits[:limit]


def _address_hit(address: Address) -> PlaceHit:
    where = f", {address.district.name}" if address.district else ""
    return PlaceHit(
        "address",
        f"{address.street} {address.housenumber}{where}",
        address.location.y,
        address.location.x,
    )
