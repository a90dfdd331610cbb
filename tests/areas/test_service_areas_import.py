"""Importing service areas from real files, read by GDAL and checked in PostGIS."""

import json
import subprocess
import zipfile

import pytest
from django.core.management import CommandError, call_command

from geocases.areas.imports import ServiceAreaImportError, service_areas_import
from geocases.areas.models import ServiceArea, ServiceAreaPart
from geocases.core.errors import ApplicationError
from geocases.routing.models import RerouteRun
from tests.factories import CategoryFactory, ContractorFactory, ServiceAreaFactory, square

pytestmark = pytest.mark.django_db

# A 2 km square in SWEREF 99 TM (EPSG:3006), the Swedish national grid, on
# Östermalm in Stockholm: 18.058-18.095 E, 59.323-59.341 N (per gdaltransform).
SWEREF_SQUARE = [[674000, 6580000], [676000, 6580000], [676000, 6582000], [674000, 6582000]]


def ring(corners):
    return [[*corners, corners[0]]]


def lon_lat_square(lon, lat, size=0.01):
    return ring([[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size]])


def feature(code, coordinates, geometry_type="Polygon", **properties):
    props = {
        "code": code,
        "name": f"Område {code}",
        "unit": "plowco",
        "categories": "snow,litter",
        "valid_from": "2026-01-01",
        **properties,
    }
    geometry = {"type": geometry_type, "coordinates": coordinates}
    return {"type": "Feature", "properties": props, "geometry": geometry}


def geojson(tmp_path, features, crs=None, name="areas.geojson"):
    collection = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{crs}"}}
    path = tmp_path / name
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def city():
    """The unit and categories the files refer to by code."""
    return {
        "unit": ContractorFactory(code="plowco"),
        "snow": CategoryFactory(code="snow"),
        "litter": CategoryFactory(code="litter"),
    }


def test_a_geojson_file_creates_areas_with_their_categories_periods_and_parts(tmp_path):
    path = geojson(
        tmp_path,
        [
            feature("north", lon_lat_square(18.0, 59.34), priority=2),
            feature(
                "winter",
                lon_lat_square(18.1, 59.34),
                categories="snow",
                valid_to="2028-04-15",
                season_start="10-15",
                season_end="04-15",
            ),
        ],
    )
    seen = []

    report = service_areas_import(path=path, progress=lambda done, total: seen.append(done))

    assert (report.created, report.updated, report.errors) == (["north", "winter"], [], [])
    assert seen == [1, 2]
    north, winter = ServiceArea.objects.order_by("code")
    assert (north.unit.code, north.priority) == ("plowco", 2)
    assert sorted(north.categories.values_list("code", flat=True)) == ["litter", "snow"]
    assert list(winter.categories.values_list("code", flat=True)) == ["snow"]
    assert (str(winter.valid_to), winter.season_start, winter.season_end) == (
        "2028-04-15",
        "10-15",
        "04-15",
    )
    assert winter.geometry.geom_type == "MultiPolygon" and winter.geometry.srid == 4326
    assert 0.6e6 < north.size_m2 < 0.67e6  # 0.01° x 0.01° at 59.3° N: 568 m x 1113 m
    assert ServiceAreaPart.objects.filter(area=north).exists()
    run = RerouteRun.objects.get()
    assert report.reroute_run_id == run.pk and "areas.geojson" in run.reason


def test_an_import_updates_areas_by_code_and_replace_deletes_the_missing(tmp_path):
    ServiceAreaFactory(code="north", geometry=square(17.0, 59.0))
    ServiceAreaFactory(code="gone")
    path = geojson(tmp_path, [feature("north", lon_lat_square(18.0, 59.34))])

    report = service_areas_import(path=path, replace=True)

    assert (report.created, report.updated, report.deleted) == ([], ["north"], ["gone"])
    north = ServiceArea.objects.get()
    assert north.geometry.extent == pytest.approx((18.0, 59.34, 18.01, 59.35))


def test_a_file_in_the_swedish_national_grid_is_reprojected_to_longitude_latitude(tmp_path):
    path = geojson(tmp_path, [feature("norrmalm", ring(SWEREF_SQUARE))], crs=3006)

    service_areas_import(path=path)

    area = ServiceArea.objects.get()
    min_lon, min_lat, max_lon, max_lat = area.geometry.extent
    assert (min_lon, min_lat) == pytest.approx((18.0580, 59.3214), abs=0.002)
    assert (max_lon, max_lat) == pytest.approx((18.0947, 59.3400), abs=0.002)
    assert area.size_m2 == pytest.approx(4.0e6, rel=0.01)


