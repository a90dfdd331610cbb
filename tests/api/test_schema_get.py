"""GET /api/schema/: the OpenAPI document names every query parameter the
case list and the public map take (clients and the fuzzer build requests
from it)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        from django.test import Client

        response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def parameters(schema, path: str) -> dict[str, dict]:
    return {
        parameter["name"]: parameter
        for parameter in schema["paths"][path]["get"].get("parameters", [])
        if parameter["in"] == "query"
    }


def test_the_case_list_documents_its_filters_ordering_and_paging(schema):
    documented = parameters(schema, "/api/v1/cases/")

    assert set(documented) >= {
        "bbox",
        "status",
        "category",
        "unit",
        "channel",
        "created_after",
        "created_before",
        "updated_since",
        "q",
        "lat",
        "lon",
        "radius",
        "queue",
        "ordering",
        "page",
        "page_size",
    }
    assert "new" in documented["status"]["schema"]["items"]["enum"]
    assert "-created_at" in documented["ordering"]["schema"]["items"]["enum"]
    assert documented["page_size"]["schema"]["type"] == "integer"
    assert "10000" in documented["page_size"]["description"]


def test_the_map_documents_its_required_box_and_zoom(schema):
    documented = parameters(schema, "/api/v1/cases/map/")

    assert documented["bbox"]["required"] is True
    assert "min_lon,min_lat,max_lon,max_lat" in documented["bbox"]["description"]
    assert documented["zoom"]["required"] is True
    assert {"category", "status", "created_after"} <= set(documented)
    assert "ordering" not in documented and "page" not in documented
