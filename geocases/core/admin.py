"""The administration's base for models with a geometry: django-leaflet's
map widget, reading the GeoJSON it sends with shapely rather than GDAL
(whose versions before 3.9 would follow a ``crs`` member in the text to a
file or URL; see ``geocases.core.geometry``), and what it read checked as
every place from outside is: a bow-tie, SWEREF 99 TM numbers sent as
longitude/latitude or nothing drawn is a field error, and nothing is saved."""

from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import ValidationError
from leaflet.admin import LeafletAdminWidget, LeafletGeoAdmin

from geocases.core.geometry import PlaceError, geometry_from_geojson_text, geometry_validate


class GeoJSONSafeWidget(LeafletAdminWidget):
    def deserialize(self, value):
        if isinstance(value, str) and value.lstrip().startswith("{"):
            return geometry_from_geojson_text(value)
        return super().deserialize(value)  # WKT or hex WKB: read by GEOS, not GDAL


def geometry_checked(geometry) -> None:
    """A form validator: ``geometry_validate``'s refusal as a field error.
    (Not in the widget: it reads the value again to redraw a refused form.)"""
    try:
        geometry_validate(geometry)
    except PlaceError as error:
        raise ValidationError(error.message, code="invalid_place") from None


class GeoAdmin(LeafletGeoAdmin):
    widget = GeoJSONSafeWidget

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, GeometryField) and formfield is not None:
            formfield.validators = [*formfield.validators, geometry_checked]
        return formfield
