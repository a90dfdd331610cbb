"""E-mail intake: a message becomes a case, a reply joins its case, each once."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from geocases.cases.models import Case, CaseEvent
from geocases.cases.services import case_merge
from geocases.core.errors import ApplicationError
from geocases.intake.models import InboundEmail, InboundFile
from geocases.intake.services import email_receive
from geocases.notifications.models import Notification
from tests.factories import CategoryFactory, OrganisationUnitFactory, UserFactory, staff_actor
from tests.intake.messages import OUTLOOK_REPLY, PDF, jpeg_with_gps, message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def intake_category(settings):
    unit = OrganisationUnitFactory(code="kundtjanst", email="kundtjanst@example.org")
    settings.GEOCASES_EMAIL_INTAKE_CATEGORY = "general-question"
    return CategoryFactory(code="general-question", place_kind="none", default_unit=unit)


def test_a_message_becomes_a_case_from_its_subject_body_and_sender():
    raw = message()
    inbound = email_receive(raw=raw)
    case = inbound.case
    assert inbound.outcome == "created"
    assert case.channel == "email" and case.category.code == "general-question"
    assert case.title == "Trasig gatlykta på Hornsgatan"
    assert case.description == "Lyktan utanför Hornsgatan 12 har varit släckt i en vecka."
    assert (case.reporter_name, case.reporter_email) == ("Karin Berg", "karin.berg@example.net")
    assert case.status == "assigned" and case.responsible_unit.code == "kundtjanst"
    with default_storage.open(inbound.original.name, "rb") as original:
        assert original.read() == raw  # the original kept as it came
    assert inbound.sent_at.isoformat() == "2026-11-25T08:15:00+01:00"
    receipt = Notification.objects.get(case=case, key=f"case:{case.pk}:receipt")
    assert receipt.recipients == ["karin.berg@example.net"] and case.number in receipt.subject


def test_an_html_only_message_is_read_as_text():
    raw = message(body="", html="<p>Soptunnan &auml;r full</p><p>Hälsningar<br>Karin</p>")
    case = email_receive(raw=raw).case
    assert case.description == "Soptunnan är full\nHälsningar\nKarin"


def test_an_empty_plain_part_falls_back_to_the_html_one():
    raw = message(body=" ", html="<div>Gropen <b>växer</b></div>")
    assert email_receive(raw=raw).case.description == "Gropen växer"


def test_photos_become_case_photos_without_metadata_and_other_files_are_kept():
    photo = jpeg_with_gps()
    raw = message(
        attachments=(
            ("lyktan.jpg", "image/jpeg", photo),
            ("faktura.pdf", "application/pdf", PDF),
            ("trasig.jpg", "image/jpeg", b"not really a jpeg"),
        )
    )
    inbound = email_receive(raw=raw)
    (attachment,) = inbound.case.attachments.all()
    assert attachment.original_name == "lyktan.jpg" and not attachment.is_public
    with default_storage.open(attachment.image.name, "rb") as stored:
        assert b"Exif" not in stored.read()
    kept = {f.filename: f for f in InboundFile.objects.filter(email=inbound)}
    assert set(kept) == {"faktura.pdf", "trasig.jpg"}
    with default_storage.open(kept["faktura.pdf"].file.name, "rb") as stored:
        assert stored.read() == PDF
    assert kept["faktura.pdf"].content_type == "application/pdf"


def test_a_reply_quoting_a_case_number_is_added_to_that_case():
    handler = UserFactory(email="helena@example.org")
    first = email_receive(raw=message()).case
    Case.objects.filter(pk=first.pk).update(responsible_user=handler)
    raw = OUTLOOK_REPLY.replace(b"{number}", first.number.encode())

    inbound = email_receive(raw=raw)

    assert inbound.outcome == "added" and inbound.case == first
    assert Case.objects.count() == 1
    event = CaseEvent.objects.get(case=first, kind="email")
    assert event.text.startswith(f"SV: Ditt ärende {first.number}: Registrerat")
    assert "fortfarande släckt, nu även grannens" in event.text
    assert "Tack för din anmälan" not in event.text  # the quoted receipt is left out
    assert event.new_value["from"] == "karin.berg@example.net" and event.new_value["reporter"]
    assert not event.is_public
    told = Notification.objects.get(key=f"email:{inbound.pk}:staff")
    assert told.recipients == ["helena@example.org"] and first.number in told.subject
    assert "fortfarande släckt" in told.body_text and "fortfarande släckt" in told.body_html


def test_a_reply_to_a_merged_duplicate_goes_to_the_case_it_was_merged_into():
    duplicate = email_receive(raw=message(message_id="<one@x>")).case
    into = email_receive(raw=message(message_id="<two@x>")).case
    case_merge(duplicate=duplicate, into=into, actor=staff_actor("agent"))
    reply = message(subject=f"Re: {duplicate.number}", message_id="<three@x>")
    assert email_receive(raw=reply).case == into


def test_an_unknown_case_number_starts_a_new_case():
    inbound = email_receive(raw=message(subject="Angående 2019-999999"))
    assert inbound.outcome == "created"


def test_the_same_message_read_twice_is_taken_once():
    first = email_receive(raw=message())
    again = email_receive(raw=message())
    assert again.pk == first.pk
    assert Case.objects.count() == 1 and InboundEmail.objects.count() == 1


def test_a_message_without_message_id_is_known_by_its_bytes():
    raw = message(message_id="")
    assert email_receive(raw=raw).pk == email_receive(raw=raw).pk


@pytest.mark.parametrize(
    "headers, sender",
    [
        ({"Auto-Submitted": "auto-replied"}, "Karin <karin.berg@example.net>"),
        ({"X-Autoreply": "yes"}, "Karin <karin.berg@example.net>"),
        ({"Precedence": "bulk"}, "Karin <karin.berg@example.net>"),
        ({}, "Mail Delivery System <MAILER-DAEMON@mail.example.net>"),
        ({}, "geocases <noreply@localhost>"),  # our own receipt, bounced back
    ],
)
def test_automatic_replies_and_bounces_are_kept_but_start_nothing(headers, sender):
    inbound = email_receive(
        raw=message(subject="Frånvaro: Ditt ärende", headers=headers, sender=sender)
    )
    assert inbound.outcome == "ignored" and inbound.reason and inbound.case is None
    assert Case.objects.count() == 0 and Notification.objects.count() == 0


@pytest.mark.parametrize("raw", [b"", b"   \r\n", b"just some words without headers"])
def test_what_is_not_a_message_is_refused_and_nothing_is_written(raw):
    with pytest.raises(ApplicationError):
        email_receive(raw=raw)
    assert InboundEmail.objects.count() == 0 and Case.objects.count() == 0


def test_a_message_too_large_is_refused(settings):
    settings.GEOCASES_MAX_EMAIL_BYTES = 2048
    with pytest.raises(ApplicationError, match="larger than"):
        email_receive(raw=message(attachments=(("big.pdf", "application/pdf", b"x" * 4096),)))
    assert InboundEmail.objects.count() == 0


def test_without_the_intake_category_nothing_is_written_and_no_file_is_left(settings):
    settings.GEOCASES_EMAIL_INTAKE_CATEGORY = "no-such-category"
    raw = message(attachments=(("faktura.pdf", "application/pdf", PDF),))
    before = _stored_files()
    with pytest.raises(ApplicationError, match="EMAIL_INTAKE_CATEGORY"):
        email_receive(raw=raw)
    assert InboundEmail.objects.count() == 0 and Case.objects.count() == 0
    assert _stored_files() == before


def test_a_message_without_a_sender_or_subject_still_becomes_an_anonymous_case():
    inbound = email_receive(raw=message(sender="nobody", subject=""))
    assert inbound.case.title == "E-post utan ämne"
    assert inbound.case.reporter_email == ""
    assert not Notification.objects.filter(case=inbound.case).exists()


def test_an_english_message_gets_its_receipt_in_english():
    raw = message(headers={"Content-Language": "en-GB"})
    case = email_receive(raw=raw).case
    assert case.reporter_language == "en"
    receipt = Notification.objects.get(case=case, key__endswith=":receipt")
    assert "Your case number is" in receipt.body_text


def _stored_files() -> set[str]:
    from pathlib import Path

    root = Path(default_storage.location) / "email"
    return {str(p) for p in root.rglob("*")} if root.exists() else set()
