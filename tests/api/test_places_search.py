"""GET /api/v1/places/?q=: addresses, streets and districts of the demo city."""

import pytest
from django.conf import settings

from geocases.geocoding.services import addresses_load, streets_load
from tests.api.conftest import error_fields
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """Central Stockholm's real addresses and streets, and two districts."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    folder = settings.BASE_DIR / "fixtures" / "stockholm"
    DistrictFactory(
        code="norrmalm",
        name="Norrmalm",
        geometry=MultiPolygon(Polygon.from_bbox((18.03, 59.33, 18.09, 59.345)), srid=4326),
    )
    DistrictFactory(
        code="sodermalm",
        name="Södermalm",
        geometry=MultiPolygon(Polygon.from_bbox((18.02, 59.30, 18.11, 59.324)), srid=4326),
    )
    addresses_load(path=folder / "stockholm_central_addresses_osm.csv")
    streets_load(path=folder / "stockholm_central_streets_osm.csv")


def test_an_address_with_its_number(anonymous, city):
    (hit,) = anonymous.get("/api/v1/places/", {"q": "Birger Jarlsgatan 23"}).json()
    assert hit["kind"] == "address" and hit["label"] == "Birger Jarlsgatan 23, Norrmalm"
    assert hit["lat"] == pytest.approx(59.3366, abs=1e-3)


def test_a_label_as_we_write_it_finds_its_address(anonymous, city):
    (hit,) = anonymous.get("/api/v1/places/", {"q": "Birger Jarlsgatan 23, Norrmalm"}).json()
    assert hit["label"] == "Birger Jarlsgatan 23, Norrmalm"


def test_a_house_number_the_register_lacks_still_finds_its_street(anonymous, city):
    hits = anonymous.get("/api/v1/places/", {"q": "Birger Jarlsgatan 9999"}).json()
    assert [(hit["kind"], hit["label"]) for hit in hits] == [("street", "Birger Jarlsgatan")]


def test_a_street_and_a_district_by_part_of_the_name(anonymous, city):
    street = anonymous.get("/api/v1/places/", {"q": "apelberg"}).json()
    assert street[0]["kind"] == "street" and street[0]["label"] == "Apelbergsgatan"
    assert len(street[0]["bbox"]) == 4
    district = anonymous.get("/api/v1/places/", {"q": "Söderm"}).json()
    assert [hit["label"] for hit in district if hit["kind"] == "district"] == ["Södermalm"]


@pytest.mark.parametrize(
    "params, field",
    [({"q": "a"}, "q"), ({}, "q"), ({"q": "x" * 101}, "q"), ({"q": "gatan", "limit": 0}, "limit")],
)
def test_bad_searches(anonymous, params, field):
    response = anonymous.get("/api/v1/places/", params)
    assert response.status_code == 400 and field in error_fields(response)


def test_the_geocoder_is_pluggable(anonymous, monkeypatch):
    monkeypatch.setattr(settings, "GEOCASES_GEOCODER", "tests.api.test_places_search.fixed")
    assert anonymous.get("/api/v1/places/", {"q": "anything"}).json()[0]["label"] == "Rådhuset"


def fixed(*, query, limit):
    from geocases.geocoding.selectors import PlaceHit

    return [PlaceHit("address", "Rådhuset", 59.33, 18.04)]
