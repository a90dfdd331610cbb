"""Importing service areas from a file: the one core behind the management
command ``service_areas_import`` and the admin's upload page.

Contract maps arrive from contractors and GIS departments in whatever they
use: GeoJSON, a zipped Shapefile, a GeoPackage, KML, usually in the national
grid (SWEREF 99 TM) rather than longitude/latitude. GDAL reads them all;
this module turns the features into service areas:

1. read every feature, map its attributes, reproject it to EPSG:4326
   (reading only; the progress callback follows the features);
2. check geometry validity *in PostGIS*, repairing invalid polygons with
   ``ST_MakeValid`` (reported) or, with ``repair=False``, rejecting them;
3. if anything is wrong, raise :class:`ServiceAreaImportError` with the full
   report, having written nothing; otherwise write all areas in one
   transaction (the database triggers subdivide them for fast look-ups);
4. report overlaps of equal priority for the same category and period,
   which the routing can only settle by size, and queue re-routing of open
   cases once the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.gis.gdal import DataSource, GDALException, OGRGeometry, SpatialReference
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from geocases.areas.models import ServiceArea, month_day_validate
from geocases.areas.services import service_area_upsert
from geocases.categories.models import Category
from geocases.core.errors import ApplicationError
from geocases.organisations.models import OrganisationUnit

WGS84 = 4326
ATTRIBUTES = (
    "code",
    "name",
    "unit",
    "categories",
    "valid_from",
    "valid_to",
    "season_start",
    "season_end",
    "priority",
)
# Formats read from a single file (or a zip). Formats that can point GDAL at
# other files or URLs (VRT and friends) are refused: an uploaded file must not
# make the server read anything else (GDAL before 3.9 cannot forbid it).
ALLOWED_SUFFIXES = {".geojson", ".json", ".zip", ".gpkg", ".kml", ".gml", ".fgb", ".shp"}
ZIPPED_SUFFIXES = {
    ".shp",
    ".shx",
    ".dbf",
    ".prj",
    ".cpg",
    ".qix",
    ".sbn",
    ".sbx",
    ".xml",
    ".geojson",
    ".json",
    ".gpkg",
    ".kml",
    ".gml",
    ".fgb",
    ".txt",
}
REQUIRED = ("code", "name", "unit", "categories", "valid_from")
POLYGONAL = {"Polygon", "MultiPolygon", "Polygon25D", "MultiPolygon25D"}


@dataclass
class ImportProblem:
    feature: int  # 1-based, as a GIS user counts features
    code: str
    message: str

    def __str__(self) -> str:
        where = _("feature %(n)s") % {"n": self.feature}
        return f"{where} ({self.code}): {self.message}" if self.code else f"{where}: {self.message}"


@dataclass
class ImportOverlap:
    first: str
    second: str
    categories: list[str]
    overlap_m2: float

    def __str__(self) -> str:
        return _(
            "“%(a)s” and “%(b)s” overlap by %(m2)s m² with the same priority for %(cats)s: "
            "cases there go to the smaller area."
        ) % {
            "a": self.first,
            "b": self.second,
            "m2": f"{self.overlap_m2:,.0f}",
            "cats": ", ".join(self.categories),
        }


@dataclass
class ImportReport:
    source: str
    features: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    repaired: list[ImportProblem] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    overlaps: list[ImportOverlap] = field(default_factory=list)
    dry_run: bool = False
    reroute_run_id: int | None = None

    def lines(self) -> list[str]:
        """The report as text, for the command line and the admin page."""
        lines = [
            _("%(source)s: %(n)s features.") % {"source": self.source, "n": self.features},
        ]
        if self.errors:
            lines.append(_("Nothing was imported; fix these and try again:"))
            lines += [f"  - {problem}" for problem in self.errors]
            return lines
        counts = {"c": len(self.created), "u": len(self.updated), "d": len(self.deleted)}
        if self.dry_run:
            lines.append(
                _("Dry run, nothing saved: would create %(c)s, update %(u)s, delete %(d)s.")
                % counts
            )
        else:
            lines.append(_("Created %(c)s, updated %(u)s, deleted %(d)s service areas.") % counts)
        if self.repaired:
            lines.append(_("Invalid geometries repaired (check them on the map):"))
            lines += [f"  - {problem}" for problem in self.repaired]
        if self.overlaps:
            lines.append(_("Overlaps with equal priority:"))
            lines += [f"  - {overlap}" for overlap in self.overlaps]
        if self.reroute_run_id:
            lines.append(
                _("Open cases will be routed again (run %(id)s).") % {"id": self.reroute_run_id}
            )
        return lines


class ServiceAreaImportError(ApplicationError):
    """The file cannot be imported; ``report`` says why, feature by feature."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("\n".join(report.lines()))
        self.report = report


