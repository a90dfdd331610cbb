"""Anonymising cases: the person goes, the case stays for statistics.

What goes: the reporter's name, e-mail and phone; the free text (title,
description, resolution, extra fields, every note and message in the
history, and changes of those fields) replaced by a marker; photos and
received e-mails with their files (the rows that make an e-mail count once
stay, without sender or subject); e-mails sent about the case (recipients
and text); tracking links; the photo address (``media_url``) an Open311
client sent with the report. Where the category may concern a home, the
place becomes a point on the 100 m grid and the address goes. What stays:
number, category, channel, status, responsible unit, district, the times
and deadlines, and who on the staff did what — so every statistic is the
same after as before.

Set-based SQL over a batch of cases; files are removed from storage only
after the transaction commits, so a rollback loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

REDACTED = "[removed]"

# Fields whose changes the history records with their values.
PERSONAL_FIELDS = [
    "title",
    "description",
    "extra",
    "address",
    "location",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "resolution",
]


@dataclass
class AnonymiseReport:
    cases: int = 0
    photos: int = 0
    emails: int = 0
    notifications: int = 0
    places_coarsened: int = 0
    by_category: dict[str, int] = field(default_factory=dict)

    def add(self, other: AnonymiseReport) -> None:
        for name in ("cases", "photos", "emails", "notifications", "places_coarsened"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for code, count in other.by_category.items():
            self.by_category[code] = self.by_category.get(code, 0) + count

    def as_dict(self) -> dict:
        return {
            "cases": self.cases,
            "photos": self.photos,
            "emails": self.emails,
            "notifications": self.notifications,
            "places_coarsened": self.places_coarsened,
            "by_category": dict(sorted(self.by_category.items())),
        }


CASES_SQL = """
UPDATE cases_case c
SET reporter_name = '', reporter_email = '', reporter_phone = '',
    title = k.name_sv,
    description = CASE WHEN c.description = '' THEN '' ELSE %(redacted)s END,
    resolution = CASE WHEN c.resolution = '' THEN '' ELSE %(redacted)s END,
    extra = '{}'::jsonb,
    address = CASE WHEN k.concerns_home THEN '' ELSE c.address END,
    location = CASE WHEN k.concerns_home AND c.location IS NOT NULL
                    THEN ST_SnapToGrid(ST_PointOnSurface(c.location), 0.001)
                    ELSE c.location END,
    anonymised_at = %(now)s
FROM categories_category k
WHERE k.id = c.category_id AND c.id = ANY(%(ids)s)
RETURNING k.code, k.concerns_home AND c.location IS NOT NULL
"""

HISTORY_SQL = """
UPDATE cases_caseevent
SET text = CASE WHEN text = '' THEN '' ELSE %(redacted)s END,
    old_value = CASE WHEN field = ANY(%(fields)s) AND old_value IS NOT NULL
                     THEN to_jsonb(%(redacted)s::text) ELSE old_value END,
    new_value = CASE WHEN field = ANY(%(fields)s) AND new_value IS NOT NULL
                     THEN to_jsonb(%(redacted)s::text) ELSE new_value END
WHERE case_id = ANY(%(ids)s)
  AND (text <> ''
       OR (field = ANY(%(fields)s) AND (old_value IS NOT NULL OR new_value IS NOT NULL)))
"""


def cases_anonymise(*, ids: list[int]) -> AnonymiseReport:
    """Anonymise the cases with these ids (in one transaction)."""
    from geocases.cases.models import Attachment
    from geocases.intake.models import InboundEmail
    from geocases.notifications.models import Notification
    from geocases.open311.models import Submission
    from geocases.tracking.models import Follower, TrackingLink

    report = AnonymiseReport()
    if not ids:
        return report
    params = {"ids": ids, "redacted": REDACTED, "now": timezone.now(), "fields": PERSONAL_FIELDS}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(CASES_SQL, params)
            for code, coarsened in cursor.fetchall():
                report.cases += 1
                report.places_coarsened += int(coarsened)
                report.by_category[code] = report.by_category.get(code, 0) + 1
            # The one sanctioned rewrite of the append-only history.
            cursor.execute("SET LOCAL geocases.history_redaction = 'on'")
            cursor.execute(HISTORY_SQL, params)
            cursor.execute("SET LOCAL geocases.history_redaction = 'off'")

        files = []
        photos = Attachment.objects.filter(case_id__in=ids)
        for image, thumbnail in photos.values_list("image", "thumbnail"):
            files += [image, thumbnail]
        report.photos = photos.delete()[0]

        transaction.on_commit(lambda: _remove_files(files))
        report.emails = emails_strip(emails=InboundEmail.objects.filter(case_id__in=ids))
        report.notifications = notifications_redact(
            notifications=Notification.objects.filter(case_id__in=ids)
        )
        TrackingLink.objects.filter(case_id__in=ids).delete()
        Follower.objects.filter(case_id__in=ids).delete()  # the addresses of people following
        # A link the reporter's system gave (it may name them), published by Open311.
        Submission.objects.filter(case_id__in=ids).exclude(media_url="").update(media_url="")
    return report


def emails_strip(*, emails) -> int:
    """Received e-mails without sender, subject, original or files; the rows
    stay, so that a message read again still counts once. (In the caller's
    transaction; files go from storage after it commits.)"""
    from geocases.intake.models import InboundFile

    attached = InboundFile.objects.filter(email__in=emails)
    files = list(attached.values_list("file", flat=True))
    files += [name for name in emails.values_list("original", flat=True) if name]
    attached.delete()
    transaction.on_commit(lambda: _remove_files(files))
    return emails.update(sender_name="", sender_email="", subject="", original="")


def notifications_redact(*, notifications) -> int:
    """E-mails sent, without recipients or text."""
    return notifications.update(recipients=[], subject=REDACTED, body_text=REDACTED, body_html="")


def _remove_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
