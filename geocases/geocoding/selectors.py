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


def place_search(*, query: str, limit: int = 10) -> list[PlaceHit]:
    """Places matching ``query``, best first, at most ``limit``."""
    return import_string(settings.GEOCASES_GEOCODER)(query=query, limit=limit)


def place_search_local(*, query: str, limit: int = 10) -> list[PlaceHit]:
    """ "Birger Jarlsgatan 23" finds that address; "birger" finds the street
    (and its addresses); "Söder" finds the districts."""
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    hits: list[PlaceHit] = []
    numbered = HOUSE_NUMBER.match(query)
    if numbered:
        addresses = Address.objects.filter(
            street__istartswith=numbered["street"].strip(),
            housenumber__iexact=numbered["number"].replace(" ", ""),
        )
        hits += [_address_hit(address) for address in addresses.select_related("district")[:limit]]
    for street in Street.objects.filter(name__icontains=query).order_by("name")[:limit]:
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
    districts = District.objects.filter(name__icontains=query).annotate(
        inside=PointOnSurface("geometry", output_field=PointField(srid=4326))
    )
    for district in districts.order_by("name").only("name", "geometry")[:limit]:
        hits.append(
            PlaceHit(
                "district",
                district.name,
                district.inside.y,
                district.inside.x,
                district.geometry.extent,
            )
        )
    if not numbered:
        addresses = Address.objects.filter(street__istartswith=query).select_related("district")
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
