import pytest

from tests.factories import DistrictFactory, square

pytestmark = pytest.mark.django_db


def test_districts_are_a_geojson_feature_collection_of_their_land(client):
    DistrictFactory(code="sodermalm", name="Södermalm", land_geometry=square(18.05, 59.31))
    DistrictFactory(code="kungsholmen", name="Kungsholmen")

    response = client.get("/api/v1/districts/")

    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in body["features"]] == ["Kungsholmen", "Södermalm"]
    sodermalm = body["features"][1]
    assert sodermalm["geometry"]["type"] == "MultiPolygon"
    assert sodermalm["geometry"]["coordinates"][0][0][0] == [18.05, 59.31]
