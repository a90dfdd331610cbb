"""Oversized requests get 413 in their client's format, before they are read,
and nothing is written."""

import json

import pytest
from django.test import Client

from geocases.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, settings):
    settings.GEOCASES_MAX_REQUEST_BYTES = 64 * 1024
    body = json.dumps({"description": "x" * 70_000})

    response = client.post("/api/v1/cases/", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert "at most" in response.json()["error"]["message"]
    assert not Case.objects.exists()


def test_a_json_document_over_djangos_memory_limit_is_413_not_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"category": "x", "description": "y" * 20_000})

    response = client.post("/api/v1/cases/", body, content_type="application/json")

    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_each_refusal_names_the_limit_that_applied(client, settings):
    settings.GEOCASES_MAX_REQUEST_BYTES = 40 * 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB
    body = json.dumps({"category": "x", "description": "y" * 2_700_000})

    def message(response):
        assert response.status_code == 413
        return response.json()["error"]["message"].replace("\xa0", " ")

    read = client.post("/api/v1/cases/", body, content_type="application/json")
    assert "at most 2.5 MB besides files" in message(read)
    settings.GEOCASES_MAX_REQUEST_BYTES = 64 * 1024
    unread = client.post("/api/v1/cases/", body, content_type="application/json")
    assert "at most 64.0 KB may be sent" in message(unread)


def test_open311_gets_its_error_list(client, settings):
    settings.GEOCASES_MAX_REQUEST_BYTES = 64 * 1024
    response = client.post(
        "/open311/v2/requests.xml", {"description": "x" * 70_000, "service_code": "pothole"}
    )
    assert response.status_code == 413
    assert b"<errors><error><code>413</code>" in response.content


def test_a_page_gets_a_plain_message(client, settings):
    settings.GEOCASES_MAX_REQUEST_BYTES = 64 * 1024
    response = client.post("/", {"description": "x" * 70_000})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    assert not Case.objects.exists()


def test_a_multipart_form_over_djangos_memory_limit_is_413_before_the_csrf_check(settings):
    """A browser's form with photos: the CSRF check would read it first."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/", {"description": "y" * 20_000, "category": "x"})  # multipart
    assert response.status_code == 413
    assert not Case.objects.exists()


def test_a_form_over_djangos_memory_limit_is_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post("/track/", {"number": "x", "email": "y" * 20_000})
    assert response.status_code == 413
