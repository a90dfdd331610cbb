"""GET and PATCH /api/v1/cases/<number>/."""

import pytest
from django.contrib.gis.geos import Point

from geocases.cases.models import Case
from tests.api.conftest import error_fields
from tests.factories import CategoryFactory, case_in_status

pytestmark = pytest.mark.django_db


def url(case) -> str:
    return f"/api/v1/cases/{case.number}/"


def test_staff_read_everything_including_the_reporter(agent):
    case = case_in_status("new", reporter_email="anna@example.org", description="Halt")
    body = agent.get(url(case)).json()
    assert body["id"] == case.number
    assert body["properties"]["reporter_email"] == "anna@example.org"
    assert body["properties"]["description"] == "Halt"
    assert body["properties"]["routing"]["rule"] == "no_place"


def test_anyone_reads_a_public_case_without_personal_data(anonymous):
    case = case_in_status(
        "new",
        reporter_email="anna@example.org",
        reporter_phone="070-1234567",
        description="Ring Anna",
        location=Point(18.07, 59.33, srid=4326),
    )
    response = anonymous.get(url(case))
    assert response.status_code == 200
    text = response.content.decode()
    assert "anna@example.org" not in text and "070-1234567" not in text and "Ring" not in text
    assert response.json()["geometry"]["coordinates"] == [18.07, 59.33]


def test_private_cases_and_unknown_numbers_are_not_found(anonymous, agent):
    private = case_in_status("new", category=CategoryFactory(is_public=False, place_kind="none"))
    assert anonymous.get(url(private)).status_code == 404
    response = agent.get("/api/v1/cases/2026-999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_staff_change_fields_with_history(agent):
    case = case_in_status("assigned", title="Halt")
    response = agent.patch(url(case), {"title": "Mycket halt", "priority": "high"}, format="json")
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert (case.title, case.priority) == ("Mycket halt", "high")
    assert case.events.filter(kind="field", field="title").exists()


def test_changing_the_place_routes_the_case_again(agent):
    case = case_in_status("new", location=Point(18.0, 59.3, srid=4326))
    response = agent.patch(
        url(case), {"place": {"type": "Point", "coordinates": [18.1, 59.35]}}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Case.objects.get(pk=case.pk).location.coords == (18.1, 59.35)


def test_bad_changes_write_nothing(agent):
    case = case_in_status("assigned", title="Halt")
    response = agent.patch(
        url(case),
        {"title": "Ny", "place": {"type": "Point", "coordinates": [18, 100]}},
        format="json",
    )
    assert response.status_code == 400
    assert "location" in error_fields(response)
    assert Case.objects.get(pk=case.pk).title == "Halt"


def test_citizens_cannot_change_cases(anonymous):
    case = case_in_status("new")
    response = anonymous.patch(url(case), {"title": "x"}, format="json")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"error"}
