"""/map/: what has been reported in the city — public cases only, counted per
area when zoomed out and one by one when zoomed in, never personal data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from geocases.cases.lifecycle import OPEN_STATUSES, Status, status_labels
from geocases.categories.models import Category

PERIODS = (7, 30, 90, 365)


def public_map(request: HttpRequest) -> HttpResponse:
    categories = (
        Category.objects.filter(is_active=True, is_public=True)
        .exclude(place_kind="none")
        .select_related("group")
        .order_by("group__order", "order", "code")
    )
    statuses = {
        "open": ",".join(sorted(OPEN_STATUSES)),
        "fixed": f"{Status.RESOLVED},{Status.CLOSED}",
    }
    texts = {
        "cases_in_view": _("%(n)s cases in the map view."),
        "case_in_view": _("1 case in the map view."),
        "case": _("Case"),
        "zoom_in": _("Zoom in to see each case."),
        "failed": _("The map's cases could not be fetched just now. Try again in a moment."),
        "cluster": _("%(n)s cases here: zoom in"),
        "cluster_one": _("One case here: zoom in"),
        "statuses": status_labels(),
        # A case whose title staff typed is shown by its category's name.
        "categories": {category.code: category.name for category in categories},
    }
    return render(
        request,
        "frontend/public_map.html",
        {"categories": categories, "statuses": statuses, "periods": PERIODS, "map_text": texts},
    )
