"""CSRF: whatever a logged-in browser sends with its session cookie needs the
CSRF token; clients that authenticate otherwise (an API token, Open311's
api_key) are not cookie-borne and need none."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from geocases.cases.models import Case
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

CASE = {
    "category": "snow-ice",
    "description": "Inte plogat",
    "place": {"type": "Point", "coordinates": [18.05, 59.33]},
}


@pytest.fixture
def agent_browser():
    CategoryFactory(code="snow-ice", place_kind="point")
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(role="agent"))
    return client


def csrf_token(client) -> str:
    client.get("/desk/")
    return client.cookies["csrftoken"].value


def test_a_session_post_without_the_token_is_refused_and_writes_nothing(agent_browser):
    response = agent_browser.post("/api/v1/cases/", CASE, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert not Case.objects.exists()


def test_a_session_post_with_the_token_is_taken(agent_browser):
    response = agent_browser.post(
        "/api/v1/cases/",
        CASE,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf_token(agent_browser),
    )
    assert response.status_code == 201, response.content


def test_pages_refuse_forms_without_the_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/", {"description": "x"}).status_code == 403
    assert client.post("/track/", {"number": "2026-000001", "email": "a@b.se"}).status_code == 403
    assert client.post("/login/", {"username": "a", "password": "b"}).status_code == 403
    assert not Case.objects.exists()


def test_a_token_client_needs_no_csrf_token():
    CategoryFactory(code="snow-ice", place_kind="point")
    token = Token.objects.create(user=UserFactory(role="agent")).key
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/cases/", CASE, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert response.status_code == 201, response.content


def test_the_csrf_and_session_cookies_are_not_readable_by_scripts(agent_browser):
    csrf_token(agent_browser)
    assert agent_browser.cookies["csrftoken"]["httponly"]
    user = UserFactory(role="agent", username="cookie.test")
    user.set_password("a long and good passphrase")
    user.save()
    client = Client()
    response = client.post(
        "/login/", {"username": "cookie.test", "password": "a long and good passphrase"}
    )
    assert response.status_code == 302
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