def test_a_geopackage_and_a_zipped_shapefile_with_their_own_field_names(tmp_path):
    source = geojson(
        tmp_path,
        [
            {
                "type": "Feature",
                "properties": {"OMRADE_ID": "gpkg-1", "NAMN": "Norrmalm"},
                "geometry": {"type": "Polygon", "coordinates": ring(SWEREF_SQUARE)},
            }
        ],
        crs=3006,
        name="source.geojson",
    )
    gpkg = tmp_path / "areas.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(source)], check=True)
    shp_dir = tmp_path / "shp"
    subprocess.run(["ogr2ogr", "-f", "ESRI Shapefile", str(shp_dir), str(source)], check=True)
    zipped = tmp_path / "areas.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for part in shp_dir.iterdir():
            archive.write(part, part.name)
    options = {
        "field_map": {"code": "OMRADE_ID", "name": "NAMN"},
        "defaults": {"unit": "plowco", "categories": "snow", "valid_from": "2026-01-01"},
    }

    service_areas_import(path=gpkg, **options)
    report = service_areas_import(path=zipped, **options)

    assert report.updated == ["gpkg-1"]
    area = ServiceArea.objects.get()
    assert (area.name, area.unit.code) == ("Norrmalm", "plowco")
    assert area.size_m2 == pytest.approx(4.0e6, rel=0.01)


def test_an_invalid_polygon_is_repaired_and_reported(tmp_path):
    bowtie = ring([[18.0, 59.3], [18.1, 59.4], [18.1, 59.3], [18.0, 59.4]])
    path = geojson(tmp_path, [feature("bowtie", bowtie)])

    report = service_areas_import(path=path)

    assert [(p.feature, p.code) for p in report.repaired] == [(1, "bowtie")]
    assert "Self-intersection" in report.repaired[0].message
    area = ServiceArea.objects.get()
    assert len(area.geometry) == 2  # the two triangles of the bow tie
    assert area.geometry.valid


def test_an_invalid_polygon_is_rejected_when_repair_is_off(tmp_path):
    bowtie = ring([[18.0, 59.3], [18.1, 59.4], [18.1, 59.3], [18.0, 59.4]])
    path = geojson(tmp_path, [feature("bowtie", bowtie)])

    with pytest.raises(ServiceAreaImportError) as error:
        service_areas_import(path=path, repair=False)

    assert "invalid geometry: Self-intersection" in error.value.message
    assert not ServiceArea.objects.exists()


def test_one_bad_feature_fails_the_whole_import_and_leaves_existing_areas_untouched(tmp_path):
    existing = ServiceAreaFactory(code="north", geometry=square(17.0, 59.0))
    path = geojson(
        tmp_path,
        [
            feature("north", lon_lat_square(18.0, 59.34)),
            feature("fine", lon_lat_square(18.1, 59.34)),
            feature("no-unit", lon_lat_square(18.2, 59.34), unit="nobody"),
            feature("bad-date", lon_lat_square(18.3, 59.34), valid_from="15 okt"),
            feature("line", [[18.0, 59.3], [18.1, 59.3]], geometry_type="LineString"),
            feature("fine", lon_lat_square(18.4, 59.34)),
            feature("", lon_lat_square(18.5, 59.34)),
            feature("odd-season", lon_lat_square(18.6, 59.34), season_start="10-15"),
            feature("odd-cats", lon_lat_square(18.7, 59.34), categories="snow,potholes"),
        ],
    )

    with pytest.raises(ServiceAreaImportError) as error:
        service_areas_import(path=path, replace=True)

    problems = [(p.feature, p.message) for p in error.value.report.errors]
    assert [n for n, _ in problems] == [3, 4, 5, 7, 8, 9, 6]
    text = error.value.message
    assert "Nothing was imported" in text
    assert "feature 3 (no-unit): no organisation unit has the code “nobody”" in text
    assert "“valid_from” is not a date" in text
    assert "a LineString cannot be a service area" in text
    assert "feature 7: “code” is missing" in text
    assert "a season needs both a start and an end" in text
    assert "unknown category codes: potholes" in text
    assert "feature 6 (fine): the code is also used by feature 2" in text
    assert list(ServiceArea.objects.values_list("code", flat=True)) == ["north"]
    existing.refresh_from_db()
    assert existing.geometry.extent == pytest.approx((17.0, 59.0, 17.01, 59.01))
    assert not RerouteRun.objects.exists()


