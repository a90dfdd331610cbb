"""/api/v1/insights/clusters/ and /heatmap/: cases counted per map cell for
any viewport, from the pre-aggregated cells (geocases.insights), with
filters; /cases/: at street level, the cases one by one, as points with
their category, status, month and channel — no number, text or reporter.
For planners and all staff; contractors see their own organisation's."""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from api.cases.filters import bbox_extent
from api.permissions import allows
from geocases.accounts.access import Action
from geocases.cases.lifecycle import Status
from geocases.cases.models import Channel
from geocases.insights.grid import LEVELS, MAX_VIEW_CELLS, CellRange, level_for_zoom
from geocases.insights.selectors import (
    CASES_ZOOM,
    CellFilter,
    cases_in_view_json,
    cells_in_view_json,
    filter_ids_by_code,
    filter_units_in_scope,
)
from geocases.insights.statistics import EARLIEST_MONTH, LATEST_MONTH, MONTH


class CodeList(serializers.CharField):
    """``a,b,c``: codes, each at most 100 characters."""

    def to_internal_value(self, data) -> list[str]:
        text = super().to_internal_value(data)
        codes = [code.strip() for code in text.split(",") if code.strip()]
        if any(len(code) > 100 for code in codes):
            raise serializers.ValidationError(_("A code is at most 100 characters."))
        return codes


class Month(serializers.CharField):
    """``YYYY-MM``, as the first day of that month."""

    default_error_messages = {
        "month": gettext_lazy("Give a month as YYYY-MM, e.g. 2026-01."),
        "range": gettext_lazy("Give a month from 1900-01 to 2100-12."),
    }

    def to_internal_value(self, data) -> dt.date:
        text = super().to_internal_value(data)
        if not MONTH.fullmatch(text):
            self.fail("month")
        if not EARLIEST_MONTH.year <= int(text[:4]) <= LATEST_MONTH.year:
            self.fail("range")
        return dt.date.fromisoformat(text + "-01")


class CellQuery(serializers.Serializer):
    cells_limited = True  # an answer per cell: no more cells than a screen shows
    bbox = serializers.CharField(help_text=gettext_lazy("min_lon,min_lat,max_lon,max_lat (WGS84)"))
    zoom = serializers.IntegerField(min_value=0, max_value=20)
    category = CodeList(required=False, help_text=gettext_lazy("category codes, comma-separated"))
    status = CodeList(required=False, help_text=gettext_lazy("statuses, comma-separated"))
    unit = CodeList(required=False, help_text=gettext_lazy("unit codes, comma-separated"))
    channel = CodeList(required=False, help_text=gettext_lazy("channels, comma-separated"))
    first_month = Month(required=False, help_text=gettext_lazy("from this month (YYYY-MM)"))
    last_month = Month(required=False, help_text=gettext_lazy("to this month, inclusive"))

    def validate_bbox(self, value):
        try:
            return bbox_extent(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages[0]) from None

    def get_fields(self):
        # Shallow copies of the declared fields, which keep no state but
        # their binding: DRF's deep copies build every field anew, a good
        # part of a map request.
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}

    def validate_category(self, codes):
        return _ids("category", codes, _("Unknown category: %(codes)s."))

    def validate_unit(self, codes):
        return _ids("unit", codes, _("Unknown unit: %(codes)s."))

    def validate_status(self, values):
        return _known(values, Status.values, _("Unknown status: %(codes)s."))

    def validate_channel(self, values):
        return _known(values, Channel.values, _("Unknown channel: %(codes)s."))

    def validate(self, data):
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and first > last:
            raise serializers.ValidationError(
                {"last_month": _("The last month comes before the first.")}
            )
        cells = CellRange.covering(data["bbox"], level_for_zoom(data["zoom"]))
        if self.cells_limited and cells.count > MAX_VIEW_CELLS and cells.level > LEVELS.start:
            raise serializers.ValidationError(
                {
                    "zoom": _(
                        "This box holds %(cells)d map cells at zoom %(zoom)d, more than a "
                        "screen shows (%(most)d): give the map's own zoom, or a smaller box."
                    )
                    % {"cells": cells.count, "zoom": data["zoom"], "most": MAX_VIEW_CELLS}
                }
            )
        return data

    def cell_filter(self, user) -> CellFilter:
        data = self.validated_data
        return CellFilter(
            first_month=data.get("first_month"),
            last_month=data.get("last_month"),
            categories=data.get("category", []),
            statuses=data.get("status", []),
            units=filter_units_in_scope(user=user, units=data.get("unit", [])),
            channels=data.get("channel", []),
        )