@dataclass
class _Row:
    feature: int
    code: str
    values: dict[str, Any]
    geometry: OGRGeometry | None = None
    valid_geometry: GEOSGeometry | None = None


def service_areas_import(
    *,
    path: str | Path,
    layer: str | int = 0,
    source_srid: int | None = None,
    field_map: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    replace: bool = False,
    repair: bool = True,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    requested_by=None,
) -> ImportReport:
    """Import the service areas in the file at ``path``: all or nothing.

    ``field_map`` maps our attribute names (``code``, ``unit``…) to the file's
    own field names; ``defaults`` fills attributes the file lacks (e.g. the
    unit when a contractor sends only their own areas). Areas are matched by
    code: existing ones are updated, new ones created, and with ``replace``
    the areas missing from the file are deleted.
    """
    from geocases.routing.services import reroute_request

    name = Path(path).name
    report = ImportReport(source=name, dry_run=dry_run)
    rows = _read_features(
        path, layer, source_srid, field_map or {}, defaults or {}, report, progress
    )
    _check_geometries(rows, repair, report)
    _check_codes(rows, report)
    if report.errors:
        raise ServiceAreaImportError(report)
    try:
        with transaction.atomic():
            _write(rows, replace, report)
            report.overlaps = _overlaps([row.code for row in rows])
            if dry_run:
                raise _DryRunDone
            run = reroute_request(
                reason=_("Service areas imported from %(file)s") % {"file": name},
                requested_by=requested_by,
            )
            report.reroute_run_id = run.pk
    except _DryRunDone:
        pass
    return report


class _DryRunDone(Exception):
    """Rolls a dry run back after everything was checked against the database."""


def _open_layer(path: str | Path, layer: str | int):
    location = str(path)
    _check_kind(Path(path))
    if location.lower().endswith(".zip"):  # a zipped Shapefile, as they are usually sent
        location = f"/vsizip/{location}"
    try:
        source = DataSource(location)
    except GDALException as error:
        raise ApplicationError.for_field(
            "file", _("The file cannot be read as geographic data (%(error)s).") % {"error": error}
        ) from error
    try:
        return source, source[layer]
    except (IndexError, KeyError, GDALException) as error:
        names = ", ".join(found.name for found in source)
        raise ApplicationError.for_field(
            "layer",
            _("No layer %(layer)s in the file; it has: %(names)s.")
            % {"layer": layer, "names": names},
        ) from error


def _check_kind(path: Path) -> None:
    kinds = ", ".join(sorted(ALLOWED_SUFFIXES))
    if path.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ApplicationError.for_field(
            "file", _("Send one of these kinds of file: %(kinds)s.") % {"kinds": kinds}
        )
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = [info.filename for info in archive.infolist() if not info.is_dir()]
        except (zipfile.BadZipFile, OSError) as error:
            raise ApplicationError.for_field(
                "file", _("The zip file cannot be opened (%(error)s).") % {"error": error}
            ) from error
        odd = [name for name in names if Path(name).suffix.lower() not in ZIPPED_SUFFIXES]
        if odd:
            raise ApplicationError.for_field(
                "file",
                _("The zip file holds files that are not geographic data: %(names)s.")
                % {"names": ", ".join(odd[:5])},
            )


