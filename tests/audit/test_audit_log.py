"""The audit log: who opened which case's personal data, when and where;
append-only in the database; read by administrators only."""

import pytest
from django.contrib.gis.geos import Point
from django.db import DatabaseError, transaction
from django.test import Client
from rest_framework.test import APIClient

from geocases.audit.models import AuditAction, AuditEntry
from geocases.audit.services import audit_record
from tests.factories import CategoryFactory, ContractorFactory, UserFactory, case_with_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    contractor = ContractorFactory(code="contractor-a")
    category = CategoryFactory(code="thing", default_unit=contractor, place_kind="any")
    return case_with_personal_data(
        category, location=Point(18.06, 59.33, srid=4326), address="", reporter_email=""
    )


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_as(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_agent_opening_a_case_is_logged_with_who_which_and_where(case):
    agent = UserFactory(role="agent", first_name="Anna", last_name="Agent")
    assert api_as(agent).get(f"/api/v1/cases/{case.number}/").status_code == 200
    (entry,) = AuditEntry.objects.all()
    assert (entry.actor, entry.actor_name, entry.action) == (agent, "Anna Agent", "case_viewed")
    assert (entry.case, entry.case_number) == (case, case.number)
    assert entry.via == f"api GET /api/v1/cases/{case.number}/"


@pytest.mark.parametrize(
    "path, via",
    [
        ("/desk/cases/{number}/", "desk case page"),
        ("/api/v1/cases/{number}/history/", "api GET /api/v1/cases/{number}/history/"),
    ],
)
def test_every_way_to_the_personal_data_is_logged(case, path, via):
    handler = UserFactory(role="handler")
    client = page_as(handler) if path.startswith("/desk") else api_as(handler)
    assert client.get(path.format(number=case.number)).status_code == 200
    assert AuditEntry.objects.get().via == via.format(number=case.number)


def test_a_contractor_opening_their_case_in_the_field_is_logged(case):
    worker = UserFactory(role="contractor", unit=case.responsible_unit)
    assert page_as(worker).get(f"/field/{case.number}/").status_code == 200
    assert AuditEntry.objects.get().via == "field case page"


def test_opening_in_the_administration_is_logged(case):
    admin = UserFactory(role="administrator", is_superuser=True, is_staff=True)
    assert page_as(admin).get(f"/admin/cases/case/{case.pk}/change/").status_code == 200
    assert AuditEntry.objects.get().via == "administration"


def test_lists_aggregates_and_anonymised_views_are_not_personal_data(case):
    planner = UserFactory(role="planner")
    body = api_as(planner).get(f"/api/v1/cases/{case.number}/").json()
    assert "description" not in body["properties"] and "reporter_name" not in body["properties"]
    api_as(UserFactory(role="agent")).get("/api/v1/cases/")
    api_as(UserFactory(role="agent")).post(
        "/api/v1/cases/", {"category": "thing", "description": "Ny"}, format="json"
    )
    assert not AuditEntry.objects.exists()


def test_a_contractor_sees_the_work_but_not_the_reporters_contact_details(case):
    worker = UserFactory(role="contractor", unit=case.responsible_unit)
    body = api_as(worker).get(f"/api/v1/cases/{case.number}/").json()["properties"]
    assert body["description"] == "Ring Per på 070-123 45 67"
    assert not {"reporter_name", "reporter_email", "reporter_phone"} & set(body)
    assert AuditEntry.objects.get().actor == worker


def test_the_log_cannot_be_changed_or_deleted(case):
    entry = audit_record(actor=None, action=AuditAction.RETENTION_RUN, detail={"cases": 1})
    assert entry.actor_name == "system"
    for attempt in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(actor_name="someone else"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "system"


def test_only_administrators_read_it_and_no_one_edits_it_there(case):
    audit_record(actor=None, action=AuditAction.RETENTION_RUN)
    entry = AuditEntry.objects.get()
    admin = page_as(UserFactory(role="administrator", is_superuser=True, is_staff=True))
    assert admin.get("/admin/audit/auditentry/").status_code == 200
    assert admin.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert admin.get("/admin/audit/auditentry/add/").status_code == 403
    assert (
        admin.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    handler = page_as(UserFactory(role="handler", is_staff=True))
    assert handler.get("/admin/audit/auditentry/").status_code == 302  # to the admin's log-in
