"""Rate limits per client address on the public endpoints: the API, Open311
and the pages, each refusing in its own format with Retry-After; staff are
never limited; a Redis outage lets requests through."""

import random

import pytest
from django.test import Client
from rest_framework.test import APIClient

from geocases.cases.models import Case
from tests.factories import CategoryFactory, UserFactory, case_in_status
from tests.open311.factories import api_key_issued, pothole_service

pytestmark = pytest.mark.django_db

# Windows of a day: a count cannot roll over in the middle of a test.
LIMITS = {"report": "2/d", "lookup": "3/d", "track": "2/d", "api_key": "2/d"}


@pytest.fixture
def limits(settings):
    settings.GEOCASES_RATE_LIMITS = dict(LIMITS)
    return settings


def fresh_address() -> str:
    """An address of this test alone, so counts in the shared Redis are fresh."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"  # noqa: S311


@pytest.fixture
def address():
    return fresh_address()


def report(client, address):
    return client.post(
        "/api/v1/cases/",
        {
            "category": "pothole-api",
            "description": "Hål",
            "place": {"type": "Point", "coordinates": [18.05, 59.33]},
        },
        format="json",
        REMOTE_ADDR=address,
    )


def test_a_citizen_over_the_report_limit_gets_429_with_retry_after_and_nothing_is_written(
    limits, address
):
    CategoryFactory(code="pothole-api", place_kind="point")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert [report(client, address).status_code for _ in range(2)] == [201, 201]

    refused = report(client, address)

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 86400
    assert Case.objects.count() == 2
    # Another address is counted on its own.
    assert report(client, fresh_address()).status_code == 201


def test_staff_are_never_limited(limits, address):
    CategoryFactory(code="pothole-api", place_kind="point")
    client = APIClient()
    client.force_authenticate(UserFactory(role="agent"))
    assert {report(client, address).status_code for _ in range(4)} == {201}


def test_public_reads_have_their_own_limit(limits, address):
    client = APIClient()
    answers = [client.get("/api/v1/categories/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    # Reading did not use up the reports.
    CategoryFactory(code="pothole-api", place_kind="point")
    assert report(client, address).status_code == 201


def test_open311_refuses_in_its_own_format(limits, address):
    pothole_service()
    raw_key = api_key_issued()[1]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    form = {"api_key": raw_key, "service_code": "pothole", "lat": "59.315", "long": "18.07"}
    form["attribute[size]"] = "large"
    statuses = [
        client.post("/open311/v2/requests.json", form, REMOTE_ADDR=address).status_code
        for _ in range(2)
    ]
    assert statuses == [200, 200]

    refused = client.post("/open311/v2/requests.xml", form, REMOTE_ADDR=address)

    assert refused.status_code == 429 and refused["Retry-After"]
    assert b"<errors><error><code>429</code>" in refused.content
    assert Case.objects.count() == 2


def test_a_partner_system_with_an_api_key_is_counted_per_key_not_per_address(limits, address):
    """A system the city gave a key posts for many people from one address."""
    pothole_service()
    limits.GEOCASES_RATE_LIMITS["api_key"] = "4/d"
    raw_key = api_key_issued()[1]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    form = {"api_key": raw_key, "service_code": "pothole", "lat": "59.315", "long": "18.07"}
    form["attribute[size]"] = "large"
    url = "/open311/v2/requests.json"
    statuses = [client.post(url, form, REMOTE_ADDR=address).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # more than the address's 2, up to the key's 4
    assert Case.objects.count() == 4
    # Another key from the same address has a count of its own; a wrong key
    # counts as the public does, and is refused for what it is.
    other = {**form, "api_key": api_key_issued()[1]}
    assert client.post(url, other, REMOTE_ADDR=address).status_code == 200
    wrong = {**form, "api_key": "not-a-key"}
    assert [client.post(url, wrong, REMOTE_ADDR=address).status_code for _ in range(3)] == [
        403,
        403,
        429,
    ]


def test_tracking_links_and_the_look_up_share_a_strict_limit(limits, address):
    """Guessing tokens, or making the service e-mail someone, is slowed down."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get("/track/not-a-real-token/", REMOTE_ADDR=address).status_code == 404
    form = {"number": "2026-000001", "email": "someone@example.org"}
    assert client.post("/track/", form, REMOTE_ADDR=address).status_code == 200

    page = client.post("/track/", form, REMOTE_ADDR=address)

    assert page.status_code == 429 and page["Retry-After"]
    assert "Too many requests" in page.content.decode()
    # The report form is another group: still open to this address.
    assert client.get("/", REMOTE_ADDR=address).status_code == 200


def test_the_page_is_in_swedish_by_default(limits, address):
    client = Client()
    for _ in range(2):
        client.post("/track/", {"number": "x", "email": "y"}, REMOTE_ADDR=address)
    page = client.post("/track/", {"number": "x", "email": "y"}, REMOTE_ADDR=address)
    assert page.status_code == 429 and "För många förfrågningar" in page.content.decode()


def test_behind_a_proxy_the_forwarded_client_is_counted(limits, address, settings):
    settings.GEOCASES_TRUSTED_PROXIES = 1
    client = Client()

    def look_up(client_address):
        return client.post(
            "/track/",
            {"number": "2026-000001", "email": "someone@example.org"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_address}",
        ).status_code

    assert [look_up(address) for _ in range(3)] == [200, 200, 429]
    assert look_up(fresh_address()) == 200  # another client behind the same proxy


def test_following_a_case_by_its_number_is_limited(limits, address):
    """Each follow makes a tracking link, and answers whether the number exists."""
    case = case_in_status("new")
    case.category.is_public = True
    case.category.save()
    client = Client()
    answers = [
        client.post(f"/follow/{case.number}/", REMOTE_ADDR=address).status_code for _ in range(3)
    ]
    assert answers == [302, 302, 429]


def test_log_in_attempts_are_limited_per_address_whatever_the_user_name(limits, address):
    limits.GEOCASES_RATE_LIMITS["login"] = "2/d"
    client = Client()
    for url in ("/login/", "/admin/login/"):
        answers = [
            client.post(
                url, {"username": f"user{n}", "password": "x"}, REMOTE_ADDR=address
            ).status_code
            for n in range(3)
        ]
        assert answers[-1] == 429
        address = fresh_address()


def test_the_routing_preview_is_a_read_not_a_report(limits, address):
    CategoryFactory(code="pothole-api", place_kind="point")
    client = APIClient()
    for _ in range(3):
        client.post(
            "/api/v1/routing/preview/",
            {"category": "pothole-api", "place": {"type": "Point", "coordinates": [18.05, 59.3]}},
            format="json",
            REMOTE_ADDR=address,
        )
    assert report(client, address).status_code == 201


def test_with_redis_unreachable_requests_go_through(limits, address, settings, closed_port):
    settings.CACHES = {
        "default": {
            "BACKEND": "geocases.core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/1",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    CategoryFactory(code="pothole-api", place_kind="point")
    client = APIClient()
    assert {report(client, address).status_code for _ in range(3)} == {201}


def test_rate_limits_can_be_turned_off(settings, address):
    settings.GEOCASES_RATE_LIMITS = {}
    client = APIClient()
    assert {
        client.get("/api/v1/categories/", REMOTE_ADDR=address).status_code for _ in range(5)
    } == {200}
