"""NUL characters, which PostgreSQL cannot hold, are refused with a clear
400 wherever they come: path, query, form or JSON body."""

import pytest

from geocases.cases.models import Case
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/places/?q=ab%00c",
        "/api/v1/service-areas/?category=a%00",
        "/open311/v2/requests.json?service_code=a%00b",
        "/open311/v2/services/a%00b.json",
    ],
)
def test_a_nul_in_the_query_or_path_is_a_clear_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_the_api_error_shape_and_open311_error_list(client):
    api = client.get("/api/v1/places/?q=a%00b", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["error"]["code"] == "invalid"
    open311 = client.get("/open311/v2/services/a%00.json").json()
    assert open311[0]["code"] == 400


def test_a_nul_in_a_json_or_form_body_writes_nothing(client):
    CategoryFactory(code="snow")
    response = client.post(
        "/api/v1/cases/", {"category": "snow", "title": "a\u0000b"}, content_type="application/json"
    )
    assert response.status_code == 400
    response = client.post("/open311/v2/requests.json", {"service_code": "snow\x00"})
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_nul_in_a_code_field_of_a_multipart_body(client):
    CategoryFactory(code="snow")
    response = client.post("/api/v1/cases/", {"category": "sn\x00ow", "lat": "59.3", "lon": "18"})
    assert response.status_code == 400
    assert "category" in response.json()["error"]["fields"]
