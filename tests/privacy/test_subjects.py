"""Data-subject requests: everything about a person exported as a
machine-readable file (art. 15); erased except where a case must be kept,
with the reason (art. 17); each request recorded and audited."""

import io
import json
import zipfile
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from geocases.audit.models import AuditEntry
from geocases.core.errors import ApplicationError
from geocases.privacy.models import DataSubjectRequest
from geocases.privacy.subjects import Subject, subject_erase, subject_export
from tests.privacy.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def pers_cases(make_case, invoices):
    with time_machine.travel(NOW, tick=False):
        return {
            "closed": make_case(invoices, closed_days_ago=3),
            "open": make_case(invoices, status="assigned"),
            "by_phone": make_case(invoices, closed_days_ago=3, email=""),
            "held": make_case(invoices, closed_days_ago=3, hold="Tvist om faktura 2026-4"),
            "someone_else": make_case(
                invoices, closed_days_ago=3, email="eva@example.org", phone="08-555 000"
            ),
        }


def test_the_export_holds_every_case_history_and_photo(pers_cases, administrator):
    archive = subject_export(
        subject=Subject(email="Per@Example.org ", phone="+46 70 123 45 67"), user=administrator
    )
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        data = json.loads(opened.read("data.json"))
        names = set(opened.namelist())
    numbers = {case["number"] for case in data["cases"]}
    assert numbers == {c.number for k, c in pers_cases.items() if k != "someone_else"}
    first = next(c for c in data["cases"] if c["number"] == pers_cases["closed"].number)
    assert first["reporter"] == {
        "name": "Per Persson",
        "email": "per@example.org",
        "phone": "070-123 45 67",
        "language": "sv",
    }
    assert first["description"] == "Ring mig på 070-123 45 67, Per"
    assert "Per ringde igen" in [event["text"] for event in first["history"]]
    assert first["place"]["type"] == "Point"
    assert set(first["photos"]) <= names and first["photos"]
    request = DataSubjectRequest.objects.get()
    assert request.kind == "access" and request.subject_hint == "p***@example.org, …67"
    assert "per@example.org" not in json.dumps(request.result) + request.subject_hash
    assert AuditEntry.objects.get(action="subject_exported").actor == administrator


