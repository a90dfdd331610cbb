"""The administration's map widgets read GeoJSON with shapely: a ``crs``
member naming a file or URL never reaches GDAL (older than 3.9 here)."""

import json

import pytest
from django.contrib.gis.gdal import OGRGeometry
from django.test import RequestFactory

from geocases.areas.models import District, ServiceArea
from geocases.cases.models import Case
from geocases.core.admin import GeoJSONSafeWidget
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = json.dumps(
    {
        "type": "MultiPolygon",
        "coordinates": [[[[18.0, 59.3], [18.1, 59.3], [18.1, 59.4], [18.0, 59.3]]]],
        "crs": {"type": "name", "properties": {"name": "/etc/passwd"}},
    }
)


@pytest.fixture
def no_gdal_json(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("GeoJSON text reached GDAL")

    monkeypatch.setattr(OGRGeometry, "from_json", classmethod(refuse))


@pytest.mark.parametrize(
    ("model", "field"), [(District, "geometry"), (ServiceArea, "geometry"), (Case, "location")]
)
def test_every_geometry_in_the_administration_is_read_without_gdal(model, field, no_gdal_json):
    from django.contrib import admin

    request = RequestFactory().get("/admin/")
    request.user = UserFactory(role="administrator", is_staff=True, is_superuser=True)
    form = admin.site._registry[model].get_form(request)
    widget = form.base_fields[field].widget
    assert isinstance(widget, GeoJSONSafeWidget)

    geometry = widget.deserialize(HOSTILE)

    assert geometry.srid == 4326 and geometry.geom_type == "MultiPolygon"
    assert geometry.extent == (18.0, 59.3, 18.1, 59.4)


def test_text_that_is_not_geojson_is_refused(no_gdal_json):
    widget = GeoJSONSafeWidget()
    assert widget.deserialize('{"type": "Point"}') is None
    assert widget.deserialize("{not json") is None
    assert widget.deserialize("POINT (18 59)").geom_type == "Point"  # WKT: GEOS reads it
