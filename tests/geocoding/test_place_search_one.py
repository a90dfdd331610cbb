"""place_search_one: what a typed address names, taken only when it is one address."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from geocases.geocoding.models import Address
from geocases.geocoding.selectors import place_search_one
from tests.api.test_places_search import city  # noqa: F401  (the fixture)
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def test_an_address_written_with_or_without_its_district_is_taken(city):  # noqa: F811
    for written in ("Birger Jarlsgatan 23", "birger jarlsgatan 23, Norrmalm"):
        found, candidates = place_search_one(query=written)
        assert found.label == "Birger Jarlsgatan 23, Norrmalm" and candidates == []


def test_a_street_alone_is_to_choose_not_taken(city):  # noqa: F811
    found, candidates = place_search_one(query="Birger Jarlsgatan")
    assert found is None and "Birger Jarlsgatan" in [hit.label for hit in candidates]


def test_an_address_in_two_districts_is_to_choose(city):  # noqa: F811
    other = DistrictFactory(
        name="Kungsholmen",
        geometry=MultiPolygon(Polygon.from_bbox((17.9, 59.32, 18.0, 59.34)), srid=4326),
    )
    Address.objects.create(
        street="Birger Jarlsgatan",
        housenumber="23",
        district=other,
        location=Point(17.95, 59.33, srid=4326),
    )
    found, candidates = place_search_one(query="Birger Jarlsgatan 23")
    assert found is None
    assert {hit.label for hit in candidates} >= {
        "Birger Jarlsgatan 23, Norrmalm",
        "Birger Jarlsgatan 23, Kungsholmen",
    }
