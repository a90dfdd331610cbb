"""GET /api/v1/places/?q=…: addresses, streets and districts by name, for
the map's search box and for reporting without a map."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import allows
from geocases.accounts.access import Action
from geocases.geocoding.selectors import place_search

HIT = inline_serializer(
    "PlaceHit",
    {
        "kind": serializers.ChoiceField(choices=["address", "street", "district"]),
        "label": serializers.CharField(),
        "lat": serializers.FloatField(),
        "lon": serializers.FloatField(),
        "bbox": serializers.ListField(child=serializers.FloatField(), allow_null=True),
    },
    many=True,
)


class PlaceSearchView(APIView):
    permission_classes = [allows(GET=Action.PUBLIC_READ)]

    @extend_schema(
        summary="Find addresses, streets and districts by name",
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, required=True, description="2 to 100 characters"
            ),
            OpenApiParameter("limit", OpenApiTypes.INT, description="1 to 25, default 10"),
        ],
        responses=HIT,
    )
    def get(self, request):
        query = request.query_params.get("q", "").strip()
        if not 2 <= len(query) <= 100:
            raise ValidationError({"q": [_("Write 2 to 100 characters.")]})
        raw_limit = request.query_params.get("limit", "10")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 25:
            raise ValidationError({"limit": [_("Give a whole number from 1 to 25.")]})
        hits = place_search(query=query, limit=int(raw_limit))
        return Response([hit.as_json() for hit in hits])
