"""A case's received e-mails on its desk page: the original and its files."""

import pytest

from geocases.intake.services import email_receive
from tests.factories import CategoryFactory, ContractorFactory, UserFactory
from tests.intake.messages import PDF, message

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbound(settings):
    settings.GEOCASES_EMAIL_INTAKE_CATEGORY = "general-question"
    CategoryFactory(code="general-question", place_kind="none")
    raw = message(
        attachments=(
            ("faktura.pdf", "application/pdf", PDF),
            ("evil.html", "text/html", b"<script>alert(1)</script>"),
        )
    )
    return email_receive(raw=raw), raw


def test_the_page_lists_the_mail_and_offers_the_original_and_files(client, inbound):
    received, raw = inbound
    client.force_login(UserFactory(role="agent"))
    page = client.get(f"/desk/cases/{received.case.number}/").content.decode()
    assert "karin.berg@example.net" in page and "faktura.pdf" in page

    original = client.get(f"/desk/cases/{received.case.number}/emails/{received.pk}/")
    assert b"".join(original.streaming_content) == raw
    assert original["Content-Type"] == "message/rfc822"
    assert original["Content-Disposition"].startswith("attachment;")


def test_an_attached_html_file_never_runs_as_our_page(client, inbound):
    received, _raw = inbound
    client.force_login(UserFactory(role="agent"))
    evil = received.files.get(filename="evil.html")
    response = client.get(f"/desk/cases/{received.case.number}/emails/files/{evil.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_no_one_reaches_another_cases_mail(client, inbound):
    received, _raw = inbound
    case = received.case
    client.force_login(UserFactory(role="handler"))
    other = CategoryFactory(place_kind="none")
    from geocases.cases.actors import SYSTEM
    from geocases.cases.services import case_create

    elsewhere = case_create(actor=SYSTEM, channel="phone", category=other)
    assert client.get(f"/desk/cases/{elsewhere.number}/emails/{received.pk}/").status_code == 404
    file = received.files.first()
    url = f"/desk/cases/{elsewhere.number}/emails/files/{file.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role="contractor", unit=ContractorFactory()))
    assert client.get(f"/desk/cases/{case.number}/emails/{received.pk}/").status_code == 403
