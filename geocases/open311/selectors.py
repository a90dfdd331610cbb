"""Reads through Open311: services, service requests, their updates, tokens.

Only what the public may see: categories that are active and public are
services; cases of public categories are requests; public history events
are updates. Every list is one query (plus one for the categories), however
many rows it returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import Point
from django.contrib.postgres.expressions import ArraySubquery
from django.core.files.storage import default_storage
from django.db.models import (
    Exists,
    F,
    FloatField,
    Func,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.cases.models import Attachment, Case, CaseEvent, EventKind
from geocases.categories.models import Category, CategoryField
from geocases.core.errors import ApplicationError
from geocases.open311.errors import NotFound
from geocases.open311.models import Submission
from geocases.open311.records import (
    request_records,
    service_definition_record,
    service_record,
    statuses_for,
    update_record,
)

# GeoReport v2: "a span of 90 days or first 1000 requests returned,
# whichever is smallest".
WINDOW = dt.timedelta(days=90)
MAX_REQUESTS = 1000
MAX_RADIUS_METERS = 50_000
# What FixMyStreet reads as updates: status changes and words to the citizen.
UPDATE_KINDS = (EventKind.STATUS, EventKind.PUBLIC_UPDATE, EventKind.MERGED_INTO)


def service_list() -> QuerySet[Category]:
    """The categories offered as Open311 services, in the pickers' order."""
    return (
        Category.objects.filter(is_active=True, is_public=True)
        .select_related("group")
        .annotate(has_fields=Exists(CategoryField.objects.filter(category=OuterRef("pk"))))
    )


def service_get(*, code: str) -> Category:
    code = code.strip()
    if not code:
        raise ApplicationError.for_field("service_code", _("service_code is required."))
    category = service_list().filter(code=code).first()
    if category is None:
        raise NotFound(_("There is no service with service_code “%(code)s”.") % {"code": code})
    return category


def service_records() -> list[dict[str, Any]]:
    return [service_record(c, has_fields=c.has_fields) for c in service_list()]


def service_definition(*, code: str) -> dict[str, Any]:
    category = service_get(code=code)
    return service_definition_record(category, list(category.fields.order_by("order", "code")))


