"""Our cases and categories in GeoReport v2's words: plain dicts with the
spec's field names, in the spec's order, for the HTTP layer to write as JSON
or XML. No database: the selectors fetch, these translate.

What never appears here: the reporter's name, e-mail and phone, nor any
free text people wrote (the description, the title, staff's words to the
citizen): Open311 is read by anyone, and neither the citizen nor the agent
who typed it was told it would be published. ``description`` is empty and
``status_notes`` says only which status the case is in (or which case it
duplicates: words the system wrote), as the REST API's public output does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.cases.lifecycle import Status, status_labels
from geocases.cases.models import Case, EventKind
from geocases.categories.models import Category, CategoryField, FieldType
from geocases.core.i18n import translated, translated_choice

# Open311 knows two statuses. A case is "closed" once it is resolved (or
# closed, merged duplicates included); parked cases are waiting, not done.
CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})
OPEN311_STATUSES = ("open", "closed")

# Categories that may concern a home show their place to about 100 m
# (three decimals: 111 m north-south, 56 m east-west here) and no address.
HOME_DECIMALS = 3
DECIMALS = 7  # a centimetre: more digits only pretend to precision

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this service's discovery document and service definitions last
# changed in shape. (Categories carry no timestamp to say when an
# administrator last changed one.)
CHANGESET = "2026-11-25T00:00:00+01:00"


def discovery_record(*, url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": _("Questions about this service go to the city's customer service."),
        "key_service": _(
            "Reading needs no key. To post service requests, ask the city's customer "
            "service for an API key for your system."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def statuses_for(open311_statuses: set[str]) -> list[str]:
    """Our statuses that Open311's "open" and/or "closed" stand for."""
    return [s for s in Status.values if open311_status(s) in open311_statuses]


def w3_datetime(value: dt.datetime | None, tz: dt.tzinfo | None = None) -> str | None:
    """ISO 8601 with the offset, as the spec requires: local time in the city."""
    if value is None:
        return None
    return value.astimezone(tz or timezone.get_current_timezone()).isoformat(timespec="seconds")


class ServiceNotices:
    """Who handles a request and by when it should be resolved, in the active
    language; made once per response, since a list has a thousand of them."""

    def __init__(self) -> None:
        self.tz = timezone.get_current_timezone()
        self.without_date = _("%(agency)s handles this request.")
        self.with_date = _("%(agency)s handles this request; it should be resolved by %(date)s.")

    def __call__(self, agency: str | None, resolve_by: dt.datetime | None) -> str | None:
        if not agency:
            return None
        if resolve_by is None:
            return self.without_date % {"agency": agency}
        date = resolve_by.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")
        return self.with_date % {"agency": agency, "date": date}


def service_record(category: Category, *, has_fields: bool) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": translated(category, "name"),
        "description": translated(category, "description"),
        "metadata": has_fields,
        "type": "realtime",  # the case number is returned at once
        "keywords": category.keywords,
        "group": translated(category.group, "name"),
    }


def service_definition_record(category: Category, fields: list[CategoryField]) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": field.code,
                "datatype": field.datatype,
                "required": field.required,
                "datatype_description": _datatype_description(field),
                "order": order,  # the spec wants distinct positive numbers
                "description": translated(field, "label"),
                "values": [
                    {"key": choice["key"], "name": translated_choice(choice)}
                    for choice in field.choices
                ]
                if field.datatype in (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE)
                else [],
            }
            for order, field in enumerate(fields, start=1)
        ],
    }


def _datatype_description(field: CategoryField) -> str | None:
    help_text = translated(field, "help")
    if help_text:
        return help_text
    if field.datatype == FieldType.DATETIME:
        return _("A date and time like 2026-01-31T14:30.")
    if field.datatype == FieldType.MULTIPLE_CHOICE:
        return _("One or more of the keys listed under values.")
    return None


def request_records(
    rows: Iterable[dict[str, Any]], *, categories: dict[int, Category], extensions: bool
) -> list[dict[str, Any]]:
    """Cases as GeoReport v2 requests, from rows of the requests selector
    (``photo_urls`` already absolute). What is the same for every row (names,
    the time zone, the texts) is looked up once."""
    tz = timezone.get_current_timezone()
    notices = ServiceNotices()
    names = {pk: translated(category, "name") for pk, category in categories.items()}
    status_names = status_labels()
    status_notes = {value: status_note(value) for value in Status.values}
    records = []
    for row in rows:
        category = categories[row["category_id"]]
        decimals = HOME_DECIMALS if category.concerns_home else DECIMALS
        lat = round(row["lat"], decimals) if row["lat"] is not None else None
        lon = round(row["lon"], decimals) if row["lon"] is not None else None
        address = "" if category.concerns_home else row["address"]
        photos = row["photo_urls"]
        media_urls = [row["submitted_media_url"], *photos] if row["submitted_media_url"] else photos
        status = row["status"]
        is_closed = status in CLOSED_STATUSES
        record = {
            "service_request_id": row["number"],
            "status": "closed" if is_closed else "open",
            "status_notes": row["duplicate_note"] or status_notes[status],
            "service_name": names[category.pk],
            "service_code": category.code,
            "description": None,  # optional in responses; free text is not published
            "agency_responsible": row["agency"] or None,
            "service_notice": None if is_closed else notices(row["agency"], row["resolve_by"]),
            "requested_datetime": w3_datetime(row["created_at"], tz),
            "updated_datetime": w3_datetime(row["updated_at"], tz),
            "expected_datetime": w3_datetime(row["resolve_by"], tz),
            "address": address,
            "address_id": None,
            "zipcode": None,
            "lat": lat,
            "long": lon,
            "media_url": media_urls[0] if media_urls else None,
        }
        if extensions:
            record["extended_attributes"] = {
                "detailed_status": status,
                "detailed_status_name": status_names[status],
                "media_urls": media_urls,
            }
        records.append(record)
    return records


def created_record(case: Case) -> dict[str, Any]:
    """The answer to a POST: the case number at once (no token: see tokens.py)."""
    unit = case.responsible_unit
    return {
        "service_request_id": case.number,
        "service_notice": ServiceNotices()(unit.name if unit else None, case.resolve_by),
        "account_id": None,
    }


def status_note(status: str) -> str:
    return _("The case is now “%(status)s”.") % {"status": Status(status).label}


def update_record(row: dict[str, Any]) -> dict[str, Any]:
    """One public event as FixMyStreet's ``request_update``: the status it
    left the case in, never the words staff wrote to the citizen (only a
    merge's note, which the system wrote, is given as it is)."""
    status = row["status_then"] or Status.NEW
    if row["kind"] == EventKind.MERGED_INTO:
        description = row["text"]
    elif row["kind"] == EventKind.PUBLIC_UPDATE:
        description = _("The city has sent the reporter an update.")
    else:
        description = status_note(status)
    return {
        "update_id": str(row["id"]),
        "service_request_id": row["number"],
        "status": open311_status(status),
        "updated_datetime": w3_datetime(row["at"]),
        "description": description,
        "media_url": None,
    }
