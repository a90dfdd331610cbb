"""/field/: a contractor works their organisation's cases, and only those."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from geocases.cases.models import Case
from tests.cases.test_case_attachment_add import jpeg_with_gps
from tests.factories import ContractorFactory, UserFactory, case_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def contractor(client):
    user = UserFactory(role="contractor", unit=ContractorFactory(name="Plogbolaget AB"))
    client.force_login(user)
    return user


def case_for(unit, status="assigned", **fields):
    case = case_in_status(status)
    Case.objects.filter(pk=case.pk).update(responsible_unit=unit, **fields)
    case.refresh_from_db()
    return case


def test_the_list_shows_our_cases_overdue_first_and_never_another_contractors(client, contractor):
    ours = case_for(contractor.unit, resolve_by=timezone.now() + dt.timedelta(days=2))
    late = case_for(contractor.unit, resolve_by=timezone.now() - dt.timedelta(hours=1))
    theirs = case_for(ContractorFactory())
    page = client.get("/field/").content.decode()
    assert page.index(late.number) < page.index(ours.number)
    assert "overdue" in page and theirs.number not in page
    assert client.get(f"/field/{theirs.number}/").status_code == 404


def test_acknowledge_feedback_and_resolve_with_a_photo(client, contractor):
    case = case_for(contractor.unit)
    url = f"/field/{case.number}/"
    assert client.post(url, {"action": "acknowledge"}).status_code == 302
    client.post(url, {"action": "feedback", "message": "Vi plogar i kväll"})
    photo = SimpleUploadedFile("klart.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client.post(url, {"action": "resolve", "resolution": "Plogat", "photo": photo})
    case.refresh_from_db()
    assert case.status == "resolved" and case.resolution == "Plogat"
    assert case.attachments.count() == 1
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count("status") >= 3 and "attachment" in kinds


def test_the_case_card_opens_the_place_in_the_phones_maps_app(client, contractor):
    from django.contrib.gis.geos import Point

    case = case_for(contractor.unit, location=Point(18.0649, 59.3326, srid=4326))
    page = client.get(f"/field/{case.number}/").content.decode()
    assert 'href="geo:59.332600,18.064900"' in page


def test_a_refused_photo_leaves_the_case_unresolved(client, contractor):
    case = case_for(contractor.unit, status="feedback_given")
    bad = SimpleUploadedFile("x.jpg", b"not a photo", content_type="image/jpeg")
    page = client.post(
        f"/field/{case.number}/", {"action": "resolve", "resolution": "Klart", "photo": bad}
    ).content.decode()
    assert 'role="alert"' in page
    assert Case.objects.get(pk=case.pk).status == "feedback_given"


def test_an_empty_resolution_is_said_in_words(client, contractor):
    case = case_for(contractor.unit, status="feedback_given")
    page = client.post(f"/field/{case.number}/", {"action": "resolve", "resolution": ""})
    assert 'class="errorlist' in page.content.decode()
    assert Case.objects.get(pk=case.pk).status == "feedback_given"


def test_agents_and_citizens_are_kept_out(client):
    assert client.get("/field/").status_code == 302  # to the log-in
    client.force_login(UserFactory(role="agent"))
    assert client.get("/field/").status_code == 403


def test_log_in_takes_a_contractor_to_the_field_view(client):
    UserFactory(username="plog", role="contractor", unit=ContractorFactory())
    response = client.post("/login/", {"username": "plog", "password": "secret-password"})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/field/"


def test_an_action_sent_twice_with_its_key_is_done_once(client, contractor):
    case = case_for(contractor.unit)
    note = {"action": "note", "text": "På väg", "idempotency_key": "k-0123456789"}
    client.post(f"/field/{case.number}/", note)
    client.post(f"/field/{case.number}/", note)
    assert case.events.filter(kind="note").count() == 1
    client.post(f"/field/{case.number}/", {**note, "idempotency_key": "k-9876543210"})
    assert case.events.filter(kind="note").count() == 2


def test_a_resolved_case_leaves_the_list_and_the_contractor_is_told(client, contractor):
    case = case_for(contractor.unit, status="feedback_given")
    resolve = {"action": "resolve", "resolution": "Plogat", "idempotency_key": "k-resolve-01"}
    response = client.post(f"/field/{case.number}/", resolve, follow=True)
    assert response.redirect_chain[-1] == ("/field/", 302)
    assert (
        f"{case.number} är sparat och finns inte längre i din lista." in response.content.decode()
    )
    # The same tap again (the first answer was slow): done once, no 404.
    again = client.post(f"/field/{case.number}/", resolve)
    assert (again.status_code, again["Location"]) == (302, "/field/")
    assert case.events.filter(kind="status", new_value="resolved").count() == 1


QUEUE = {"HTTP_X_FIELD_QUEUE": "1", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_phones_queue_is_answered_done_or_refused_with_the_reason(client, contractor):
    case = case_for(contractor.unit, status="feedback_given")
    url = f"/field/{case.number}/"
    note = {"action": "note", "text": "På väg", "idempotency_key": "k-queued-note"}
    done = client.post(url, note, **QUEUE)
    assert (done.status_code, done.json()) == (200, {"state": "done"})

    empty = client.post(
        url, {"action": "resolve", "resolution": "", "idempotency_key": "k-empty"}, **QUEUE
    )
    assert empty.status_code == 409
    assert empty.json() == {
        "state": "refused",
        "message": "This field is required.",
        "listed": True,
    }
    assert Case.objects.get(pk=case.pk).status == "feedback_given"

    resolve = {"action": "resolve", "resolution": "Klart", "idempotency_key": "k-queued-resolve"}
    assert client.post(url, resolve, **QUEUE).json() == {"state": "done"}
    # Sent again after the case left the list (its answer was lost): done, once.
    again = client.post(url, resolve, **QUEUE)
    assert (again.status_code, again.json()) == (200, {"state": "done"})
    assert case.events.filter(kind="status", new_value="resolved").count() == 1
    # A new action on it is refused, saying why, and the rest of the queue can go on.
    late = client.post(url, {**note, "idempotency_key": "k-late-note"}, **QUEUE)
    assert late.status_code == 409
    assert late.json()["message"] == "This case is no longer among your organisation's open cases."
    assert late.json()["listed"] is False  # the phone offers no link to it
    assert case.events.filter(kind="note").count() == 1


def test_the_phones_queue_is_refused_in_swedish_for_a_swedish_phone(client, contractor):
    case = case_for(contractor.unit, status="resolved")
    answer = client.post(
        f"/field/{case.number}/",
        {"action": "note", "text": "x", "idempotency_key": "k-sv-note-1"},
        **{**QUEUE, "HTTP_ACCEPT_LANGUAGE": "sv"},
    )
    assert (
        answer.json()["message"]
        == "Ärendet finns inte längre bland din organisations öppna ärenden."
    )


def test_the_service_worker_and_manifest_are_served_under_field(client, contractor):
    worker = client.get("/field/sw.js")
    assert worker["Content-Type"].startswith("application/javascript")
    assert "caches.open" in worker.content.decode()
    manifest = client.get("/field/manifest.webmanifest").json()
    assert manifest["start_url"] == "/field/" and manifest["display"] == "standalone"
