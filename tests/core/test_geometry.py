import pytest

from geocases.core.geometry import PlaceError, place_from_geojson, place_from_lat_lon

SQUARE = [[[18.0, 59.3], [18.01, 59.3], [18.01, 59.31], [18.0, 59.31], [18.0, 59.3]]]


def test_a_geojson_point_becomes_a_wgs84_point():
    point = place_from_geojson({"type": "Point", "coordinates": [18.07, 59.33]})
    assert (point.geom_type, point.srid, point.x, point.y) == ("Point", 4326, 18.07, 59.33)


def test_a_geojson_polygon_becomes_a_wgs84_polygon():
    polygon = place_from_geojson({"type": "Polygon", "coordinates": SQUARE})
    assert (polygon.geom_type, polygon.srid, polygon.num_coords) == ("Polygon", 4326, 5)


def test_a_foreign_crs_member_is_ignored_never_read():
    # GDAL would try to resolve this; we read coordinates only, as WGS84.
    point = place_from_geojson(
        {
            "type": "Point",
            "coordinates": [18.07, 59.33],
            "crs": {"type": "name", "properties": {"name": "/etc/passwd"}},
        }
    )
    assert (point.srid, point.x) == (4326, 18.07)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("POINT (18 59)", "GeoJSON geometry"),
        ({"coordinates": [18, 59]}, "GeoJSON geometry"),
        ({"type": "LineString", "coordinates": [[18, 59], [18.1, 59]]}, "Point or a Polygon"),
        ({"type": "GeometryCollection", "geometries": []}, "Point or a Polygon"),
        ({"type": "Point", "coordinates": "here"}, "cannot be read"),
        ({"type": "Point", "coordinates": []}, "cannot be read|empty"),
        ({"type": "Point", "coordinates": [18]}, "cannot be read"),
        ({"type": "Polygon", "coordinates": [[[18, 59], [18.1, 59]]]}, "cannot be read|valid"),
        ({"type": "Point", "coordinates": [float("inf"), 59]}, "finite"),
        ({"type": "Point", "coordinates": [18, 91]}, "latitude"),
        ({"type": "Point", "coordinates": [18, 5e-324]}, "close to zero"),
        ({"type": "Point", "coordinates": [-1e-310, 59]}, "close to zero"),
        (
            {"type": "Polygon", "coordinates": [[[18, 59], [18.1, 59], [1e-305, 59.1], [18, 59]]]},
            "close to zero",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[18, 59], [18.1, 59.1], [18.1, 59], [18, 59.1], [18, 59]]],
            },
            "not a valid polygon",
        ),
    ],
)
def test_bad_geojson_is_refused_clearly(data, message):
    with pytest.raises(PlaceError, match=message) as raised:
        place_from_geojson(data)
    assert "location" in raised.value.fields


def test_zero_and_small_but_ordinary_coordinates_are_places():
    for lon, lat in [(0, 0), (1e-300, -1e-300), (1e-9, 59)]:
        assert place_from_geojson({"type": "Point", "coordinates": [lon, lat]}).coords == (lon, lat)


def test_lat_lon_pair():
    point = place_from_lat_lon("59.33", "18.07")
    assert (point.x, point.y) == (18.07, 59.33)
    with pytest.raises(PlaceError, match="must be numbers"):
        place_from_lat_lon("north", "18")
    with pytest.raises(PlaceError, match="finite"):
        place_from_lat_lon("nan", "18")
