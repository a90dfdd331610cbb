"""The report page in a real browser: the map draws the districts from
our own API, with no tile server and nothing from the internet."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from tests.factories import DistrictFactory


@pytest.fixture
def districts():
    for n, name in enumerate(["Norrmalm", "Södermalm", "Kungsholmen"]):
        west = 18.0 + 0.03 * n
        shape = MultiPolygon(Polygon.from_bbox((west, 59.31, west + 0.025, 59.34)), srid=4326)
        DistrictFactory(code=f"d{n}", name=name, geometry=shape, land_geometry=shape)


def test_the_map_draws_every_district_without_tiles(page, site, districts):
    page.goto(site + "/")
    drawn = page.locator("#report-map .leaflet-overlay-pane path")
    drawn.first.wait_for()
    assert drawn.count() == 3
    assert not page.locator("#report-map .leaflet-tile-pane img").count()  # no tiles configured
    assert page.locator("html").get_attribute("lang") == "sv"


def test_switching_to_english(page, site, districts):
    page.goto(site + "/")
    page.get_by_role("button", name="English", exact=True).click()
    page.get_by_role("heading", name="Report a problem in the city").wait_for()
