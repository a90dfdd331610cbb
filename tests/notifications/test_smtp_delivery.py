"""Through a real SMTP server on localhost (aiosmtpd): the citizen's receipt
arrives as one message with a plain-text and an HTML part, and a mail server
that is down loses nothing."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.db.models import F

from geocases.cases.actors import SYSTEM
from geocases.cases.services import case_create
from geocases.notifications.models import Notification
from geocases.notifications.services import notifications_sweep
from tests.factories import CategoryFactory
from tests.notifications.helpers import outbox_deliver

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


class Mailbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


@pytest.fixture
def smtp_server(smtp_settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    controller.start()
    yield mailbox
    controller.stop()


def receipt_case():
    return case_create(
        actor=SYSTEM,
        channel="web",
        category=CategoryFactory(place_kind="none", name_en="Invoices"),
        title="Fel på fakturan",
        reporter_email="anna@example.net",
        reporter_language="en",
    )


def test_the_receipt_arrives_in_text_and_html_through_smtp(smtp_server):
    case = receipt_case()
    assert outbox_deliver() == 1

    ((recipients, message),) = smtp_server.received
    assert recipients == ["anna@example.net"]
    assert message["To"] == "anna@example.net"
    assert message["Subject"] == f"Your case {case.number}: Registered"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    for body in (text, html):
        assert "Your case number is" in body and case.number in body
        assert "http://127.0.0.1:8000/track/" in body and "Invoices" in body
    assert html.lstrip().startswith("<!doctype html>") and 'lang="en"' in html
    assert Notification.objects.get(case=case).status == "sent"


def test_with_the_mail_server_down_the_message_waits_and_goes_when_it_is_back(smtp_settings):
    case = receipt_case()
    with pytest.raises(OSError):  # nothing listens on the port yet
        outbox_deliver()
    waiting = Notification.objects.get(case=case)
    assert waiting.status == "pending" and waiting.attempts == 1 and waiting.last_error

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    controller.start()
    try:
        assert notifications_sweep(older_than=dt.timedelta(0)) == 0  # not again at once
        Notification.objects.filter(pk=waiting.pk).update(
            claimed_at=F("claimed_at") - dt.timedelta(minutes=1)
        )
        assert notifications_sweep(older_than=dt.timedelta(0)) == 1  # a minute later
    finally:
        controller.stop()
    assert [recipients for recipients, _ in mailbox.received] == [["anna@example.net"]]
    waiting.refresh_from_db()
    assert waiting.status == "sent" and waiting.attempts == 2
