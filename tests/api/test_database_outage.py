"""With PostgreSQL unreachable, requests fail fast with 503 and a clear
message in their client's format, and the service recovers by itself when
the database is back."""

import time

import pytest
from django.db import OperationalError, connection
from django.test import Client


@pytest.fixture
def client():
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db(transaction=True)
def test_the_database_down_is_a_fast_503_and_it_recovers(client, closed_port):
    assert client.get("/api/v1/categories/").status_code == 200
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(closed_port)
    try:
        start = time.perf_counter()
        api = client.get("/api/v1/categories/")
        page = client.get("/map/")
        open311 = client.get("/open311/v2/services.xml")
        elapsed = time.perf_counter() - start
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port

    assert api.status_code == 503 and api["Retry-After"] == "30"
    assert api.json()["error"]["code"] == "unavailable"
    assert "try again in a minute" in api.json()["error"]["message"]
    assert page.status_code == 503 and b"try again in a minute" in page.content
    assert open311.status_code == 503 and b"<errors><error><code>503</code>" in open311.content
    assert elapsed < 10  # refused at once, not after a long wait
    # Back: the next request reconnects by itself.
    assert client.get("/api/v1/categories/").status_code == 200


@pytest.mark.django_db
def test_other_server_errors_stay_500_without_details(client, monkeypatch):
    from api import categories

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(categories.CategoryListView, "get", broken)
    response = client.get("/api/v1/categories/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert b"secret internals" not in response.content


@pytest.mark.django_db
def test_a_lost_connection_in_a_view_is_503(client, monkeypatch):
    from api import categories

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(categories.CategoryListView, "get", lost)
    assert client.get("/api/v1/categories/").status_code == 503
