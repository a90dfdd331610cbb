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


# Deadlines: the field view calls a case overdue exactly as the follow-up does.

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def deadlines(**offsets):
    """Deadlines ``offsets`` hours from now, the clocks met where ``…_at`` is given."""
    now = timezone.now()
    return {name: now + dt.timedelta(hours=hours) for name, hours in offsets.items()}


def row_of(page: str, number: str) -> str:
    start = page.index(f"<strong>{number}</strong>")
    return page[start : page.index("</li>", start)]


def test_a_case_late_on_acknowledgement_is_overdue_in_the_list_with_its_next_deadline(
    client, contractor
):
    from geocases.cases.models import Case as CaseModel

    late = case_for(
        contractor.unit, **deadlines(acknowledge_by=-48, feedback_by=-1, resolve_by=24 * 14)
    )
    ahead = case_for(contractor.unit, **deadlines(acknowledge_by=2, feedback_by=5, resolve_by=24))
    assert CaseModel.objects.overdue(timezone.now()).filter(pk=late.pk).exists()  # the follow-up's

    page = client.get("/field/", **EN).content.decode()

    assert page.index(late.number) < page.index(ahead.number)
    assert 'class="field-item overdue"' in page.split(f"<strong>{late.number}</strong>")[0][-400:]
    assert "Overdue:</strong> Acknowledge by" in row_of(page, late.number)
    row = row_of(page, ahead.number)
    assert "Overdue" not in row and "Acknowledge by" in row and "Resolve by" not in row


def test_the_card_shows_each_deadline_not_yet_met_and_which_have_passed(client, contractor):
    case = case_for(
        contractor.unit,
        status="acknowledged",
        acknowledged_at=timezone.now() - dt.timedelta(days=3),
        **deadlines(acknowledge_by=-80, feedback_by=-2, resolve_by=48),
    )
    page = client.get(f"/field/{case.number}/", **EN).content.decode()
    facts = page[page.index('<dl class="facts">') : page.index("</dl>")]
    assert "Acknowledge by" not in facts  # met
    assert '<dt>Give feedback by</dt><dd class="overdue">' in facts
    assert "<dt>Resolve by</dt><dd>" in facts
    assert facts.count("(overdue)") == 1


def test_one_passed_deadline_is_overdue_in_the_singular_in_swedish(client, contractor):
    case = case_for(contractor.unit, **deadlines(acknowledge_by=-2, resolve_by=-1))
    page = client.get(f"/field/{case.number}/").content.decode()
    # A context of its own: "försenade" is the plural of the filter label.
    assert page.count('class="overdue"') == 2 and "(försenade)" not in page


# Cases the contractor cannot act on say what they wait for, and offer no button.


@pytest.mark.parametrize(
    ("status", "waits_for"),
    [
        ("new", "Not yet handed over by customer service"),
        ("reopened", "Reopened: customer service will hand it on again"),
        ("parked", "Parked by customer service until 1 January 2099."),
    ],
)
def test_a_case_waiting_for_customer_service_says_so_and_offers_no_action(
    client, contractor, status, waits_for
):
    case = case_for(contractor.unit, status=status)
    card = client.get(f"/field/{case.number}/", **EN).content.decode()
    assert waits_for in card
    for action in ("acknowledge", "feedback", "resolve"):
        assert f'name="action" value="{action}"' not in card
    assert 'name="action" value="note"' in card  # a note can still be added
    assert waits_for in row_of(client.get("/field/", **EN).content.decode(), case.number)


def test_a_reopened_case_refuses_acknowledgement_naming_nothing_the_contractor_cannot_do(
    client, contractor
):
    case = case_for(contractor.unit, status="reopened")
    page = client.post(f"/field/{case.number}/", {"action": "acknowledge"}, **EN)
    error = page.content.decode()
    assert "your role cannot change it now" in error and "it can become" not in error
    assert Case.objects.get(pk=case.pk).status == "reopened"


# An action on a case that left the list meanwhile.


