"""GET /open311/v2/tokens/{token}.{json,xml}: the request a token stands for."""

import pytest

from tests.open311.factories import records

pytestmark = pytest.mark.django_db

FORMATS = ["json", "xml"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_posted_requests_token_gives_its_service_request_id(client, pothole, raw_key, fmt):
    from geocases.open311.models import Submission

    posted = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": raw_key,
            "service_code": "pothole",
            "lat": "59.3",
            "long": "18.0",
            "attribute[size]": "small",
        },
    ).json()
    submission = Submission.objects.get()

    response = client.get(f"/open311/v2/tokens/{submission.token}.{fmt}")

    assert response.status_code == 200
    [found] = records(response, fmt, root="service_requests", item="request")
    assert found == {
        "service_request_id": posted[0]["service_request_id"],
        "token": submission.token,
    }
    assert "token" not in posted[0]  # realtime: the spec returns the id, not a token


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_token_is_404(client, fmt):
    response = client.get(f"/open311/v2/tokens/nope.{fmt}")

    assert response.status_code == 404
    [error] = records(response, fmt, root="errors", item="error")
    assert str(error["code"]) == "404"
