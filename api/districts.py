"""GET /api/v1/districts/: the city's districts as GeoJSON, for every map's backdrop."""

from rest_framework import generics
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from api.permissions import allows
from geocases.accounts.access import Action
from geocases.areas.models import District
from geocases.areas.selectors import district_list_for_maps


class DistrictSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = District
        geo_field = "land_geometry"
        fields = ["code", "name"]


class DistrictListView(generics.ListAPIView):
    serializer_class = DistrictSerializer
    pagination_class = None
    permission_classes = [allows(GET=Action.PUBLIC_READ)]

    def get_queryset(self):
        return district_list_for_maps()