def test_a_resolution_for_a_case_resolved_meanwhile_goes_to_the_list_keeping_the_text(
    client, contractor
):
    case = case_for(contractor.unit, status="resolved")
    response = client.post(
        f"/field/{case.number}/",
        {"action": "resolve", "resolution": "Löst av B\nmed sand", "idempotency_key": "k-stale-1"},
        follow=True,
        **EN,
    )
    assert response.redirect_chain[-1] == ("/field/", 302)
    page = response.content.decode()
    assert f"Case {case.number} was changed meanwhile: it is now “Resolved”" in page
    assert "<blockquote>Löst av B<br>med sand</blockquote>" in page
    assert not case.events.filter(kind="status", new_value="resolved").exists()


def test_a_note_for_another_organisations_case_still_tells_nothing(client, contractor):
    theirs = case_for(ContractorFactory(), status="resolved")
    response = client.post(f"/field/{theirs.number}/", {"action": "note", "text": "Hej"}, **EN)
    assert response.status_code == 404
    assert theirs.number not in response.content.decode()
    assert not theirs.events.filter(kind="note").exists()


# Feedback to a citizen without an e-mail address.


def test_the_feedback_form_says_whether_an_email_goes_out_without_showing_the_address(
    client, contractor
):
    anonymous = case_for(contractor.unit, status="acknowledged", reporter_email="")
    known = case_for(contractor.unit, status="acknowledged", reporter_email="per@example.org")
    page = client.get(f"/field/{anonymous.number}/", **EN).content.decode()
    assert "No e-mail will go out" in page and "tracking page" in page
    page = client.get(f"/field/{known.number}/", **EN).content.decode()
    assert "No e-mail will go out" not in page and "by e-mail" in page
    assert "per@example.org" not in page


# The contractor's photos: public only when ticked; with a note too.


def open311_media(client, case) -> str | None:
    [record] = client.get(f"/open311/v2/requests/{case.number}.json").json()
    return record["media_url"]


def test_a_resolution_photo_is_kept_from_the_public_unless_ticked(
    client, contractor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    private, public = (
        case_for(contractor.unit, status="feedback_given"),
        case_for(contractor.unit, status="feedback_given"),
    )
    for case, ticked in ((private, {}), (public, {"photo_public": "on"})):
        photo = SimpleUploadedFile("klart.jpg", jpeg_with_gps(), content_type="image/jpeg")
        client.post(
            f"/field/{case.number}/",
            {"action": "resolve", "resolution": "Plogat", "photo": photo, **ticked},
        )
    assert private.attachments.get().is_public is False
    assert public.attachments.get().is_public is True
    client.logout()
    assert open311_media(client, private) is None
    assert open311_media(client, public).startswith("http://testserver/media/cases/")


def test_a_photo_can_come_with_a_note_and_the_phone_offers_its_camera(
    client, contractor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = case_for(contractor.unit)
    card = client.get(f"/field/{case.number}/", **EN).content.decode()
    assert card.count('accept="image/*"') == 2  # the note's and the (hidden) resolution's
    assert card.count("The citizen may see the photo") == 2
    assert 'type="checkbox" name="photo_public"' in card and "checked" not in card
    photo = SimpleUploadedFile("hinder.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client.post(f"/field/{case.number}/", {"action": "note", "text": "Bil i vägen", "photo": photo})
    assert case.events.filter(kind="note", text="Bil i vägen").exists()
    assert case.attachments.get().is_public is False


def test_a_note_with_a_refused_photo_writes_nothing(client, contractor):
    case = case_for(contractor.unit)
    bad = SimpleUploadedFile("x.jpg", b"not a photo", content_type="image/jpeg")
    page = client.post(
        f"/field/{case.number}/", {"action": "note", "text": "Hinder", "photo": bad}, **EN
    ).content.decode()
    assert 'role="alert"' in page and "Hinder" in page
    assert not case.events.filter(kind="note").exists() and not case.attachments.exists()


def test_field_pages_say_whose_they_are_for_the_phones_cache(client, contractor):
    case = case_for(contractor.unit)
    for url in ("/field/", f"/field/{case.number}/"):
        response = client.get(url)
        assert response["X-Field-User"] == str(contractor.pk)
        assert f'data-field-user="{contractor.pk}"' in response.content.decode()
