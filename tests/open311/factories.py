"""Open311 test data: keys, services with extra fields, and a reader for
both response formats that checks the spec's element names."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree import ElementTree

from django.contrib.gis.geos import Point

from geocases.cases.actors import CITIZEN
from geocases.cases.models import Case
from geocases.cases.services import case_create
from geocases.categories.models import CategoryField, FieldType, PlaceKind
from geocases.open311.models import ApiKey
from geocases.open311.services import api_key_issue
from tests.factories import CategoryFactory, CategoryGroupFactory, OrganisationUnitFactory

SODERMALM = Point(18.07, 59.315, srid=4326)

# Every field of a GeoReport v2 request, in the spec's order.
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def api_key_issued(name: str = "FixMyStreet", **kwargs) -> tuple[ApiKey, str]:
    api_key = ApiKey(name=name, **kwargs)
    raw_key = api_key_issue(api_key=api_key)
    return api_key, raw_key


def pothole_service(**kwargs):
    """A public category with one field of each kind Open311 clients meet most."""
    group = CategoryGroupFactory(code="streets", name_sv="Gator", name_en="Streets")
    kwargs.setdefault("code", "pothole")
    category = CategoryFactory(
        group=group,
        name_sv="Potthål",
        name_en="Pothole",
        description_sv="Hål i gatan",
        description_en="A hole in the street",
        keywords="hål, gata",
        place_kind=PlaceKind.ANY,
        default_unit=OrganisationUnitFactory(code="streets", name="Trafikkontoret"),
        resolve_within=dt.timedelta(days=3),
        **kwargs,
    )
    CategoryField.objects.create(
        category=category,
        code="size",
        label_sv="Hur stort?",
        label_en="How big?",
        datatype=FieldType.SINGLE_CHOICE,
        required=True,
        order=5,
        choices=[
            {"key": "small", "name_sv": "Litet", "name_en": "Small"},
            {"key": "large", "name_sv": "Stort", "name_en": "Large"},
        ],
    )
    CategoryField.objects.create(
        category=category,
        code="hazards",
        label_sv="Faror",
        label_en="Hazards",
        help_en="Tick all that apply.",
        help_sv="Kryssa i allt som stämmer.",
        datatype=FieldType.MULTIPLE_CHOICE,
        order=5,
        choices=[
            {"key": "cyclists", "name_sv": "Cyklister", "name_en": "Cyclists"},
            {"key": "cars", "name_sv": "Bilar", "name_en": "Cars"},
        ],
    )
    CategoryField.objects.create(
        category=category,
        code="depth-cm",
        label_sv="Djup (cm)",
        label_en="Depth (cm)",
        datatype=FieldType.NUMBER,
        order=9,
    )
    return category


def reported_case(category, **kwargs) -> Case:
    """A case as a citizen reports it on the web."""
    kwargs.setdefault("location", SODERMALM)
    kwargs.setdefault("extra", {"size": "small"} if category.fields.filter(code="size") else {})
    return case_create(actor=CITIZEN, channel="web", category=category, **kwargs)


def case_dated(case: Case, *, created_at: dt.datetime, updated_at: dt.datetime | None = None):
    Case.objects.filter(pk=case.pk).update(
        created_at=created_at, updated_at=updated_at or created_at
    )
    case.refresh_from_db()
    return case


def records(response, fmt: str, *, root: str, item: str) -> list[dict[str, Any]]:
    """The response's list as dicts, having checked that XML has ``root`` with
    only ``item`` elements in it (and JSON is an array). XML values are text."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        data = response.json()
        assert isinstance(data, list)
        return data
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    tree = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert tree.tag == root
    assert {child.tag for child in tree} <= {item}
    return [element_dict(child) for child in tree]


def element_dict(element) -> dict[str, Any]:
    return {child.tag: (child.text if len(child) == 0 else child) for child in element}


def xml_root(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own output