class CaseQuery(CellQuery):
    # The newest CASES_LIMIT cases of a box no larger than a screen at the
    # zoom asked: at street level the coarsest cells are too large to bound
    # the box, so it is measured in 128-pixel cells of that zoom itself (the
    # clusters' measure): otherwise the whole city "at zoom 18" would be
    # answered with the city's newest cases.
    cells_limited = False

    def validate_zoom(self, zoom: int) -> int:
        if zoom < CASES_ZOOM:
            raise serializers.ValidationError(
                _("Cases are shown one by one from zoom %(zoom)d; below it, ask for clusters.")
                % {"zoom": CASES_ZOOM}
            )
        return zoom

    def validate(self, data):
        data = super().validate(data)
        screen = CellRange.covering(data["bbox"], data["zoom"] + 1)  # 128 px each
        if screen.count > MAX_VIEW_CELLS:
            raise serializers.ValidationError(
                {
                    "bbox": _(
                        "This box is larger than a street-level view: %(cells)d map cells at "
                        "zoom %(zoom)d, more than a screen shows (%(most)d). Give the map's own "
                        "box, or ask for clusters."
                    )
                    % {"cells": screen.count, "zoom": data["zoom"], "most": MAX_VIEW_CELLS}
                }
            )
        return data


def _ids(kind: str, codes: list[str], message: str) -> list[int]:
    ids, unknown = filter_ids_by_code(kind, codes)
    if unknown:
        raise serializers.ValidationError(message % {"codes": ", ".join(unknown)})
    return ids


def _known(values: list[str], allowed, message: str) -> list[str]:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise serializers.ValidationError(message % {"codes": ", ".join(unknown)})
    return values


def _joined(params) -> dict[str, str]:
    """``?category=a&category=b`` as ``category=a,b`` (DRF would keep the
    last only); a repeated single value (two boxes) is then refused."""
    return {name: ",".join(values) for name, values in params.lists()}


def _valid(request, query_class: type[CellQuery]) -> CellQuery:
    """The request's query, checked (a 400 naming the field otherwise)."""
    query = query_class(data=_joined(request.query_params))
    query.is_valid(raise_exception=True)
    return query


def _cells_json(request, shape: str) -> HttpResponse:
    query = _valid(request, CellQuery)
    text = cells_in_view_json(
        bbox=query.validated_data["bbox"],
        zoom=query.validated_data["zoom"],
        where=query.cell_filter(request.user),
        shape=shape,
    )
    return HttpResponse(text, content_type="application/json")


class ClusterView(APIView):
    """Clusters: one per map cell (128 pixels at the zoom asked) with its
    count, at the mean position of its cases."""

    permission_classes = [allows(GET=Action.INSIGHTS)]

    @extend_schema(
        summary="Case clusters for a map view, from pre-aggregated cells",
        parameters=[CellQuery],
        responses=inline_serializer(
            "CellClusters",
            {
                "type": serializers.CharField(),
                "level": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "features": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        return _cells_json(request, "clusters")


class HeatmapView(APIView):
    """Heat: ``[lat, lon, count]`` per map cell, and the largest count."""

    permission_classes = [allows(GET=Action.INSIGHTS)]

    @extend_schema(
        summary="Case density for a map view, from pre-aggregated cells",
        parameters=[CellQuery],
        responses=inline_serializer(
            "CellHeat",
            {
                "level": serializers.IntegerField(),
                "max": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "points": serializers.ListField(child=serializers.ListField()),
            },
        ),
    )
    def get(self, request):
        return _cells_json(request, "heat")


class CasesInViewView(APIView):
    """At street level (zoom 18 and closer), the cases themselves: a point
    each at its public position, with category, status, month and channel;
    the newest 500, and whether there were more."""

    permission_classes = [allows(GET=Action.INSIGHTS)]

    @extend_schema(
        summary="The cases of a street-level map view, one by one, without personal data",
        parameters=[CaseQuery],
        responses=inline_serializer(
            "CasesInView",
            {
                "type": serializers.CharField(),
                "total": serializers.IntegerField(),
                "truncated": serializers.BooleanField(),
                "features": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        query = _valid(request, CaseQuery)
        text = cases_in_view_json(
            bbox=query.validated_data["bbox"], where=query.cell_filter(request.user)
        )
        return HttpResponse(text, content_type="application/json")
