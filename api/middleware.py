"""Refuse NUL characters in any request's path, query or (form or JSON)
body before a view sees them: PostgreSQL cannot store or compare text that
holds one, so it would otherwise surface as a server error."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from api.errors import error_body

_OPEN311 = re.compile(r"^/open311/v2/.*\.(json|xml)$")


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.content_type == "application/json":
        return b"\x00" in request.body or b"\\u0000" in request.body
    if request.content_type == "application/x-www-form-urlencoded":
        return b"\x00" in request.body or b"%00" in request.body
    if request.content_type == "multipart/form-data" and _OPEN311.match(request.path):
        # Open311's views read Django's own request.POST, so reading it here is safe.
        return any("\x00" in value for _, values in request.POST.lists() for value in values)
    return False  # other multipart bodies: the API's and pages' fields refuse NUL


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _has_nul(request):
            return self.get_response(request)
        message = _("The request holds a NUL character, which no field may contain.")
        match = _OPEN311.match(request.path.replace("\x00", ""))
        if match:
            from api.open311.formats import errors_response

            return errors_response([message], fmt=match[1], status=400)
        if request.path.startswith("/api/"):
            return JsonResponse(error_body("invalid", message), status=400)
        return HttpResponseBadRequest(message)
