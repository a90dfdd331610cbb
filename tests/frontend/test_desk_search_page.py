"""/desk/search/: customer service finds a case while the caller waits."""

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from geocases.cases.models import Case
from geocases.cases.numbers import case_number_as_written
from tests.factories import CategoryFactory, UserFactory, case_in_status

pytestmark = pytest.mark.django_db


def found(client, **query) -> str:
    response = client.get("/desk/search/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_number_as_read_out_finds_its_case(client, agent):
    case = case_in_status("assigned")
    serial = int(case.number.split("-")[1])
    for spoken in (case.number, f"{case.number[:4]}-{serial}", str(serial)):
        assert f'href="/desk/cases/{case.number}/"' in found(client, q=spoken), spoken


def test_e_mail_phone_words_category_status_and_place(client, agent):
    snow = CategoryFactory(code="snow")
    anna = case_in_status(
        "assigned",
        category=snow,
        reporter_email="Anna@Example.org",
        reporter_phone="070-123 45 67",
        description="Halt vid busshållplatsen",
        location=Point(18.05, 59.35, srid=4326),
    )
    other = case_in_status("parked", location=Point(18.2, 59.2, srid=4326))
    link = f'href="/desk/cases/{anna.number}/"'
    assert link in found(client, q="anna@example.org")
    assert link in found(client, q="0701234567")
    assert link in found(client, q="busshållplatsen")
    assert link in found(client, category="snow")
    page = found(client, status="parked")
    assert other.number in page and anna.number not in page


def test_cases_near_an_address(client, agent):
    from django.conf import settings

    from geocases.geocoding.services import addresses_load

    addresses_load(
        path=settings.BASE_DIR / "fixtures/stockholm/stockholm_central_addresses_osm.csv"
    )
    near = case_in_status("assigned", location=Point(18.0712, 59.3366, srid=4326))
    far = case_in_status("assigned", location=Point(18.2, 59.2, srid=4326))
    page = found(client, near="Birger Jarlsgatan 23", meters=300)
    assert near.number in page and far.number not in page


def test_nothing_asked_lists_nothing_and_a_place_not_found_is_said(client, agent):
    case_in_status("assigned")
    page = found(client)
    assert "Inget ärende matchar" not in page and "<table" not in page
    page = found(client, near="Ingenstansgatan 99")
    assert "Vi hittade inte ”Ingenstansgatan 99”." in page and "<table" not in page


def test_a_contractor_may_not_search_here(client):
    client.force_login(UserFactory(role="contractor"))
    assert client.get("/desk/search/", {"q": "x"}).status_code == 403


def test_the_number_as_written_out():
    this_year = timezone.localdate().year
    assert case_number_as_written("2026-735") == "2026-000735"
    assert case_number_as_written(" 2026 000735 ") == "2026-000735"
    assert case_number_as_written("735") == f"{this_year}-000735"
    assert case_number_as_written("0") is None
    assert case_number_as_written("070-123 45 67") is None
    assert case_number_as_written("snö") is None
    assert Case.objects.count() == 0  # nothing written by a look-up


def test_looking_up_a_persons_cases_by_e_mail_or_phone_is_audited(client, agent):
    from geocases.audit.models import AuditEntry

    case = case_in_status(
        "assigned", reporter_email="anna@example.org", reporter_phone="0701234567"
    )
    found(client, q="anna@example.org")
    found(client, q="070-123 45 67")
    found(client, q="snö")  # words: nothing personal asked
    entries = AuditEntry.objects.filter(action="cases_searched").order_by("at")
    assert [entry.detail for entry in entries] == [
        {"searched": "a***@example.org", "found": [case.number]},
        {"searched": "…67", "found": [case.number]},
    ]
    assert all(entry.actor == agent for entry in entries)
