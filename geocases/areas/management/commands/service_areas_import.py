from django.core.management.base import BaseCommand, CommandError

from geocases.areas.imports import ATTRIBUTES, ServiceAreaImportError, service_areas_import
from geocases.core.errors import ApplicationError
from geocases.core.progress import progress_bar


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or name not in ATTRIBUTES:
            raise CommandError(
                f"{option} takes ATTRIBUTE=VALUE with ATTRIBUTE one of {', '.join(ATTRIBUTES)}; "
                f"got {value!r}."
            )
        pairs[name] = rest
    return pairs


class Command(BaseCommand):
    help = (
        "Import service areas from GeoJSON or any format GDAL reads (a zipped Shapefile, "
        "GeoPackage, KML...), reprojected to EPSG:4326. All or nothing: on any error nothing "
        "is saved and every problem is listed. Each feature needs the attributes "
        + ", ".join(ATTRIBUTES)
        + " (optional: valid_to, season_start, season_end, priority), taken from the file's "
        "fields (--field) or given for all (--set). Open cases are re-routed afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import (a .zip holding a Shapefile works)")
        parser.add_argument("--layer", default="0", help="layer name or number (default: first)")
        parser.add_argument("--srid", type=int, help="EPSG code, when the file does not say")
        parser.add_argument(
            "--field",
            action="append",
            default=[],
            metavar="ATTRIBUTE=FIELD",
            help="read an attribute from the file's own field, e.g. --field code=OBJECTID",
        )
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="ATTRIBUTE=VALUE",
            help="an attribute for features that lack it, e.g. --set unit=vintervag-nord",
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete the areas that are not in the file"
        )
        parser.add_argument(
            "--no-repair",
            action="store_true",
            help="reject invalid geometries instead of repairing them",
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")

    def handle(self, *args, file: str, layer: str, verbosity: int, **options):
        with progress_bar(label="reading", stream=self.stderr._out, verbosity=verbosity) as bar:
            try:
                report = service_areas_import(
                    path=file,
                    layer=int(layer) if layer.isdigit() else layer,
                    source_srid=options["srid"],
                    field_map=_pairs(options["field"], "--field"),
                    defaults=_pairs(options["set"], "--set"),
                    replace=options["replace"],
                    repair=not options["no_repair"],
                    dry_run=options["dry_run"],
                    progress=bar,
                )
            except ServiceAreaImportError as error:
                raise CommandError("\n".join(error.report.lines())) from error
            except ApplicationError as error:
                raise CommandError(error.message) from error
        for line in report.lines():
            self.stdout.write(line)
