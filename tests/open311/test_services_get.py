"""GET /open311/v2/services.{json,xml} and services/{service_code}.{json,xml}."""

import pytest

from geocases.categories.models import PlaceKind
from tests.factories import CategoryFactory
from tests.open311.factories import element_dict, records, xml_root

pytestmark = pytest.mark.django_db

FORMATS = ["json", "xml"]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_active_categories_are_the_services(client, pothole, fmt):
    CategoryFactory(code="invoice", is_public=False, place_kind=PlaceKind.NONE)
    CategoryFactory(code="retired", is_active=False)
    CategoryFactory(code="parks", name_en="Parks")

    response = client.get(f"/open311/v2/services.{fmt}?locale=en")

    assert response.status_code == 200
    services = records(response, fmt, root="services", item="service")
    assert [s["service_code"] for s in services] == ["parks", "pothole"]  # the pickers' order
    pothole_service = next(s for s in services if s["service_code"] == "pothole")
    parks = next(s for s in services if s["service_code"] == "parks")
    assert list(pothole_service) == SERVICE_FIELDS
    expected = {
        "service_code": "pothole",
        "service_name": "Pothole",
        "description": "A hole in the street",
        "metadata": True,
        "type": "realtime",
        "keywords": "hål, gata",
        "group": "Streets",
    }
    if fmt == "xml":
        expected["metadata"] = "true"
        assert parks["metadata"] == "false"
    else:
        assert parks["metadata"] is False
    assert pothole_service == expected


def test_locale_sv_gives_swedish_names(client, pothole):
    [service] = client.get("/open311/v2/services.json?locale=sv").json()

    assert (service["service_name"], service["group"]) == ("Potthål", "Gator")
    assert service["description"] == "Hål i gatan"


def test_the_service_definition_lists_the_fields_as_attributes(client, pothole):
    response = client.get("/open311/v2/services/pothole.json?locale=en")

    assert response.status_code == 200
    definition = response.json()
    assert list(definition) == ["service_code", "attributes"]
    assert definition["service_code"] == "pothole"
    hazards, size, depth = definition["attributes"]  # by order, then code
    assert list(size) == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert size == {
        "variable": True,
        "code": "size",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": None,
        "order": 2,
        "description": "How big?",
        "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
    }
    assert (hazards["code"], hazards["datatype"], hazards["required"]) == (
        "hazards",
        "multivaluelist",
        False,
    )
    assert hazards["datatype_description"] == "Tick all that apply."
    assert hazards["order"] == 1  # distinct, even when the fields share an order
    assert (depth["datatype"], depth["values"], depth["order"]) == ("number", [], 3)


def test_the_service_definition_in_xml(client, pothole):
    root = xml_root(client.get("/open311/v2/services/pothole.xml?locale=sv"))

    assert root.tag == "service_definition"
    assert [child.tag for child in root] == ["service_code", "attributes"]
    assert root.findtext("service_code") == "pothole"
    attributes = root.find("attributes")
    assert [a.tag for a in attributes] == ["attribute"] * 3
    size = attributes[1]
    assert element_dict(size)["variable"] == "true"
    assert size.findtext("datatype") == "singlevaluelist"
    assert size.findtext("description") == "Hur stort?"
    values = size.find("values")
    assert [v.tag for v in values] == ["value", "value"]
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("small", "Litet"),
        ("large", "Stort"),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", ["no-such-service", "invoice"])
def test_an_unknown_or_private_service_is_404(client, fmt, code):
    CategoryFactory(code="invoice", is_public=False, place_kind=PlaceKind.NONE)

    response = client.get(f"/open311/v2/services/{code}.{fmt}")

    assert response.status_code == 404
    [error] = records(response, fmt, root="errors", item="error")
    assert str(error["code"]) == "404"
    assert code in error["description"]


def test_only_json_and_xml_are_formats(client, pothole):
    assert client.get("/open311/v2/services.html").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_resource_is_404_in_the_spec_error_format(client, fmt):
    response = client.get(f"/open311/v2/servicez.{fmt}")

    assert response.status_code == 404
    [error] = records(response, fmt, root="errors", item="error")
    assert "/open311/v2/servicez" in error["description"]


@pytest.mark.parametrize(
    "path", ["services.json", "services/pothole.xml", "discovery.json", "servicerequestupdates.xml"]
)
def test_a_post_to_a_read_only_resource_is_the_spec_error_not_a_csrf_page(pothole, path):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    response = strict.post(f"/open311/v2/{path}", {"x": "1"})

    assert response.status_code == 400
    fmt = path.rsplit(".", 1)[1]
    [error] = records(response, fmt, root="errors", item="error")
    assert "answers GET only, not POST" in error["description"]
