from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from geocases.areas.models import District, ServiceArea


@admin.register(District)
class DistrictAdmin(LeafletGeoAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(LeafletGeoAdmin):
    list_display = ["name", "unit", "valid_from", "valid_to", "priority"]
    list_filter = ["unit", "categories"]
    search_fields = ["name", "code", "unit__name"]
    filter_horizontal = ["categories"]
