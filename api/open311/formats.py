"""GeoReport v2 on the wire: JSON or XML by the URL's suffix, the spec's error
list, and the one decorator every Open311 view wears.

The spec's JSON is a mapping of its XML (the "Spark convention"): a list
becomes a JSON array, and in XML an element named after the list holding one
element per item (``attributes`` → ``attribute``). Errors are a list of
``{code, description}`` with HTTP 404 for what does not exist, 403 for a
missing or wrong ``api_key``, and 400 for anything else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from geocases.core.errors import ApplicationError
from geocases.core.idempotency import IdempotencyConflict
from geocases.core.ratelimits import RateLimitExceeded, rate_limit_check
from geocases.open311.errors import ApiKeyRefused, NotFound
from geocases.open311.services import api_key_check

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# The element for each item of a list, by the list's name.
LIST_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "media_urls": "media_url",
}
# Characters XML 1.0 cannot carry at all (most control characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def open311_response(
    data: list[dict[str, Any]] | dict[str, Any],
    *,
    fmt: str,
    root: str,
    item: str = "",
    status: int = 200,
) -> HttpResponse:
    """``data`` as JSON, or as XML under ``root`` (each list entry an ``item``)."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode()
    else:
        element = Element(root)
        if isinstance(data, list):
            for entry in data:
                _append(element, item, entry)
        else:
            _fill(element, data)
        body = XML_DECLARATION + tostring(element, encoding="unicode").encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def _append(parent: Element, name: str, value: Any) -> None:
    _fill(SubElement(parent, name), value, name)


def _fill(element: Element, value: Any, name: str = "") -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        for child in value:
            _append(element, LIST_ITEMS[name], child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("", str(value))


def errors_response(errors: list[str], *, fmt: str, status: int) -> HttpResponse:
    return open311_response(
        [{"code": status, "description": description} for description in errors],
        fmt=fmt,
        root="errors",
        item="error",
        status=status,
    )


def error_descriptions(error: ApplicationError) -> list[str]:
    """One description per message, each naming the parameter it is about."""
    if not error.fields:
        return [error.message]
    return [
        f"{name}: {message}" if name else message
        for name, messages in error.fields.items()
        for message in messages
    ]


def open311_endpoint(*methods: str, limits: dict[str, str] | None = None) -> Callable:
    """Answer ``methods`` (others are a 400, as the spec has no 405), in the
    language of ``locale`` (``sv``, ``en``; else the request's), with every
    refusal in the spec's error format and status. Public clients are rate
    limited per address by ``limits`` (method → group), by default reads as
    look-ups and posts as reports."""
    limits = limits or {"GET": "lookup", "HEAD": "lookup", "POST": "report"}

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
            try:
                if request.method in limits:
                    _limit(request, limits[request.method])
            except RateLimitExceeded as exceeded:
                response = errors_response(
                    [
                        _("Too many requests from your address; try again in %(s)d seconds.")
                        % {"s": exceeded.retry_after}
                    ],
                    fmt=fmt,
                    status=429,
                )
                response["Retry-After"] = str(exceeded.retry_after)
                return response
            try:
                if request.method not in methods and not (
                    request.method == "HEAD" and "GET" in methods
                ):
                    raise ApplicationError(
                        _("This resource answers %(methods)s only, not %(method)s.")
                        % {"methods": ", ".join(methods), "method": request.method}
                    )
                with translation.override(_language(request)):
                    try:
                        return view(request, *args, fmt=fmt, **kwargs)
                    except ApplicationError as error:
                        return _refusal(error, fmt)
            except ApplicationError as error:
                return _refusal(error, fmt)

        # No session is used here (a POST is authenticated by its api_key),
        # and a resource that takes no POST answers one with the spec's
        # error, not Django's CSRF page (whose 403 would read "bad api_key").
        return csrf_exempt(wrapper)

    return decorate


@open311_endpoint("GET", "POST")
def resource_unknown(request: HttpRequest, fmt: str) -> HttpResponse:
    """Any other .json or .xml under the endpoint: a 404 in the spec's format."""
    raise NotFound(_("There is no such Open311 resource: %(path)s.") % {"path": request.path_info})


def request_api_key(request: HttpRequest):
    """The active API key the request carries (``api_key`` in the form or the
    query), looked up once per request; ApiKeyRefused if there is none."""
    raw_key = request.POST.get("api_key") or request.GET.get("api_key", "")
    if getattr(request, "_open311_api_key", None) is None:
        # A refusal is not kept: it is said again in the language active then.
        request._open311_api_key = api_key_check(raw_key=raw_key)
    return request._open311_api_key


def _limit(request: HttpRequest, group: str) -> None:
    """Reports posted with a valid API key count per key (``api_key``), the
    rest per address: a partner system posts for many people from one
    address; a key that is wrong counts as the public does (and is refused)."""
    if request.method == "POST":
        try:
            api_key = request_api_key(request)
        except ApiKeyRefused:
            pass
        else:
            rate_limit_check(request, "api_key", client=f"api-key:{api_key.key_hash[:24]}")
            return
    rate_limit_check(request, group)


def _refusal(error: ApplicationError, fmt: str) -> HttpResponse:
    status = (
        403
        if isinstance(error, ApiKeyRefused)
        else 404
        if isinstance(error, NotFound)
        else 422  # as the case API answers a key reused for another request
        if isinstance(error, IdempotencyConflict)
        else 400
    )
    return errors_response(error_descriptions(error), fmt=fmt, status=status)


def _language(request: HttpRequest) -> str:
    """``locale`` as sent (``sv``, ``en``, ``en_GB``, ``sv-SE``), else the request's language."""
    locale = (request.GET.get("locale") or request.POST.get("locale") or "").strip()
    if not locale:
        return translation.get_language() or settings.LANGUAGE_CODE
    language = locale.replace("_", "-").split("-")[0].lower()
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError.for_field(
            "locale",
            _("locale must be one of: %(languages)s.")
            % {"languages": ", ".join(code for code, _name in settings.LANGUAGES)},
        )
    return language
