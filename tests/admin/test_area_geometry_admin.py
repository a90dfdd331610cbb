"""Service areas and districts drawn in the administration are checked as
every place from outside is: a bow-tie, coordinates that are not
longitude/latitude (SWEREF 99 TM numbers) or nothing drawn is a field error
on the map, and nothing is written."""

import json

import pytest

from geocases.areas.models import District
from geocases.routing.models import RerouteRun
from tests.factories import CategoryFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db


def multipolygon(*rings):
    return json.dumps({"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]})


SQUARE = [[18.0, 59.3], [18.1, 59.3], [18.1, 59.4], [18.0, 59.4], [18.0, 59.3]]
BAD = {
    "bow-tie": (
        multipolygon([[18.0, 59.3], [18.1, 59.4], [18.1, 59.3], [18.0, 59.4], [18.0, 59.3]]),
        "The area is not a valid polygon",
    ),
    "SWEREF 99 TM": (
        json.dumps(
            {
                "type": "MultiPolygon",
                "crs": {"type": "name", "properties": {"name": "EPSG:3006"}},
                "coordinates": [
                    [
                        [
                            [674000, 6574000],
                            [675000, 6574000],
                            [675000, 6575000],
                            [674000, 6574000],
                        ]
                    ]
                ],
            }
        ),
        "Coordinates must be longitude -180…180 and latitude -90…90",
    ),
    "empty": (json.dumps({"type": "MultiPolygon", "coordinates": []}), "The place is empty."),
}


def form_data(response):
    """What the change page would send back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is None:
            continue
        if name == "categories":
            value = [c.pk for c in value]
        elif name.endswith("geometry"):
            value = value.geojson
        data[name] = value
    return data


@pytest.mark.parametrize("case", list(BAD))
def test_a_service_area_with_bad_geometry_is_a_field_error_and_nothing_changes(
    admin_client_en, case
):
    area = ServiceAreaFactory(code="park", categories=[CategoryFactory()])
    before = area.geometry.wkt
    url = f"/admin/areas/servicearea/{area.pk}/change/"
    data = form_data(admin_client_en.get(url))
    text, words = BAD[case]
    data["geometry"] = text

    response = admin_client_en.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["geometry"]
    assert words in errors["geometry"][0]
    area.refresh_from_db()
    assert area.geometry.wkt == before
    assert not RerouteRun.objects.exists()


def test_a_well_drawn_service_area_is_saved(admin_client_en):
    area = ServiceAreaFactory(code="park", categories=[CategoryFactory()])
    url = f"/admin/areas/servicearea/{area.pk}/change/"
    data = form_data(admin_client_en.get(url))
    data["geometry"] = multipolygon(SQUARE)

    response = admin_client_en.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    area.refresh_from_db()
    assert area.geometry.extent == (18.0, 59.3, 18.1, 59.4)


@pytest.mark.parametrize("case", list(BAD))
def test_a_district_with_bad_geometry_is_refused(admin_client_en, case):
    text, words = BAD[case]

    response = admin_client_en.post(
        "/admin/areas/district/add/", {"code": "x", "name": "X", "geometry": text}
    )

    assert response.status_code == 200
    assert words in response.context["adminform"].form.errors["geometry"][0]
    assert not District.objects.filter(code="x").exists()
