"""/api/v1/routing/preview/: who would handle a case of this category at this
place, and why, without creating anything (the agent console and the citizen
form show it while the place and category are chosen)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.cases.views import place_of
from api.fields import CodeField
from api.permissions import allows
from geocases.accounts.access import Action
from geocases.categories.models import Category
from geocases.categories.validation import place_kind_check
from geocases.routing.selectors import routing_decide, routing_explanation


class PreviewInput(serializers.Serializer):
    category = CodeField(slug_field="code", queryset=Category.objects.filter(is_active=True))
    place = serializers.JSONField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)


PREVIEW_OUTPUT = inline_serializer(
    "RoutingPreview",
    {
        "rule": serializers.CharField(),
        "on": serializers.DateField(),
        "unit": serializers.DictField(),
        "area": serializers.DictField(allow_null=True),
        "flag": serializers.CharField(),
        "candidates": serializers.ListField(child=serializers.DictField()),
        "explanation": serializers.CharField(),
    },
)


class RoutingPreviewView(APIView):
    """GET with ``category``, ``lat`` and ``lon``; POST with a GeoJSON ``place``
    for areas."""

    permission_classes = [allows(GET=Action.PUBLIC_READ, POST=Action.PUBLIC_READ)]
    rate_limit_groups = {"GET": "lookup", "HEAD": "lookup", "POST": "lookup"}  # a read

    def preview(self, data) -> Response:
        given = PreviewInput(data=data)
        given.is_valid(raise_exception=True)
        category = given.validated_data["category"]
        location = place_of(given.validated_data)
        place_kind_check(
            category=category,
            has_point=location is not None and location.geom_type == "Point",
            has_area=location is not None and location.geom_type != "Point",
        )
        routing = routing_decide(category=category, location=location).as_json()
        return Response({**routing, "explanation": routing_explanation(routing)})

    @extend_schema(
        summary="Routing for a point, without creating a case",
        parameters=[PreviewInput(partial=True)],
        responses=PREVIEW_OUTPUT,
    )
    def get(self, request):
        return self.preview(request.query_params)

    @extend_schema(
        summary="Routing for a point or an area, without creating a case",
        request=PreviewInput,
        responses=PREVIEW_OUTPUT,
    )
    def post(self, request):
        return self.preview(request.data)
