"""GET /open311/v2/discovery.{json,xml}: the spec's service discovery."""

import datetime as dt

import pytest

from tests.open311.factories import xml_root

pytestmark = pytest.mark.django_db


def test_discovery_in_json(client):
    response = client.get("/open311/v2/discovery.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    discovery = response.json()
    assert list(discovery) == ["changeset", "contact", "key_service", "endpoints"]
    assert discovery["contact"] and discovery["key_service"]
    assert dt.datetime.fromisoformat(discovery["changeset"]).utcoffset() is not None
    [endpoint] = discovery["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2",
        "changeset": discovery["changeset"],
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }


def test_discovery_in_xml(client):
    root = xml_root(client.get("/open311/v2/discovery.xml"))

    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    [endpoint] = root.find("endpoints")
    assert endpoint.tag == "endpoint"
    assert [child.tag for child in endpoint] == [
        "specification",
        "url",
        "changeset",
        "type",
        "formats",
    ]
    assert [(f.tag, f.text) for f in endpoint.find("formats")] == [
        ("format", "text/xml"),
        ("format", "application/json"),
    ]
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