def _read_features(
    path, layer_key, source_srid, field_map, defaults, report, progress
) -> list[_Row]:
    source, layer = _open_layer(path, layer_key)
    srs = _source_srs(layer, source_srid, path)
    to_wgs84 = SpatialReference(WGS84)
    fields = set(layer.fields)
    units = {unit.code: unit for unit in OrganisationUnit.objects.all()}
    categories = {category.code: category for category in Category.objects.all()}
    total = len(layer)
    report.features = total
    rows = []
    for index, feature in enumerate(layer, start=1):
        raw = {}
        for attribute in ATTRIBUTES:
            source_field = field_map.get(attribute, attribute)
            value = feature.get(source_field) if source_field in fields else None
            raw[attribute] = value if value not in (None, "") else defaults.get(attribute)
        row = _Row(feature=index, code=str(raw["code"] or ""), values={})
        problems = _parse_attributes(raw, row, units, categories)
        geometry = _feature_geometry(feature)
        if geometry is None or geometry.empty:
            problems.append(_("it has no geometry."))
        elif geometry.geom_type.name not in POLYGONAL:
            problems.append(
                _("a %(type)s cannot be a service area; areas must be polygons.")
                % {"type": geometry.geom_type.name}
            )
        else:
            geometry = geometry.clone()
            geometry.srs = srs
            try:
                geometry.transform(to_wgs84)
            except GDALException as error:
                problems.append(_("it cannot be reprojected (%(error)s).") % {"error": error})
            else:
                geometry.set_3d(False)
                row.geometry = geometry
                if not _within_world(geometry):
                    problems.append(
                        _(
                            "its coordinates are not longitude/latitude after reprojection; "
                            "is the file's coordinate system right?"
                        )
                    )
        report.errors += [ImportProblem(index, row.code, message) for message in problems]
        rows.append(row)
        if progress:
            progress(index, total)
    del source
    return rows


def _feature_geometry(feature) -> OGRGeometry | None:
    try:
        return feature.geom
    except GDALException:  # a feature with a null geometry
        return None


def _source_srs(layer, source_srid: int | None, path) -> SpatialReference:
    if source_srid:
        return SpatialReference(source_srid)
    if layer.srs is not None:
        return layer.srs  # Django sets GIS axis order: x is easting or longitude
    if str(path).lower().endswith((".geojson", ".json")):
        return SpatialReference(WGS84)  # RFC 7946: GeoJSON is WGS 84 unless it says otherwise
    raise ApplicationError.for_field(
        "srid", _("The file does not say which coordinate system it uses; give its EPSG code.")
    )


def _within_world(geometry: OGRGeometry) -> bool:
    min_x, min_y, max_x, max_y = geometry.extent
    return -180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90


