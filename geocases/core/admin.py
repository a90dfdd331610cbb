"""The administration's base for models with a geometry: django-leaflet's
map widget, reading the GeoJSON it sends with shapely rather than GDAL
(whose versions before 3.9 would follow a ``crs`` member in the text to a
file or URL; see ``geocases.core.geometry``)."""

from leaflet.admin import LeafletAdminWidget, LeafletGeoAdmin

from geocases.core.geometry import geometry_from_geojson_text


class GeoJSONSafeWidget(LeafletAdminWidget):
    def deserialize(self, value):
        if isinstance(value, str) and value.lstrip().startswith("{"):
            return geometry_from_geojson_text(value)
        return super().deserialize(value)  # WKT or hex WKB: read by GEOS, not GDAL


class GeoAdmin(LeafletGeoAdmin):
    widget = GeoJSONSafeWidget