def test_projected_coordinates_without_a_declared_system_are_refused(tmp_path):
    path = geojson(tmp_path, [feature("norrmalm", ring(SWEREF_SQUARE))])  # no crs member

    with pytest.raises(ServiceAreaImportError, match="not longitude/latitude"):
        service_areas_import(path=path)

    service_areas_import(path=path, source_srid=3006)  # saying which system fixes it
    assert ServiceArea.objects.filter(code="norrmalm").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("areas.geojson", b"this is not json", "cannot be read as geographic data"),
        ("areas.vrt", b"<OGRVRTDataSource/>", "Send one of these kinds of file"),
        ("areas.zip", b"not a zip", "zip file cannot be opened"),
    ],
)
def test_files_that_are_not_geographic_data_get_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(ApplicationError, match=message):
        service_areas_import(path=path)
    assert not ServiceArea.objects.exists()


def test_a_zip_with_other_kinds_of_file_is_refused_before_gdal_opens_it(tmp_path):
    zipped = tmp_path / "areas.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("areas.vrt", "<OGRVRTDataSource/>")

    with pytest.raises(ApplicationError, match=r"not geographic data: areas\.vrt"):
        service_areas_import(path=zipped)


def test_overlaps_of_equal_priority_for_a_shared_category_and_period_are_reported(tmp_path):
    ServiceAreaFactory(code="city", geometry=square(18.0, 59.3, 0.1), categories=[])
    path = geojson(
        tmp_path,
        [
            feature("a", lon_lat_square(18.0, 59.30, 0.02)),
            feature("b", lon_lat_square(18.01, 59.30, 0.02), categories="litter"),
            feature("higher", lon_lat_square(18.0, 59.30, 0.02), priority=5),
            feature("touching", lon_lat_square(18.02, 59.32, 0.02)),
            feature(
                "summer", lon_lat_square(18.0, 59.30), season_start="05-01", season_end="09-30"
            ),
            feature(
                "winter", lon_lat_square(18.0, 59.30), season_start="10-15", season_end="04-15"
            ),
            feature("later", lon_lat_square(18.0, 59.30), valid_from="2030-01-01"),
        ],
    )

    report = service_areas_import(path=path)

    pairs = {(o.first, o.second): o for o in report.overlaps}
    assert ("a", "b") in pairs and pairs[("a", "b")].categories == ["litter"]
    assert pairs[("a", "b")].overlap_m2 == pytest.approx(1.26e6, rel=0.05)
    assert ("a", "higher") not in pairs  # priority settles it
    assert not any("touching" in pair for pair in pairs)  # a shared edge is no overlap
    assert ("summer", "winter") not in pairs  # their seasons never meet
    assert ("a", "summer") in pairs and ("a", "winter") in pairs
    assert ("a", "later") in pairs  # "a" has no end, so both are in force from 2030
    assert not any("city" in pair for pair in pairs)  # no category in common
    assert "overlap by" in "\n".join(report.lines())


def test_a_dry_run_checks_everything_and_saves_nothing(tmp_path):
    path = geojson(tmp_path, [feature("north", lon_lat_square(18.0, 59.34))])

    report = service_areas_import(path=path, dry_run=True)

    assert report.created == ["north"]
    assert "Dry run, nothing saved" in "\n".join(report.lines())
    assert not ServiceArea.objects.exists() and not RerouteRun.objects.exists()


def test_the_command_prints_the_report_and_fails_with_every_problem(tmp_path, capsys):
    good = geojson(tmp_path, [feature("north", lon_lat_square(18.0, 59.34))], name="good.geojson")
    bad = geojson(tmp_path, [feature("north", lon_lat_square(18.0, 59.34), unit="x")])

    call_command("service_areas_import", str(good), "--set", "priority=3", verbosity=0)
    with pytest.raises(CommandError, match="no organisation unit has the code “x”"):
        call_command("service_areas_import", str(bad), verbosity=0)
    with pytest.raises(CommandError, match="--set takes ATTRIBUTE=VALUE"):
        call_command("service_areas_import", str(good), "--set", "colour=red", verbosity=0)

    assert "Created 1, updated 0, deleted 0 service areas." in capsys.readouterr().out
    assert ServiceArea.objects.get().priority == 3