def _parse_attributes(raw, row, units, categories) -> list[str]:
    problems = []
    for attribute in REQUIRED:
        if raw[attribute] in (None, ""):
            problems.append(_("“%(attribute)s” is missing.") % {"attribute": attribute})
    if problems:
        return problems
    code = slugify(str(raw["code"]))
    if code != str(raw["code"]):
        problems.append(
            _("the code “%(code)s” may only hold letters, digits, - and _.") % {"code": raw["code"]}
        )
    row.values["name"] = str(raw["name"])[:200]
    unit = units.get(str(raw["unit"]))
    if unit is None:
        problems.append(_("no organisation unit has the code “%(code)s”.") % {"code": raw["unit"]})
    row.values["unit"] = unit
    codes = raw["categories"]
    codes = (
        codes
        if isinstance(codes, list)
        else [c.strip() for c in str(codes).replace(";", ",").split(",")]
    )
    unknown = [c for c in codes if c and c not in categories]
    if unknown:
        problems.append(_("unknown category codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    row.values["categories"] = [categories[c] for c in codes if c in categories]
    for attribute in ("valid_from", "valid_to"):
        value = raw[attribute]
        if value in (None, ""):
            row.values[attribute] = None
            continue
        try:
            row.values[attribute] = (
                value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
            )
        except ValueError:
            problems.append(
                _("“%(attribute)s” is not a date (YYYY-MM-DD): %(value)s.")
                % {"attribute": attribute, "value": value}
            )
    start, end = row.values.get("valid_from"), row.values.get("valid_to")
    if start and end and end < start:
        problems.append(_("the validity ends before it starts."))
    season = [str(raw["season_start"] or ""), str(raw["season_end"] or "")]
    if any(season) and not all(_month_day(value) for value in season):
        problems.append(_("a season needs both a start and an end as MM-DD, e.g. 10-15 and 04-15."))
    row.values["season_start"], row.values["season_end"] = season
    try:
        row.values["priority"] = int(raw["priority"] or 0)
    except (TypeError, ValueError):
        problems.append(_("the priority must be a whole number."))
    return problems


def _month_day(value: str) -> bool:
    try:
        month_day_validate(value)
    except ValidationError:
        return False
    return True


CHECK_GEOMETRIES = """
SELECT n, ST_IsValid(g), ST_IsValidReason(g), ST_AsEWKB(fixed), ST_IsEmpty(fixed)
FROM (
    SELECT n, g, ST_Multi(ST_CollectionExtract(
                CASE WHEN ST_IsValid(g) THEN g ELSE ST_MakeValid(g) END, 3)) AS fixed
    FROM unnest(%s::int[], %s::bytea[]) AS input(n, wkb),
         LATERAL ST_GeomFromWKB(wkb, 4326) AS g
) checked
"""


def _check_geometries(rows: list[_Row], repair: bool, report: ImportReport) -> None:
    """Validity in PostGIS: repair (reported) or reject each invalid polygon."""
    with_geometry = [row for row in rows if row.geometry is not None]
    if not with_geometry:
        return
    by_feature = {row.feature: row for row in with_geometry}
    with connection.cursor() as cursor:
        cursor.execute(
            CHECK_GEOMETRIES,
            [
                [row.feature for row in with_geometry],
                [bytes(row.geometry.wkb) for row in with_geometry],
            ],
        )
        checked = cursor.fetchall()
    for feature, valid, reason, fixed_wkb, empty in checked:
        row = by_feature[feature]
        if valid:
            row.valid_geometry = GEOSGeometry(memoryview(bytes(fixed_wkb)))
        elif not repair:
            report.errors.append(
                ImportProblem(
                    feature, row.code, _("invalid geometry: %(reason)s.") % {"reason": reason}
                )
            )
        elif empty:
            report.errors.append(
                ImportProblem(
                    feature,
                    row.code,
                    _("invalid geometry with no area left after repair: %(reason)s.")
                    % {"reason": reason},
                )
            )
        else:
            row.valid_geometry = GEOSGeometry(memoryview(bytes(fixed_wkb)))
            report.repaired.append(ImportProblem(feature, row.code, reason))


def _check_codes(rows: list[_Row], report: ImportReport) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.code and row.code in seen:
            report.errors.append(
                ImportProblem(
                    row.feature,
                    row.code,
                    _("the code is also used by feature %(n)s.") % {"n": seen[row.code]},
                )
            )
        seen.setdefault(row.code, row.feature)


def _write(rows: list[_Row], replace: bool, report: ImportReport) -> None:
    for row in rows:
        _, created = service_area_upsert(code=row.code, geometry=row.valid_geometry, **row.values)
        (report.created if created else report.updated).append(row.code)
    if replace:
        missing = ServiceArea.objects.exclude(code__in=[row.code for row in rows])
        report.deleted = sorted(missing.values_list("code", flat=True))
        missing.delete()


OVERLAPS = """
SELECT a.code, b.code, array_agg(DISTINCT cat.code ORDER BY cat.code),
       ST_Area(ST_Intersection(a.geometry, b.geometry)::geography)
FROM areas_servicearea a
JOIN areas_servicearea b
  ON a.id < b.id AND a.priority = b.priority AND ST_Intersects(a.geometry, b.geometry)
 -- some day on which both are in force (seasons repeat yearly: a year is enough)
 AND EXISTS (
     SELECT 1
     FROM generate_series(
         greatest(a.valid_from, b.valid_from),
         least(a.valid_to, b.valid_to, greatest(a.valid_from, b.valid_from) + 366),
         interval '1 day') AS day
     WHERE geocases_service_area_valid_on(a.valid_from, a.valid_to, a.season_start,
                                          a.season_end, day::date)
       AND geocases_service_area_valid_on(b.valid_from, b.valid_to, b.season_start,
                                          b.season_end, day::date))
JOIN areas_servicearea_categories ac ON ac.servicearea_id = a.id
JOIN areas_servicearea_categories bc ON bc.servicearea_id = b.id AND bc.category_id = ac.category_id
JOIN categories_category cat ON cat.id = ac.category_id
WHERE a.code = ANY(%(codes)s) OR b.code = ANY(%(codes)s)
GROUP BY a.id, b.id
HAVING ST_Area(ST_Intersection(a.geometry, b.geometry)::geography) >= %(minimum_m2)s
ORDER BY a.code, b.code
"""


def _overlaps(codes: list[str], minimum_m2: float = 1.0) -> list[ImportOverlap]:
    """Pairs of areas, at least one of them imported now, that share a category,
    a priority and some of their validity, and overlap by more than a sliver."""
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS, {"codes": codes, "minimum_m2": minimum_m2})
        return [ImportOverlap(a, b, list(cats), area) for a, b, cats, area in cursor.fetchall()]
