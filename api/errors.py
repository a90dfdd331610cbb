"""One JSON error shape for the whole REST API.

    {"error": {"code": "invalid", "message": "…", "fields": {"bbox": ["…"]}}}

``fields`` maps input names to their messages (empty when the error is not
about one input). Services raise ``ApplicationError``; DRF's own errors
(validation, authentication, permission, not found, throttling) are turned
into the same shape here, so clients handle one format.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from geocases.core.errors import ApplicationError
from geocases.core.idempotency import IdempotencyConflict


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as ``{"field.sub": [messages]}``."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            path = f"{prefix}.{name}" if prefix and name else prefix or name
            fields.update(_flatten(value, path))
        return fields
    if isinstance(detail, list) and detail and all(isinstance(d, dict | list) for d in detail):
        fields = {}
        for index, value in enumerate(detail):
            fields.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return fields
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix: [str(message) for message in messages]}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, IdempotencyConflict):
        return Response(
            error_body("idempotency_conflict", exc.message, exc.fields),
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if isinstance(exc, ApplicationError):
        return Response(
            error_body("invalid", exc.message, exc.fields), status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 handling and logging
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = "; ".join(
            f"{name}: {m}" if name else m for name, ms in fields.items() for m in ms
        ) or _("The request is not valid.")
        response.data = error_body("invalid", message, fields)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = error_body(code if isinstance(code, str) else "error", str(detail))
    return response
