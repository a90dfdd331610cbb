"""The data-subject request page in the administration: an erasure is shown
case by case and carried out only when confirmed, for the cases ticked."""

import re

import pytest
import time_machine
from django.test import Client

from geocases.audit.models import AuditEntry
from geocases.cases.models import Case
from geocases.privacy.models import DataSubjectRequest
from tests.privacy.conftest import NOW

pytestmark = pytest.mark.django_db

ADD = "/admin/privacy/datasubjectrequest/add/"


@pytest.fixture
def cases(make_case, invoices):
    """Per's cases, and Olle's, who once gave the same phone number."""
    with time_machine.travel(NOW, tick=False):
        found = {
            "closed": make_case(invoices, closed_days_ago=3),
            "open": make_case(invoices, status="assigned"),
            "held": make_case(invoices, closed_days_ago=3, hold="Tvist om faktura 2026-4"),
            "olle": make_case(invoices, closed_days_ago=3, email="olle@example.org"),
        }
    Case.objects.filter(pk=found["olle"].pk).update(reporter_name="Olle Park")
    return found


@pytest.fixture
def officer(administrator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(administrator)
    return client


def erasure(**changes):
    return {"kind": "erasure", "email": "per@example.org", "phone": "070-123 45 67", **changes}


def ticked(response) -> dict[str, bool]:
    """Each case offered for erasure: whether its box is ticked."""
    box = r'<input type="checkbox" name="erase" value="([^"]+)"([^>]*)>'
    boxes = re.findall(box, response.text)
    return {number: " checked" in rest for number, rest in boxes}


def test_an_erasure_lists_the_cases_and_erases_nothing_until_confirmed(cases, officer):
    response = officer.post(ADD, erasure(note="Brev 1 juni"))

    assert response.status_code == 200
    page = response.text
    for case in cases.values():
        assert case.number in page
    assert "Per Persson" in page and "Olle Park" in page
    assert cases["closed"].category.name in page
    assert f"{NOW:%Y-%m-%d}" in page  # registered
    assert "kept: Tvist om faktura 2026-4" in page
    assert "still being handled" in page
    assert 'value="Brev 1 juni"' in page  # the request goes on to the confirmation
    assert ticked(response) == {cases["closed"].number: True, cases["olle"].number: False}
    assert DataSubjectRequest.objects.count() == 0
    assert not AuditEntry.objects.filter(action="subject_erased").exists()
    assert Case.objects.filter(anonymised_at__isnull=False).count() == 0
    # Whose cases these are was shown: opening them is in the audit log.
    assert AuditEntry.objects.filter(action="case_viewed", via="data-subject request").count() == 4


def test_a_case_found_by_the_phone_alone_under_another_address_is_pointed_out(cases, officer):
    response = officer.post(ADD, erasure())

    assert "Found by the phone number alone; its reporter gave another e-mail" in response.text
    assert "olle@example.org" in response.text


def test_a_phone_only_request_points_out_cases_naming_other_reporters(cases, officer):
    response = officer.post(ADD, erasure(email=""))

    assert "the cases found name different reporters" in response.text
    assert ticked(response) == {cases["closed"].number: False, cases["olle"].number: False}


def test_confirming_erases_the_ticked_cases_and_keeps_those_left_out(cases, officer):
    response = officer.post(ADD, erasure(confirm="1", erase=[cases["closed"].number]))

    assert response.status_code == 302
    for case in cases.values():
        case.refresh_from_db()
    assert cases["closed"].anonymised_at is not None
    assert cases["olle"].anonymised_at is None
    assert cases["olle"].reporter_name == "Olle Park"
    result = DataSubjectRequest.objects.get().result
    assert result["erased"] == [cases["closed"].number]
    assert result["kept"][cases["olle"].number] == "left out when the erasure was confirmed"


def test_a_case_not_shown_before_the_confirmation_is_not_erased(
    cases, officer, make_case, invoices
):
    officer.post(ADD, erasure())
    later = make_case(invoices, closed_days_ago=1)

    officer.post(ADD, erasure(confirm="1", erase=[cases["closed"].number]))

    later.refresh_from_db()
    assert later.anonymised_at is None


def test_an_export_runs_at_once(cases, officer):
    response = officer.post(ADD, {"kind": "access", "email": "per@example.org", "phone": ""})

    assert response["Content-Type"] == "application/zip"
    assert DataSubjectRequest.objects.get().kind == "access"
