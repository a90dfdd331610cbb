"""GET /open311/v2/requests/{service_request_id}.{json,xml}: one request."""

import pytest

from geocases.categories.models import PlaceKind
from tests.factories import CategoryFactory
from tests.open311.factories import REQUEST_FIELDS, records, reported_case

pytestmark = pytest.mark.django_db

FORMATS = ["json", "xml"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_is_a_list_of_one_in_the_spec_shape(client, pothole, fmt):
    case = reported_case(pothole)
    reported_case(pothole)

    response = client.get(f"/open311/v2/requests/{case.number}.{fmt}")

    assert response.status_code == 200
    [found] = records(response, fmt, root="service_requests", item="request")
    assert list(found) == REQUEST_FIELDS
    assert found["service_request_id"] == case.number


def test_extensions_apply_to_one_request_too(client, pothole):
    case = reported_case(pothole)

    [found] = client.get(f"/open311/v2/requests/{case.number}.json?extensions=true").json()

    assert found["extended_attributes"]["detailed_status"] == case.status


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_request_is_404_in_the_spec_error_format(client, fmt):
    response = client.get(f"/open311/v2/requests/2026-999999.{fmt}")

    assert response.status_code == 404
    [error] = records(response, fmt, root="errors", item="error")
    assert str(error["code"]) == "404"
    assert "2026-999999" in error["description"]


def test_a_case_of_a_private_category_does_not_exist_for_open311(client):
    invoice = CategoryFactory(code="invoice", is_public=False, place_kind=PlaceKind.NONE)
    case = reported_case(invoice, location=None)

    assert client.get(f"/open311/v2/requests/{case.number}.json").status_code == 404
