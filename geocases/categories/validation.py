"""Checking a case's extra-field values against its category's template."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from django.utils.translation import gettext as _

from geocases.categories.models import Category, CategoryField, FieldType, PlaceKind
from geocases.core.errors import ApplicationError

MAX_STRING = 200
MAX_TEXT = 5000
# What PostgreSQL cannot store in text or jsonb (a server error if it got
# there): NUL, and halves of UTF-16 surrogate pairs, which JSON may escape.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def extra_fields_clean(*, category: Category, values: dict[str, Any] | None) -> dict[str, Any]:
    """The values, typed and checked; ApplicationError naming every bad field.

    Unknown fields are refused rather than dropped: a client sending a field
    the category does not have is mistaken about the category.
    """
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ApplicationError.for_field("extra", _("Extra fields must be an object."))
    fields = {f.code: f for f in category.fields.all()}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for code in values.keys() - fields.keys():
        errors[f"extra.{code}"] = [_("The category has no field “%(code)s”.") % {"code": code}]
    for code, field in fields.items():
        value = values.get(code)
        if value in (None, "", []):
            if field.required:
                errors[f"extra.{code}"] = [_("“%(label)s” is required.") % {"label": field.label}]
            continue
        try:
            cleaned[code] = _clean_value(field, value)
        except ValueError as error:
            errors[f"extra.{code}"] = [str(error)]
    if errors:
        raise ApplicationError(_("Some extra fields are not filled in correctly."), fields=errors)
    return cleaned


def _clean_value(field: CategoryField, value: Any) -> Any:
    keys = {choice["key"] for choice in field.choices}
    match field.datatype:
        case FieldType.STRING | FieldType.TEXT:
            limit = MAX_STRING if field.datatype == FieldType.STRING else MAX_TEXT
            if not isinstance(value, str):
                raise ValueError(_("“%(label)s” must be text.") % {"label": field.label})
            if len(value) > limit:
                raise ValueError(
                    _("“%(label)s” may be at most %(limit)d characters.")
                    % {"label": field.label, "limit": limit}
                )
            if _UNSTORABLE.search(value):
                raise ValueError(
                    _("“%(label)s” holds a NUL or an unpaired surrogate, which is not text.")
                    % {"label": field.label}
                )
            return value.strip()
        case FieldType.NUMBER:
            number = _number(value)
            if number is None:
                raise ValueError(_("“%(label)s” must be a number.") % {"label": field.label})
            return number
        case FieldType.DATETIME:
            try:
                parsed = dt.datetime.fromisoformat(str(value))
            except ValueError:
                raise ValueError(
                    _("“%(label)s” must be a date and time like 2026-01-31T14:30.")
                    % {"label": field.label}
                ) from None
            return parsed.isoformat()
        case FieldType.SINGLE_CHOICE:
            if not isinstance(value, str) or value not in keys:
                raise ValueError(
                    _("“%(label)s” must be one of: %(keys)s.")
                    % {"label": field.label, "keys": ", ".join(sorted(keys))}
                )
            return value
        case FieldType.MULTIPLE_CHOICE:
            chosen = [value] if isinstance(value, str) else value
            if not isinstance(chosen, list) or not all(isinstance(v, str) for v in chosen):
                raise ValueError(
                    _("“%(label)s” must be a list of choices.") % {"label": field.label}
                )
            unknown = set(chosen) - keys
            if unknown:
                raise ValueError(
                    _("“%(label)s” has no choice %(unknown)s; choose from: %(keys)s.")
                    % {
                        "label": field.label,
                        "unknown": ", ".join(sorted(unknown)),
                        "keys": ", ".join(sorted(keys)),
                    }
                )
            return sorted(set(chosen))
    raise ValueError(f"unknown field type {field.datatype}")


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.replace(",", ".").strip())
        except ValueError:
            return None
    else:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if float(number).is_integer() else number


def place_kind_check(*, category: Category, has_point: bool, has_area: bool) -> None:
    """The category must take the kind of place given (or none)."""
    kind = category.place_kind
    if kind == PlaceKind.NONE and (has_point or has_area):
        raise ApplicationError.for_field(
            "location", _("Cases of “%(category)s” have no place.") % {"category": category.name}
        )
    if kind == PlaceKind.POINT and has_area:
        raise ApplicationError.for_field(
            "location",
            _("Cases of “%(category)s” take a point, not an area.") % {"category": category.name},
        )
    if kind == PlaceKind.AREA and has_point:
        raise ApplicationError.for_field(
            "location",
            _("Cases of “%(category)s” take an area, not a point.") % {"category": category.name},
        )
