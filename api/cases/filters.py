"""The filters of GET /api/v1/cases/, each checked with a message per parameter."""

from __future__ import annotations

import django_filters
from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geocases.accounts.access import Action, is_staff_member, user_may
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case, Channel
from geocases.core.errors import ApplicationError
from geocases.core.geometry import place_from_lat_lon

MAX_RADIUS_METERS = 50_000


def bbox_parse(raw: str) -> Polygon:
    """``min_lon,min_lat,max_lon,max_lat`` in WGS84 as a polygon."""
    return Polygon.from_bbox(bbox_extent(raw))


def bbox_extent(raw: str) -> tuple[float, float, float, float]:
    """``min_lon,min_lat,max_lon,max_lat`` in WGS84, checked, as numbers."""
    parts = raw.split(",")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise DjangoValidationError(
            _("Give the box as min_lon,min_lat,max_lon,max_lat, e.g. 18.0,59.3,18.1,59.35.")
        ) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise DjangoValidationError(
            _(
                "The box must lie within longitude -180..180 and latitude -90..90, "
                "west before east and south before north."
            )
        )
    return west, south, east, north


class CommaList(django_filters.BaseInFilter, django_filters.CharFilter):
    """``category=snow-ice,potholes``."""


class ChoiceList(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """``status=new,assigned``, each value checked."""


class CaseFilter(django_filters.FilterSet):
    bbox = django_filters.CharFilter(
        method="filter_bbox", help_text=gettext_lazy("min_lon,min_lat,max_lon,max_lat (WGS84)")
    )
    status = ChoiceList(choices=Status.choices)
    category = CommaList(field_name="category__code", lookup_expr="in")
    unit = django_filters.NumberFilter(field_name="responsible_unit_id")
    channel = ChoiceList(choices=Channel.choices)
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    q = django_filters.CharFilter(
        method="filter_q", help_text=gettext_lazy("case number, e-mail, phone or words")
    )
    lat = django_filters.NumberFilter(method="filter_near")
    lon = django_filters.NumberFilter(method="filter_near")
    radius = django_filters.NumberFilter(
        method="filter_near", help_text=gettext_lazy("metres around lat/lon, default 100")
    )
    queue = django_filters.ChoiceFilter(
        method="filter_queue",
        choices=[
            ("mine", gettext_lazy("mine")),
            ("team", gettext_lazy("my team's")),
            ("parked_due", gettext_lazy("parked, due today")),
            ("overdue", gettext_lazy("overdue")),
            ("unassigned", gettext_lazy("unassigned")),
        ],
        help_text=gettext_lazy("a work queue of the signed-in member of staff"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
            ("number", "number"),
            ("status", "status"),
            ("priority", "priority"),
        )
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_bbox(self, queryset, name, value):
        try:
            return queryset.within_bbox(bbox_parse(value))
        except DjangoValidationError as error:
            raise ApplicationError.for_field("bbox", error.messages[0]) from None

    def filter_queue(self, queryset, name, value):
        user = self.request.user if self.request else None
        if not is_staff_member(user):
            raise ApplicationError.for_field("queue", _("Work queues are for staff."))
        if value == "mine":
            return queryset.assigned_to(user)
        if value == "team":
            return queryset.for_team(user.unit) if user.unit_id else queryset.none()
        if value == "parked_due":
            return queryset.parked_due(timezone.localdate())
        if value == "overdue":
            return queryset.overdue(timezone.now())
        return queryset.unassigned()

    def filter_q(self, queryset, name, value):
        user = self.request.user if self.request else None
        return queryset.search_any(value, personal=user_may(user, Action.CASE_CONTACT))

    def filter_near(self, queryset, name, value):
        return queryset  # all three are applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        lat, lon, radius = data.get("lat"), data.get("lon"), data.get("radius")
        if lat is None and lon is None:
            if radius is not None:
                raise ApplicationError.for_field("radius", _("A radius needs lat and lon."))
            return queryset
        if lat is None or lon is None:
            raise ApplicationError.for_field("lat", _("Give both lat and lon."))
        radius = float(radius) if radius is not None else 100.0
        if not 0 < radius <= MAX_RADIUS_METERS:
            raise ApplicationError.for_field(
                "radius",
                _("The radius must be above 0 and at most %(m)s m.") % {"m": MAX_RADIUS_METERS},
            )
        return queryset.near(place_from_lat_lon(lat, lon), radius)
