"""GET/POST /api/v1/routing/preview/: who would handle it, without a case."""

import pytest

from geocases.cases.models import Case
from tests.api.conftest import error_fields
from tests.factories import CategoryFactory, ContractorFactory, ServiceAreaFactory, square

pytestmark = pytest.mark.django_db
URL = "/api/v1/routing/preview/"


@pytest.fixture
def snow():
    category = CategoryFactory(code="snow", place_kind="any")
    ServiceAreaFactory(
        unit=ContractorFactory(name="Plogbolaget AB"),
        categories=[category],
        geometry=square(18.0, 59.3, 0.1),
    )
    return category


def test_a_point_preview_names_the_unit_and_explains_it(anonymous, snow):
    body = anonymous.get(URL, {"category": "snow", "lat": 59.35, "lon": 18.05}).json()
    assert body["rule"] == "point" and body["unit"]["name"] == "Plogbolaget AB"
    assert "Plogbolaget AB" in body["explanation"]
    assert not Case.objects.exists()


def test_an_area_preview_by_post(anonymous, snow):
    ring = [[18.01, 59.31], [18.02, 59.31], [18.02, 59.32], [18.01, 59.32], [18.01, 59.31]]
    body = anonymous.post(
        URL,
        {"category": "snow", "place": {"type": "Polygon", "coordinates": [ring]}},
        format="json",
    ).json()
    assert body["rule"] == "area" and body["unit"]["name"] == "Plogbolaget AB"


def test_outside_every_area_goes_to_the_default_unit(anonymous, snow):
    body = anonymous.get(URL, {"category": "snow", "lat": 60.5, "lon": 15.0}).json()
    assert body["rule"] == "no_candidate" and body["flag"] == "outside_coverage"
    assert body["unit"]["id"] == snow.default_unit_id


@pytest.mark.parametrize(
    "params, field",
    [
        ({"lat": 59.3, "lon": 18.0}, "category"),
        ({"category": "x", "lat": 59.3, "lon": 18.0}, "category"),
        ({"category": "snow", "lat": 99, "lon": 18.0}, "lat"),
        ({"category": "snow", "lat": 59.3}, "lat"),
    ],
)
def test_bad_preview_input(anonymous, snow, params, field):
    response = anonymous.get(URL, params)
    assert response.status_code == 400 and field in error_fields(response)
