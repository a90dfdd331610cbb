"""Requests refused before a view sees them, each answered in the format
its client reads (the API's JSON error, Open311's error list, or text):

- bodies larger than ``MAX_REQUEST_BYTES`` (files included) get 413 before
  they are read, and bodies larger than Django's in-memory limits (e.g. a
  JSON document over ``DATA_UPLOAD_MAX_MEMORY_SIZE``) get 413 too, not 400;
- NUL characters in the path, query or (form or JSON) body get 400:
  PostgreSQL cannot store or compare text that holds one, so it would
  otherwise surface as a server error.
"""

from __future__ import annotations

import re
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from api.errors import error_body

_OPEN311 = re.compile(r"^/open311/v2/.*\.(json|xml)$")


def refusal(request: HttpRequest, *, status: int, code: str, message: str) -> HttpResponse:
    match = _OPEN311.match(request.path.replace("\x00", ""))
    if match:
        from api.open311.formats import errors_response

        return errors_response([message], fmt=match[1], status=status)
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _too_big(request: HttpRequest) -> HttpResponse:
    """Over ``MAX_REQUEST_BYTES`` in all, refused before it is read."""
    return refusal(
        request,
        status=413,
        code="too_large",
        message=_("The request is too large: at most %(size)s may be sent at once.")
        % {"size": filesizeformat(settings.GEOCASES_MAX_REQUEST_BYTES)},
    )


def _too_big_besides_files(request: HttpRequest) -> HttpResponse:
    """Over Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB): the body, or a
    form without its files, found too big as it was read. The message names
    this limit, not the larger one above, which the request was within."""
    return refusal(
        request,
        status=413,
        code="too_large",
        message=_("The request is too large: at most %(size)s besides files may be sent at once.")
        % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
    )


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
    if request.content_type == "multipart/form-data" and request.method == "POST":
        # Read now, before the CSRF check would: a body over Django's limits
        # is then a 413 here, not a 400 there (DRF reads Django's parse).
        request.POST  # noqa: B018
    # Other multipart bodies: form fields refuse NUL themselves, and the free
    # extra fields in geocases/categories/validation.py do too.
    return False


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.GEOCASES_MAX_REQUEST_BYTES:
            return _too_big(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, RequestDataTooBig):
            return _too_big_besides_files(request)
        return None


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            has_nul = _has_nul(request)
        except RequestDataTooBig:
            return _too_big_besides_files(request)
        except MultiPartParserError:
            return refusal(
                request,
                status=400,
                code="invalid",
                message=_("The form data cannot be read."),
            )
        if not has_nul:
            return self.get_response(request)
        return refusal(
            request,
            status=400,
            code="invalid",
            message=_("The request holds a NUL character, which no field may contain."),
        )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500. The database unreachable (an outage, a restart)
    is a 503 with Retry-After, in the client's format, and without touching
    the database or templates; the next request reconnects by itself
    (connections are health-checked before reuse). Anything else is a 500."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = refusal(
            request,
            status=503,
            code="unavailable",
            message=_("The service is unavailable for a moment; try again in a minute."),
        )
        response["Retry-After"] = "30"
        return response
    return refusal(
        request,
        status=500,
        code="server_error",
        message=_("Something went wrong on our side; it has been logged. Try again later."),
    )