def request_window(
    *, start: dt.datetime | None, end: dt.datetime | None, now: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The spec's window: 90 days, the most recent by default, or from/to the
    one date given; a range given in full may not be longer."""
    if start is not None and end is not None:
        if end < start:
            raise ApplicationError.for_field(
                "end_date", _("end_date must not be before start_date.")
            )
        if end - start > WINDOW:
            raise ApplicationError.for_field(
                "end_date", _("start_date and end_date may be at most 90 days apart.")
            )
        return start, end
    if start is not None:
        return start, start + WINDOW
    end = end or now or timezone.now()
    return end - WINDOW, end


def service_request_search(
    *,
    numbers: Iterable[str] | None = None,
    service_codes: Iterable[str] = (),
    statuses: Iterable[str] = (),
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    updated_after: dt.datetime | None = None,
    updated_before: dt.datetime | None = None,
    near: Point | None = None,
    radius: float = 1000,
) -> QuerySet[Case]:
    """The public cases a GeoReport v2 "GET Service Requests" asks for.

    Case numbers, when given, override every other argument (the spec's
    ``service_request_id``). Otherwise the window is 90 days of registration
    (``requested_datetime``); when only ``updated_after``/``updated_before``
    are given, it is 90 days of last change instead, so that a client
    following changes also sees old cases that changed lately.
    """
    cases = Case.objects.filter(category__is_public=True)
    if numbers is not None:
        return cases.filter(number__in=[n.strip() for n in numbers if n.strip()])
    if service_codes:
        cases = cases.filter(category__code__in=list(service_codes))
    if statuses:
        cases = cases.filter(status__in=statuses_for(set(statuses)))
    if (updated_after or updated_before) and not (start or end):
        low, high = request_window(start=updated_after, end=updated_before)
        cases = cases.filter(updated_at__gte=low, updated_at__lte=high)
    else:
        low, high = request_window(start=start, end=end)
        cases = cases.filter(created_at__gte=low, created_at__lte=high)
        if updated_after:
            cases = cases.filter(updated_at__gte=updated_after)
        if updated_before:
            cases = cases.filter(updated_at__lte=updated_before)
    if near is not None:
        if not 0 < radius <= MAX_RADIUS_METERS:
            raise ApplicationError.for_field(
                "radius",
                _("radius must be more than 0 and at most %(max)d metres.")
                % {"max": MAX_RADIUS_METERS},
            )
        cases = cases.near(near, radius)
    return cases


def _coordinate(function: str, expression) -> Func:
    return Func(expression, function=function, output_field=FloatField())


# "Duplicate of ...": the one public note the system writes itself. Words
# staff wrote to the citizen are theirs, not the public's (records.py).
_DUPLICATE_NOTE = (
    CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.MERGED_INTO, is_public=True)
    .order_by("-at", "-id")
    .values("text")[:1]
)
# Photos staff marked public; none of a case that may concern a home (its
# place is published only roughly, and a photo would show it).
_PUBLIC_PHOTOS = ArraySubquery(
    Attachment.objects.filter(
        case=OuterRef("pk"), is_public=True, case__category__concerns_home=False
    )
    .order_by("created_at", "id")
    .values("image")
)


def service_request_records(
    *,
    cases: QuerySet[Case],
    extensions: bool = False,
    absolute_url: Callable[[str], str] = str,
    limit: int = MAX_REQUESTS,
) -> list[dict[str, Any]]:
    """The most recent ``limit`` of ``cases`` as Open311 requests.

    One query: only the columns the records show, the place as one point
    (a polygon's point on its surface, computed by PostGIS), a duplicate's
    note and the public photos as subqueries. ``absolute_url`` turns
    a site path into an address other systems can open.
    """
    rows = _request_rows(cases, limit)
    for row in rows:
        row["photo_urls"] = [absolute_url(default_storage.url(p)) for p in row["photo_paths"]]
    return request_records(rows, categories=Category.objects.in_bulk(), extensions=extensions)


def _request_rows(cases: QuerySet[Case], limit: int) -> list[dict[str, Any]]:
    place = PointOnSurface("location")
    return list(
        cases.order_by("-created_at", "-id")
        .values(
            "number",
            "status",
            "category_id",
            "address",
            "created_at",
            "updated_at",
            "resolve_by",
        )
        .annotate(
            lat=_coordinate("ST_Y", place),
            lon=_coordinate("ST_X", place),
            agency=F("responsible_unit__name"),
            duplicate_note=Subquery(_DUPLICATE_NOTE),
            submitted_media_url=F("open311_submission__media_url"),
            photo_paths=_PUBLIC_PHOTOS,
        )[:limit]
    )


def service_request_record(
    *, number: str, extensions: bool = False, absolute_url: Callable[[str], str] = str
) -> dict[str, Any]:
    records = service_request_records(
        cases=Case.objects.filter(category__is_public=True, number=number.strip()),
        extensions=extensions,
        absolute_url=absolute_url,
        limit=1,
    )
    if not records:
        raise NotFound(_("There is no service request “%(number)s”.") % {"number": number})
    return records[0]


def service_request_updates(
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int = MAX_REQUESTS,
) -> list[dict[str, Any]]:
    """Public updates of public cases in the window (90 days, the most recent
    by default): the latest ``limit`` of them, oldest first.

    Each carries the case's Open311 status as it was just after the update.
    """
    low, high = request_window(start=start, end=end)
    status_then = (
        CaseEvent.objects.filter(case=OuterRef("case"), kind=EventKind.STATUS)
        .filter(Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lte=OuterRef("id")))
        .order_by("-at", "-id")
        .values("new_value")[:1]
    )
    rows = list(
        CaseEvent.objects.filter(
            is_public=True,
            kind__in=UPDATE_KINDS,
            case__category__is_public=True,
            at__gte=low,
            at__lte=high,
        )
        .order_by("-at", "-id")
        .values("id", "kind", "text", "at", number=F("case__number"))
        .annotate(status_then=Subquery(status_then, output_field=JSONField()))[:limit]
    )
    return [update_record(row) for row in reversed(rows)]


def submission_by_token(*, token: str) -> Submission:
    submission = (
        Submission.objects.filter(token=token.strip(), case__category__is_public=True)
        .select_related("case")
        .first()
    )
    if submission is None:
        raise NotFound(_("There is no token “%(token)s”.") % {"token": token})
    return submission
