"""GeoJSON pages with a total count, for features PostGIS has already built.

    {"type": "FeatureCollection", "count": 1234, "next": "…", "previous": null,
     "features": [...]}

The same shape as djangorestframework-gis's ``GeoJsonPagination``; the
features arrive as JSON text and are joined, not parsed and re-encoded.
"""

from __future__ import annotations

import json

from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 10_000


def _whole_number(request, name: str, default: int, largest: int | None = None) -> int:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1 or (largest and int(raw) > largest):
        limit = f" (1 to {largest})" if largest else ""
        raise ValidationError(
            {name: [_("Give a whole number above 0%(limit)s.") % {"limit": limit}]}
        )
    return int(raw)


def feature_page(request, *, features: QuerySet, count_of: QuerySet) -> HttpResponse:
    """One page of ``features`` (JSON text per row, ordered) as a FeatureCollection;
    ``count_of`` is the same selection, counted."""
    size = _whole_number(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    number = _whole_number(request, "page", 1)
    paginator = Paginator(features, size, allow_empty_first_page=True)
    paginator.count = count_of.count()  # one COUNT(*) on the filtered cases
    try:
        page = paginator.page(number)
    except InvalidPage:
        raise ValidationError({"page": [_("There is no page %(n)s.") % {"n": number}]}) from None
    url = request.build_absolute_uri()
    following = replace_query_param(url, "page", number + 1) if page.has_next() else None
    if not page.has_previous():
        previous = None
    elif number - 1 == 1:
        previous = remove_query_param(url, "page")
    else:
        previous = replace_query_param(url, "page", number - 1)
    head = json.dumps(
        {
            "type": "FeatureCollection",
            "count": paginator.count,
            "next": following,
            "previous": previous,
        }
    )
    body = head[:-1] + ', "features": [' + ",".join(page.object_list) + "]}"
    return HttpResponse(body, content_type="application/json")
