"""POST transition, notes and attachments; GET history."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from geocases.cases.models import Case
from tests.api.conftest import error_fields
from tests.cases.test_case_attachment_add import GPS_IFD, jpeg_with_gps
from tests.factories import case_in_status

pytestmark = pytest.mark.django_db


def url(case, action: str) -> str:
    return f"/api/v1/cases/{case.number}/{action}/"


def test_a_transition_moves_the_case_and_returns_it(agent):
    case = case_in_status("new")
    response = agent.post(
        url(case, "transition"),
        {"to": "closed", "resolution": "Klart vid första kontakt"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["properties"]["status"] == "closed"
    assert Case.objects.get(pk=case.pk).status == "closed"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"to": "teleported"}, "to"),
        ({"to": "parked"}, ""),
        ({"to": "parked", "follow_up_date": "someday"}, "follow_up_date"),
    ],
)
def test_a_transition_the_table_does_not_allow_writes_nothing(agent, payload, field):
    case = case_in_status("new")
    response = agent.post(url(case, "transition"), payload, format="json")
    assert response.status_code == 400, response.content
    fields = error_fields(response)
    if field:
        assert field in fields
    assert Case.objects.get(pk=case.pk).status == "new"
    assert not case.events.filter(kind="status").exists()


def test_notes_are_internal_or_public(agent):
    case = case_in_status("assigned")
    note = agent.post(url(case, "notes"), {"text": "Ring tillbaka"}, format="json")
    update = agent.post(
        url(case, "notes"), {"text": "Vi åtgärdar i dag", "public": True}, format="json"
    )
    assert note.status_code == update.status_code == 201
    assert note.json()["kind"] == "note" and update.json()["kind"] == "public_update"
    empty = agent.post(url(case, "notes"), {"text": "  "}, format="json")
    assert empty.status_code == 400 and "text" in error_fields(empty)


def test_a_photo_is_stored_without_its_gps_position(agent):
    case = case_in_status("assigned")
    upload = SimpleUploadedFile("snow.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = agent.post(url(case, "attachments"), {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    stored = case.attachments.get()
    image = Image.open(io.BytesIO(stored.image.read()))
    assert not image.getexif().get_ifd(GPS_IFD)


def test_a_file_that_is_not_a_photo_is_refused(agent):
    case = case_in_status("assigned")
    upload = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = agent.post(url(case, "attachments"), {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert not case.attachments.exists()


def test_the_history_lists_every_event_for_staff_only(agent, anonymous):
    case = case_in_status("assigned")
    agent.post(url(case, "notes"), {"text": "Intern"}, format="json")
    events = agent.get(url(case, "history")).json()
    assert [event["kind"] for event in events][-1] == "note"
    assert anonymous.get(url(case, "history")).status_code in (401, 403)


@pytest.mark.parametrize("action", ["transition", "notes", "attachments"])
def test_citizens_cannot_act_on_cases(anonymous, action):
    case = case_in_status("new")
    assert anonymous.post(url(case, action), {}, format="json").status_code in (401, 403)


def test_an_oversized_photo_is_refused_and_nothing_is_stored(agent, settings):
    settings.GEOCASES_MAX_ATTACHMENT_BYTES = 10_000
    case = case_in_status("assigned")
    upload = SimpleUploadedFile("big.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = agent.post(url(case, "attachments"), {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "MB" in response.json()["error"]["message"]
    assert not case.attachments.exists()
