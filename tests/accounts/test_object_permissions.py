"""Object permissions: asking for someone else's case by its number (IDOR)
answers as if it did not exist; a citizen cannot guess a tracking link;
what is public never holds personal data or a home's exact place."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from geocases.tracking.models import TrackingLink
from geocases.tracking.services import token_hash, tracking_link_issue, tracking_link_revoke
from tests.factories import CategoryFactory, ContractorFactory, UserFactory, case_with_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    a, b = ContractorFactory(code="contractor-a"), ContractorFactory(code="contractor-b")
    bins = CategoryFactory(
        code="bins", default_unit=a, is_public=True, concerns_home=True, place_kind="any"
    )
    case = case_with_personal_data(
        bins, channel="web", description="Per Persson, 070-123 45 67", reporter_name=""
    )
    worker_b = UserFactory(role="contractor", unit=b)
    return case, worker_b


def as_api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("get", "/api/v1/cases/{n}/", None),
        ("patch", "/api/v1/cases/{n}/", {"title": "Mine now"}),
        ("post", "/api/v1/cases/{n}/transition/", {"to": "acknowledged"}),
        ("post", "/api/v1/cases/{n}/notes/", {"text": "hello"}),
        ("get", "/api/v1/cases/{n}/history/", None),
        ("post", "/api/v1/cases/{n}/checklist/", {"item": 1, "ticked": True}),
    ],
)
def test_contractor_b_cannot_reach_contractor_as_case_by_number(setting, method, path, data):
    case, worker_b = setting
    url = path.format(n=case.number)
    response = getattr(as_api(worker_b), method)(url, data, format="json")
    nowhere = getattr(as_api(worker_b), method)(path.format(n="2099-999999"), data, format="json")
    assert response.status_code == nowhere.status_code == 404
    case.refresh_from_db()
    assert case.title != "Mine now" and case.status != "acknowledged"
    assert not case.events.filter(kind="note").exists()


def test_contractor_b_does_not_find_it_in_lists_pages_or_the_field(setting):
    case, worker_b = setting
    listed = as_api(worker_b).get("/api/v1/cases/").json()
    assert case.number not in [f["id"] for f in listed["features"]]
    page = Client()
    page.force_login(worker_b)
    assert page.get(f"/field/{case.number}/").status_code == 404


def test_a_citizen_cannot_reach_a_case_by_a_guessed_or_revoked_link(setting):
    case, _ = setting
    token = tracking_link_issue(case=case)
    assert len(token) >= 32  # 192 random bits, URL-safe
    client = Client()
    assert client.get(f"/track/{token}/").status_code == 200
    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * len(token), case.number):
        assert client.get(f"/track/{guess}/").status_code == 404
    tracking_link_revoke(link=TrackingLink.objects.get(token_hash=token_hash(token)))
    assert client.get(f"/track/{token}/").status_code == 404


def test_the_public_sees_no_person_and_no_exact_home(setting):
    case, _ = setting
    body = APIClient().get(f"/api/v1/cases/{case.number}/").json()
    assert body["geometry"]["coordinates"] == pytest.approx([18.061, 59.335])
    assert body["properties"]["address"] == ""
    text = str(body)
    assert "Per" not in text and "070" not in text and "per@example.org" not in text


@pytest.mark.parametrize("q", ["per@example.org", "0701234567", "Persson"])
def test_search_is_no_oracle_for_who_reported_what(setting, q):
    """Neither the public nor planners find a case by its reporter or its
    free text; customer service does."""
    case, _ = setting
    for client in (APIClient(), as_api(UserFactory(role="planner"))):
        found = client.get("/api/v1/cases/", {"q": q}).json()["features"]
        assert found == []
    agent_found = as_api(UserFactory(role="agent")).get("/api/v1/cases/", {"q": q}).json()
    assert [f["id"] for f in agent_found["features"]] == [case.number]


def test_planners_list_cases_without_homes_exact_places(setting):
    (feature,) = as_api(UserFactory(role="planner")).get("/api/v1/cases/").json()["features"]
    assert feature["geometry"]["coordinates"] == pytest.approx([18.061, 59.335])
    assert feature["properties"]["address"] == ""
