"""Retention: closed cases past their category's period are anonymised by
the daily run — the person goes, the case stays for statistics."""

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile

from geocases.audit.models import AuditEntry
from geocases.cases.models import Attachment, Case, CaseEvent
from geocases.insights.statistics import StatsFilter, case_statistics
from geocases.intake.models import InboundEmail, InboundFile
from geocases.notifications.models import Notification
from geocases.privacy.anonymise import REDACTED
from geocases.privacy.retention import retention_run
from geocases.tracking.models import TrackingLink
from tests.privacy.conftest import NOW

pytestmark = pytest.mark.django_db


def counts():
    result = case_statistics(where=StatsFilter(), by=["category", "status"], live=True)
    return {
        (n, r.key): (r.cases, r.still_open, r.resolve_due) for n, rs in result.items() for r in rs
    }


@time_machine.travel(NOW, tick=False)
def test_expired_cases_are_anonymised_and_the_rest_kept(
    make_case, home_bins, invoices, media, django_capture_on_commit_callbacks
):
    expired = make_case(home_bins, closed_days_ago=31)
    email = InboundEmail.objects.create(
        message_id="<per-1@example.org>",
        case=expired,
        outcome="added",
        sender_name="Per Persson",
        sender_email="per@example.org",
        subject="Min soptunna",
        received_at=NOW,
        original=ContentFile(b"From: per@example.org\n\nHej", name="per.eml"),
        size=30,
    )
    InboundFile.objects.create(
        email=email,
        file=ContentFile(b"%PDF", name="per.pdf"),
        filename="per.pdf",
        content_type="application/pdf",
        size=4,
    )
    photo_files = [media / a.image.name for a in expired.attachments.all()]
    photo_files += [media / email.original.name, media / email.files.get().file.name]
    assert all(path.exists() for path in photo_files)
    too_young = make_case(home_bins, closed_days_ago=29)
    longer_kept = make_case(invoices, closed_days_ago=31)
    held = make_case(home_bins, closed_days_ago=400, hold="Skadeståndsanspråk 2026-17")
    still_open = make_case(home_bins, status="assigned")
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        report = retention_run()

    assert report.as_dict() == {
        "cases": 1,
        "photos": 1,
        "emails": 1,
        "notifications": Notification.objects.filter(case=expired).count(),
        "places_coarsened": 1,
        "by_category": {"bins": 1},
    }
    expired.refresh_from_db()
    assert (expired.reporter_name, expired.reporter_email, expired.reporter_phone) == ("", "", "")
    assert expired.description == expired.resolution == REDACTED
    assert expired.title == home_bins.name_sv and expired.extra == {} and expired.address == ""
    assert (expired.location.x, expired.location.y) == pytest.approx((18.061, 59.335))
    assert expired.anonymised_at == NOW
    texts = CaseEvent.objects.filter(case=expired).exclude(text="").values_list("text", flat=True)
    assert set(texts) == {REDACTED}
    assert "Per" not in str(
        list(CaseEvent.objects.filter(case=expired).values("old_value", "new_value"))
    )
    assert not Attachment.objects.filter(case=expired).exists()
    assert not any(path.exists() for path in photo_files)
    assert not TrackingLink.objects.filter(case=expired).exists()
    assert not expired.followers.exists()  # their addresses go too
    email.refresh_from_db()
    assert (email.sender_email, email.subject, email.original.name) == ("", "", "")
    assert not email.files.exists() and email.message_id == "<per-1@example.org>"
    assert not Notification.objects.filter(case=expired).exclude(recipients=[]).exists()
    for kept in (too_young, longer_kept, held, still_open):
        kept.refresh_from_db()
        assert kept.reporter_name == "Per Persson" and kept.anonymised_at is None
        assert kept.attachments.exists()
    # The case stays for statistics: every count is as before.
    assert counts() == before
    entry = AuditEntry.objects.get(action="retention_run")
    assert entry.actor is None and entry.detail["cases"] == 1
    # Run again (the task may run twice): nothing more to do.
    assert retention_run().cases == 0


def test_the_period_runs_from_closing_with_the_clock(make_case, home_bins):
    with time_machine.travel(NOW, tick=False):
        case = make_case(home_bins, closed_days_ago=25)
        assert retention_run().cases == 0
    with time_machine.travel(NOW + dt.timedelta(days=6), tick=False):
        assert retention_run().cases == 1
    assert Case.objects.get(pk=case.pk).anonymised_at is not None


def test_the_command_reports_what_it_did(make_case, home_bins, capsys):
    from django.core.management import call_command

    with time_machine.travel(NOW, tick=False):
        make_case(home_bins, closed_days_ago=45)
        call_command("retention_run")
    assert '"cases": 1' in capsys.readouterr().out


@time_machine.travel(NOW, tick=False)
def test_retention_clears_the_photo_address_an_open311_client_sent(make_case, home_bins):
    from tests.privacy.test_subjects import submitted_by_open311

    expired, young = (
        make_case(home_bins, closed_days_ago=31),
        make_case(home_bins, closed_days_ago=1),
    )
    old_link, young_link = submitted_by_open311(expired), submitted_by_open311(young)

    retention_run()

    old_link.refresh_from_db(), young_link.refresh_from_db()
    assert old_link.media_url == ""
    assert young_link.media_url.startswith("https://")
