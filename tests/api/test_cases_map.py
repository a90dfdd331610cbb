"""GET /api/v1/cases/map/: the public map's data."""

import pytest
from django.contrib.gis.geos import Point

from tests.api.conftest import error_fields
from tests.factories import CategoryFactory, case_in_status

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/map/"
BOX = "17.9,59.25,18.2,59.4"


def test_zoomed_out_the_cases_are_counted_per_cell(anonymous):
    for n in range(3):
        case_in_status("new", location=Point(18.05 + n * 1e-4, 59.33, srid=4326))
    case_in_status("new", location=Point(18.15, 59.38, srid=4326))

    body = anonymous.get(URL, {"bbox": BOX, "zoom": 12}).json()

    assert body["clustered"] is True
    assert sorted(f["properties"]["count"] for f in body["features"]) == [1, 3]


def test_a_cluster_sits_at_the_mean_of_its_cases_public_positions(anonymous):
    for n in range(3):
        case_in_status("new", location=Point(18.04 + n * 2e-4, 59.33 + n * 2e-4, srid=4326))
    home = CategoryFactory(concerns_home=True)
    case_in_status("new", category=home, location=Point(18.0412, 59.3312, srid=4326))

    (feature,) = anonymous.get(URL, {"bbox": BOX, "zoom": 12}).json()["features"]

    # The home is counted at its coarsened place (18.041, 59.331), not where it is.
    assert feature["properties"]["count"] == 4
    assert feature["geometry"]["coordinates"] == pytest.approx(
        [(18.04 + 18.0402 + 18.0404 + 18.041) / 4, (59.33 + 59.3302 + 59.3304 + 59.331) / 4],
        abs=1e-6,
    )


def test_zoomed_in_each_case_without_personal_data(anonymous):
    case = case_in_status(
        "new",
        location=Point(18.05, 59.33, srid=4326),
        reporter_email="anna@example.org",
        description="Ring Anna",
    )
    response = anonymous.get(URL, {"bbox": BOX, "zoom": 17})
    body = response.json()
    assert body["clustered"] is False and body["features"][0]["id"] == case.number
    assert "anna@example.org" not in response.content.decode()
    assert "Ring Anna" not in response.content.decode()


def test_private_categories_are_left_out_and_homes_are_coarsened(anonymous):
    case_in_status(
        "new", category=CategoryFactory(is_public=False), location=Point(18.05, 59.33, srid=4326)
    )
    home = case_in_status(
        "new",
        category=CategoryFactory(concerns_home=True),
        location=Point(18.051234, 59.331234, srid=4326),
        address="Hemgatan 1",
    )
    response = anonymous.get(URL, {"bbox": BOX, "zoom": 18})
    (feature,) = response.json()["features"]
    assert feature["id"] == home.number
    assert feature["geometry"]["coordinates"] == [18.051, 59.331]
    assert "Hemgatan" not in response.content.decode()
    # The cases list coarsens the same way for the public, but not for staff.
    public = anonymous.get("/api/v1/cases/").json()["features"][0]
    assert public["geometry"]["coordinates"] == [18.051, 59.331]


def test_filters_apply(anonymous):
    case_in_status("resolved", location=Point(18.05, 59.33, srid=4326))
    body = anonymous.get(URL, {"bbox": BOX, "zoom": 17, "status": "new,assigned"}).json()
    assert body["features"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"bbox": BOX}, "zoom"),
        ({"bbox": BOX, "zoom": 25}, "zoom"),
        ({"zoom": 10}, "bbox"),
        ({"bbox": "x", "zoom": 10}, "bbox"),
    ],
)
def test_bad_map_queries(anonymous, params, field):
    response = anonymous.get(URL, params)
    assert response.status_code == 400 and field in error_fields(response)