def test_erasure_keeps_only_what_must_be_kept_and_says_why(
    pers_cases, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = subject_erase(
            subject=Subject(email="per@example.org", phone="0701234567"),
            user=administrator,
            note="Begäran per brev 2026-05-30",
        )
    assert set(result.erased) == {pers_cases["closed"].number, pers_cases["by_phone"].number}
    assert result.kept == {
        pers_cases["open"].number: "still being handled: the contact is needed to finish it",
        pers_cases["held"].number: "Tvist om faktura 2026-4",
    }
    for name in ("closed", "by_phone"):
        pers_cases[name].refresh_from_db()
        assert pers_cases[name].reporter_name == "" and pers_cases[name].anonymised_at
    for name in ("open", "held", "someone_else"):
        pers_cases[name].refresh_from_db()
        assert pers_cases[name].reporter_name == "Per Persson"
    request = DataSubjectRequest.objects.get()
    assert request.kind == "erasure" and request.note == "Begäran per brev 2026-05-30"
    assert request.result["kept"] == result.kept
    assert AuditEntry.objects.get(action="subject_erased").detail["erased"] == result.erased
    # Asked again: nothing more to erase, the kept ones still kept.
    again = subject_erase(subject=Subject(email="per@example.org"))
    assert again.erased == [] and set(again.kept) == set(result.kept)


def test_a_request_needs_an_address_or_a_number():
    with pytest.raises(ApplicationError):
        Subject(email=" ", phone="abc")


def test_the_command_exports_and_erases(pers_cases, tmp_path, capsys):
    out = tmp_path / "per.zip"
    call_command("privacy_request", "export", "--email", "per@example.org", "--out", str(out))
    assert zipfile.ZipFile(out).read("data.json")
    with pytest.raises(CommandError, match="exists"):
        call_command("privacy_request", "export", "--email", "per@example.org", "--out", str(out))
    with pytest.raises(CommandError, match="e-mail address or phone"):
        call_command("privacy_request", "erase")
    call_command("privacy_request", "erase", "--phone", "070-123 45 67", "--note", "brev")
    assert pers_cases["closed"].number in capsys.readouterr().out
    assert DataSubjectRequest.objects.count() == 2


def test_administrators_do_it_in_the_administration(pers_cases, administrator):
    client = Client()
    client.force_login(administrator)
    form = client.get("/admin/privacy/datasubjectrequest/add/?email=per@example.org")
    assert form.status_code == 200 and b"per@example.org" in form.content
    response = client.post(
        "/admin/privacy/datasubjectrequest/add/",
        {"kind": "access", "email": "per@example.org", "phone": "", "note": "Mejl"},
    )
    assert response["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(response.content)).read("data.json")
    refused = client.post(
        "/admin/privacy/datasubjectrequest/add/", {"kind": "erasure", "email": "", "phone": ""}
    )
    assert refused.status_code == 200 and DataSubjectRequest.objects.count() == 1
    request = {"kind": "erasure", "email": "per@example.org", "phone": "", "note": ""}
    shown = client.post("/admin/privacy/datasubjectrequest/add/", request)
    assert shown.status_code == 200 and DataSubjectRequest.objects.count() == 1
    erased = client.post(
        "/admin/privacy/datasubjectrequest/add/",
        {**request, "confirm": "1", "erase": [pers_cases["closed"].number]},
    )
    assert erased.status_code == 302 and DataSubjectRequest.objects.count() == 2


def test_a_case_offers_the_request_for_its_reporter(pers_cases, administrator):
    client = Client()
    client.force_login(administrator)
    response = client.post(
        "/admin/cases/case/",
        {"action": "subject_request", "_selected_action": [pers_cases["closed"].pk]},
    )
    assert response.status_code == 302
    assert "/admin/privacy/datasubjectrequest/add/?email=per%40example.org" in response["Location"]


def submitted_by_open311(case, media_url="https://photos.example.net/u/per-persson/1.jpg"):
    from django.utils import timezone

    from geocases.open311.models import Submission
    from tests.open311.factories import api_key_issued

    api_key, _raw = api_key_issued("FixMyStreet")
    return Submission.objects.create(
        case=case,
        api_key=api_key,
        token=f"t{case.pk}",
        media_url=media_url,
        created_at=timezone.now(),
    )


def exported(subject):
    with zipfile.ZipFile(io.BytesIO(subject_export(subject=subject))) as opened:
        return json.loads(opened.read("data.json"))


def test_the_photo_address_an_open311_client_sent_is_exported_and_erased(
    pers_cases, django_capture_on_commit_callbacks
):
    submission = submitted_by_open311(pers_cases["closed"])

    data = exported(Subject(email="per@example.org"))
    record = next(c for c in data["cases"] if c["number"] == pers_cases["closed"].number)
    assert record["open311"]["media_url"] == submission.media_url
    assert record["open311"]["from_system"] == "FixMyStreet"
    assert all(c["open311"] is None for c in data["cases"] if c is not record)

    with django_capture_on_commit_callbacks(execute=True):
        subject_erase(subject=Subject(email="per@example.org"))
    submission.refresh_from_db()
    assert submission.media_url == ""


def test_a_phone_only_export_has_the_emails_sent_about_the_cases(pers_cases):
    from geocases.notifications.models import Notification

    about = Notification.objects.filter(case=pers_cases["closed"])
    assert about.exists()  # the receipt, sent to per@example.org

    data = exported(Subject(phone="070-123 45 67"))

    numbers = {email["case"] for email in data["emails_sent"]}
    assert pers_cases["closed"].number in numbers
    assert pers_cases["someone_else"].number not in numbers


def test_an_erasure_confirmed_for_some_cases_keeps_the_others(pers_cases):
    with translation.override("en"):
        result = subject_erase(
            subject=Subject(phone="070-123 45 67"), confirmed={pers_cases["closed"].number}
        )

    assert result.erased == [pers_cases["closed"].number]
    assert result.kept[pers_cases["by_phone"].number] == "left out when the erasure was confirmed"
    pers_cases["by_phone"].refresh_from_db()
    assert pers_cases["by_phone"].anonymised_at is None


def test_the_export_has_a_summary_to_read_in_swedish_and_english(pers_cases):
    with zipfile.ZipFile(io.BytesIO(subject_export(subject=Subject(email="per@example.org")))) as z:
        summary = z.read("summary.txt").decode()

    swedish, english = summary.split("Personal data about you")
    closed = pers_cases["closed"]
    registered = closed.created_at.astimezone(zoneinfo.ZoneInfo("Europe/Stockholm"))
    assert "Personuppgifter om dig" in swedish and closed.number in swedish
    assert "Status: Avslutat" in swedish and "Status: Closed" in english  # names, not codes
    assert f"Kategori: {closed.category.name_sv}" in swedish
    assert f"Category: {closed.category.name_en}" in english
    assert f"Registered: {registered:%Y-%m-%d %H:%M}" in english  # the city's time
    assert "Reporter: Per Persson, per@example.org" in english
    assert "Internal note — Per ringde igen" in english


def test_the_cases_a_person_follows_are_exported_and_forgotten_on_erasure(pers_cases):
    neighbour = Subject(email="Grannen@example.org")  # follows every case of the fixture
    document = json.loads(
        zipfile.ZipFile(io.BytesIO(subject_export(subject=neighbour))).read("data.json")
    )
    assert {item["case"] for item in document["cases_followed"]} == {
        case.number for case in pers_cases.values()
    }
    assert document["cases"] == []  # following is not reporting: no one's case is hers

    result = subject_erase(subject=neighbour)
    assert result.follows == len(pers_cases) and result.erased == []
    assert not neighbour.follows().exists()
    assert pers_cases["closed"].reporter_email  # the reporters' own data untouched


def test_an_export_holds_the_mails_sent_to_the_person_not_to_others_about_their_cases(
    pers_cases,
):
    from geocases.cases.services import case_transition
    from tests.factories import staff_actor

    case = pers_cases["open"]  # followed by grannen@example.org
    case_transition(case=case, actor=staff_actor("agent"), to="acknowledged")
    for subject in (Subject(email="per@example.org"), Subject(phone="070-123 45 67")):
        data = zipfile.ZipFile(io.BytesIO(subject_export(subject=subject))).read("data.json")
        sent = json.loads(data)["emails_sent"]
        assert any(case.number in mail["subject"] for mail in sent)  # Per's own
        assert "grannen@example.org" not in data.decode()  # not the follower's
