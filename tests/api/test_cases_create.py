"""POST /api/v1/cases/: citizens and staff register cases; they are routed at once."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from geocases.cases.models import Case
from tests.api.conftest import error_fields
from tests.factories import (
    CategoryFactory,
    ContractorFactory,
    DistrictFactory,
    ServiceAreaFactory,
    square,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


@pytest.fixture
def snow():
    category = CategoryFactory(code="snow-ice", place_kind="point")
    ServiceAreaFactory(
        unit=ContractorFactory(name="Plogbolaget AB"),
        categories=[category],
        geometry=square(18.0, 59.3, 0.1),
    )
    return category


def test_a_citizen_reports_a_point_and_it_is_routed(anonymous, snow):
    response = anonymous.post(
        URL,
        {
            "category": "snow-ice",
            "description": "Inte plogat",
            "place": {"type": "Point", "coordinates": [18.05, 59.33]},
            "reporter": {"name": "Anna", "email": "anna@example.org"},
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(number=body["id"])
    assert case.channel == "web" and case.reporter_email == "anna@example.org"
    assert case.responsible_unit.name == "Plogbolaget AB"
    assert body["properties"]["responsible_unit"] == "Plogbolaget AB"
    assert "reporter_email" not in body["properties"]  # the public receipt
    tracking = anonymous.get(body["properties"]["tracking_url"])
    assert tracking.status_code == 200 and case.number in tracking.content.decode()


def test_staff_register_with_lat_lon_and_get_everything_back(agent, snow):
    response = agent.post(
        URL,
        {"category": "snow-ice", "lat": 59.33, "lon": 18.05, "reporter": {"phone": "08-123"}},
        format="json",
    )
    assert response.status_code == 201, response.content
    properties = response.json()["properties"]
    assert properties["channel"] == "phone" and properties["reporter_phone"] == "08-123"
    assert properties["routing"]["rule"] == "point"
    assert Case.objects.get().location.equals(Point(18.05, 59.33, srid=4326))


def test_a_citizen_cannot_choose_the_channel(anonymous, snow):
    anonymous.post(
        URL, {"category": "snow-ice", "lat": 59.33, "lon": 18.05, "channel": "phone"}, format="json"
    )
    assert Case.objects.get().channel == "web"


def test_another_system_with_a_token_reports_on_the_api_channel(agent_user, snow):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=agent_user).key}")
    response = client.post(URL, {"category": "snow-ice", "lat": 59.33, "lon": 18.05}, format="json")
    assert response.status_code == 201
    assert Case.objects.get().channel == "api"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "category"),
        ({"category": "no-such"}, "category"),
        ({"category": "snow-ice", "lat": 91, "lon": 18}, "lat"),
        ({"category": "snow-ice", "lat": 59.3}, "lat"),
        (
            {"category": "snow-ice", "place": {"type": "Point", "coordinates": [500, 59]}},
            "location",
        ),
        (
            {
                "category": "snow-ice",
                "place": {"type": "LineString", "coordinates": [[18, 59], [18.1, 59]]},
            },
            "location",
        ),
        ({"category": "snow-ice", "place": "here"}, "location"),
        (
            {"category": "snow-ice", "lat": 59.3, "lon": 18, "description": "x" * 5001},
            "description",
        ),
        (
            {"category": "snow-ice", "lat": 59.3, "lon": 18, "reporter": {"email": "nope"}},
            "reporter.email",
        ),
        ({"category": "snow-ice", "lat": 59.3, "lon": 18, "priority": "asap"}, "priority"),
    ],
)
def test_bad_input_gets_a_field_message_and_writes_nothing(anonymous, snow, payload, field):
    response = anonymous.post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in error_fields(response), response.json()
    assert not Case.objects.exists()


def test_wrong_extra_field_values_are_refused(anonymous):
    category = CategoryFactory(code="bins", place_kind="point")
    category.fields.create(
        code="count", label_sv="Antal", label_en="Count", datatype="number", required=True, order=1
    )
    response = anonymous.post(
        URL,
        {"category": "bins", "lat": 59.3, "lon": 18, "extra": {"count": "many"}},
        format="json",
    )
    assert response.status_code == 400
    assert "extra.count" in error_fields(response) or "count" in str(response.json())
    assert not Case.objects.exists()


def test_a_retry_with_the_same_idempotency_key_gets_the_same_case(anonymous, snow):
    report = {
        "category": "snow-ice",
        "description": "Inte plogat",
        "place": {"type": "Point", "coordinates": [18.05, 59.33]},
    }
    first = anonymous.post(URL, report, format="json", HTTP_IDEMPOTENCY_KEY="c0ffee00-0001")
    again = anonymous.post(URL, report, format="json", HTTP_IDEMPOTENCY_KEY="c0ffee00-0001")

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert again.json()["properties"]["tracking_url"]  # the reporter can still follow it
    assert Case.objects.count() == 1
    # Another key is another case.
    assert anonymous.post(URL, report, format="json", HTTP_IDEMPOTENCY_KEY="c0ffee00-0002")
    assert Case.objects.count() == 2


def test_the_same_key_for_a_different_request_is_refused(anonymous, snow):
    report = {"category": "snow-ice", "place": {"type": "Point", "coordinates": [18.05, 59.33]}}
    anonymous.post(URL, report, format="json", HTTP_IDEMPOTENCY_KEY="c0ffee00-0003")
    other = anonymous.post(
        URL, {**report, "description": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="c0ffee00-0003"
    )
    assert other.status_code == 422
    assert error_fields(other) == {"Idempotency-Key": [other.json()["error"]["message"]]}
    assert Case.objects.count() == 1


def test_a_failed_request_does_not_use_up_its_key(anonymous, snow):
    bad = {"category": "snow-ice", "place": {"type": "Point", "coordinates": [18.05, 95]}}
    assert (
        anonymous.post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="c0ffee00-0004").status_code
        == 400
    )
    good = {"category": "snow-ice", "place": {"type": "Point", "coordinates": [18.05, 59.33]}}
    assert (
        anonymous.post(URL, good, format="json", HTTP_IDEMPOTENCY_KEY="c0ffee00-0004").status_code
        == 201
    )


def test_an_odd_key_is_refused_and_writes_nothing(anonymous, snow):
    report = {"category": "snow-ice", "place": {"type": "Point", "coordinates": [18.05, 59.33]}}
    response = anonymous.post(URL, report, format="json", HTTP_IDEMPOTENCY_KEY="no spaces")
    assert response.status_code == 400 and not Case.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_the_same_time_make_one_case(snow):
    """The second waits on the key's unique index and gets the first's case."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from rest_framework.test import APIClient

    report = {"category": "snow-ice", "place": {"type": "Point", "coordinates": [18.05, 59.33]}}

    def post(_):
        try:
            response = APIClient().post(
                URL, report, format="json", HTTP_IDEMPOTENCY_KEY="c0ffee00-0005"
            )
            return response.status_code, response.json()["id"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(post, range(4)))

    assert {status for status, _ in answers} == {201}
    assert len({number for _, number in answers}) == 1
    assert Case.objects.count() == 1


def test_the_public_may_not_report_outside_the_city_but_staff_may_register_it(
    anonymous, agent, snow
):
    DistrictFactory(geometry=MultiPolygon(Polygon.from_bbox((18.0, 59.2, 18.2, 59.4)), srid=4326))
    gothenburg = {"category": "snow-ice", "place": {"type": "Point", "coordinates": [11.97, 57.7]}}
    response = anonymous.post(URL, gothenburg, format="json")
    assert response.status_code == 400 and "place" in error_fields(response)
    assert not Case.objects.exists()
    # A caller tells an agent about it: registered, to be answered or sent on.
    assert agent.post(URL, gothenburg, format="json").status_code == 201
