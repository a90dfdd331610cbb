"""GET /api/v1/service-areas/: who is responsible where (GeoJSON). Contract
areas are public information; ``on=YYYY-MM-DD`` shows those in force that day."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from api.permissions import allows
from geocases.accounts.access import Action
from geocases.areas.models import ServiceArea


class ServiceAreaOutput(GeoFeatureModelSerializer):
    unit = serializers.CharField(source="unit.name")
    categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    geometry = GeometryField(precision=6)

    class Meta:
        model = ServiceArea
        geo_field = "geometry"
        id_field = "code"
        fields = [
            "code",
            "name",
            "unit",
            "categories",
            "valid_from",
            "valid_to",
            "season_start",
            "season_end",
            "priority",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter("category", OpenApiTypes.STR, description="category code"),
        OpenApiParameter("on", OpenApiTypes.DATE, description="in force on this day"),
    ]
)
class ServiceAreaListView(generics.ListAPIView):
    permission_classes = [allows(GET=Action.PUBLIC_READ)]
    serializer_class = ServiceAreaOutput
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        areas = ServiceArea.objects.select_related("unit").prefetch_related("categories")
        category = self.request.query_params.get("category")
        if category:
            areas = areas.filter(categories__code=category)
        on = self.request.query_params.get("on")
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError:
                raise ValidationError({"on": [_("Give a date as YYYY-MM-DD.")]}) from None
            areas = areas.filter(valid_from__lte=day).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=day)
            )
        return areas.order_by("code")
