"""Reading a Maildir and taking one message from a file or standard input."""

from __future__ import annotations

import io
import mailbox
import sys

import pytest
from django.core.management import CommandError, call_command

from geocases.cases.models import Case
from geocases.intake.models import InboundEmail
from geocases.intake.tasks import email_intake_poll
from tests.factories import CategoryFactory
from tests.intake.messages import message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def intake_category(settings):
    settings.GEOCASES_EMAIL_INTAKE_CATEGORY = "general-question"
    CategoryFactory(code="general-question", place_kind="none")


@pytest.fixture
def maildir(tmp_path):
    box = mailbox.Maildir(tmp_path / "inbox", create=True)
    box.add(message(message_id="<first@x>", subject="Sopkärl saknas"))
    box.add(message(message_id="<second@x>", subject="Klotter på skolan"))
    box.add(b"")  # an empty file: not a message
    return tmp_path / "inbox"


def flags(path) -> list[tuple[str, str]]:
    box = mailbox.Maildir(path, create=False)
    return sorted((box[key].get_subdir(), box[key].get_flags()) for key in box.iterkeys())


def test_fetch_takes_each_new_message_once_and_flags_what_it_cannot_take(maildir):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 message"):
        call_command("email_fetch", maildir=str(maildir), stdout=out, stderr=err)
    assert sorted(Case.objects.values_list("title", flat=True)) == [
        "Klotter på skolan",
        "Sopkärl saknas",
    ]
    assert "2 taken, 1 flagged" in out.getvalue() and "empty" in err.getvalue()
    assert flags(maildir) == [("cur", "F"), ("cur", "S"), ("cur", "S")]

    call_command("email_fetch", maildir=str(maildir), stdout=io.StringIO())  # again
    assert Case.objects.count() == 2 and InboundEmail.objects.count() == 2


def test_the_worker_reads_the_configured_maildir(maildir, settings):
    settings.GEOCASES_EMAIL_INTAKE_MAILDIR = str(maildir)
    assert email_intake_poll() == 2
    assert email_intake_poll() == 0


def test_without_a_configured_maildir_the_worker_does_nothing(settings):
    settings.GEOCASES_EMAIL_INTAKE_MAILDIR = ""
    assert email_intake_poll() == 0


def test_fetch_refuses_a_folder_that_is_not_a_maildir(tmp_path):
    with pytest.raises(CommandError, match="not a Maildir"):
        call_command("email_fetch", maildir=str(tmp_path))


def test_receive_takes_one_message_from_a_file(tmp_path):
    path = tmp_path / "message.eml"
    path.write_bytes(message())
    out = io.StringIO()
    call_command("email_receive", str(path), stdout=out)
    case = Case.objects.get()
    assert out.getvalue().strip() == f"new case {case.number} from <karin.berg@example.net>"


def test_receive_takes_one_message_from_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(message())))
    call_command("email_receive", stdout=io.StringIO())
    assert Case.objects.count() == 1


def test_receive_says_clearly_what_is_wrong(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("email_receive", str(tmp_path / "missing.eml"))
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("email_receive", str(empty))
    assert InboundEmail.objects.count() == 0
