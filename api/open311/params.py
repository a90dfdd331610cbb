"""Reading GeoReport v2 query and form parameters; a bad one is a 400 that
names it."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.gis.geos import Point
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.core.errors import ApplicationError
from geocases.core.geometry import place_from_lat_lon

_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_OFFSET_AS_SPACE = re.compile(r" ([0-9]{2}(:?[0-9]{2})?)$")
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


def text(params: QueryDict, name: str) -> str:
    return (params.get(name) or "").strip()


def comma_list(params: QueryDict, name: str) -> list[str]:
    """``a,b`` and ``name=a&name=b`` alike, as the spec allows both."""
    return [
        part.strip() for value in params.getlist(name) for part in value.split(",") if part.strip()
    ]


def choices(params: QueryDict, name: str, allowed: tuple[str, ...]) -> set[str]:
    chosen = {value.lower() for value in comma_list(params, name)}
    if chosen - set(allowed):
        raise ApplicationError.for_field(
            name, _("Use one or more of: %(allowed)s.") % {"allowed": ", ".join(allowed)}
        )
    return chosen


def boolean(params: QueryDict, name: str) -> bool:
    value = text(params, name).lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ApplicationError.for_field(name, _("Use true or false."))


def w3_datetime(params: QueryDict, name: str) -> dt.datetime | None:
    """A W3C date and time such as 2010-01-01T00:00:00Z (a date alone is its
    midnight; without an offset, the city's local time)."""
    value = text(params, name)
    if not value:
        return None
    try:
        # An unescaped "+" of an offset arrives as a space.
        parsed = dt.datetime.fromisoformat(_OFFSET_AS_SPACE.sub(r"+\1", value))
    except ValueError:
        raise ApplicationError.for_field(
            name, _("Use a date and time like 2010-01-01T00:00:00Z.")
        ) from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def number(params: QueryDict, name: str, default: float) -> float:
    value = text(params, name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ApplicationError.for_field(name, _("Use a number.")) from None


def lat_long(params: QueryDict) -> Point | None:
    lat, lon = text(params, "lat"), text(params, "long")
    if not (lat or lon):
        return None
    if not (lat and lon):
        raise ApplicationError.for_field("lat, long", _("Send both lat and long, or neither."))
    try:
        return place_from_lat_lon(lat, lon)
    except ApplicationError as error:
        raise ApplicationError.for_field("lat, long", error.message) from None


def attributes(form: QueryDict) -> dict[str, str | list[str]]:
    """``attribute[CODE]=v`` and ``attribute[CODE][]=v1&attribute[CODE][]=v2``."""
    values: dict[str, str | list[str]] = {}
    for key in form:
        match = _ATTRIBUTE.match(key)
        if match is None:
            continue
        code, many = match.group(1), match.group(2)
        given = form.getlist(key)
        if many or len(given) > 1:
            earlier = values.get(code, [])
            values[code] = [*([earlier] if isinstance(earlier, str) else earlier), *given]
        else:
            values[code] = given[0]
    return values
