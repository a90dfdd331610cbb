"""Data-subject requests: everything held about a person, found by e-mail
address or phone number, exported as a machine-readable file (art. 15) or
erased (art. 17) — except cases that must be kept, with the reason.

A case must be kept while it is still being handled (the city needs the
contact to finish it, art. 17(3)(b)) or while an administrator has
recorded a reason to keep it (``Case.retention_hold``, e.g. a claim for
damages, art. 17(3)(e)).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.audit.models import AuditAction
from geocases.audit.services import audit_record
from geocases.cases.lifecycle import UNFINISHED_STATUSES
from geocases.cases.models import Case
from geocases.cases.numbers import phone_digits
from geocases.core.errors import ApplicationError
from geocases.intake.models import InboundEmail
from geocases.notifications.models import Notification
from geocases.privacy.anonymise import cases_anonymise, emails_strip, notifications_redact
from geocases.privacy.models import DataSubjectRequest, RequestKind
from geocases.privacy.summary import subject_summary_text
from geocases.tracking.models import Follower


@dataclass(frozen=True)
class Subject:
    """A person as the request names them: an e-mail address, a phone
    number, or both."""

    email: str = ""
    phone: str = ""

    def __post_init__(self):
        object.__setattr__(self, "email", self.email.strip().lower())
        object.__setattr__(self, "phone", self.phone.strip())
        if not self.email and not phone_digits(self.phone):
            raise ApplicationError.for_field(
                "email", _("Give the person's e-mail address or phone number.")
            )

    def cases(self) -> QuerySet[Case]:
        found = Case.objects.none()
        if self.email:
            found = found | Case.objects.by_reporter_email(self.email)
        if phone_digits(self.phone):
            found = found | Case.objects.by_reporter_phone(self.phone)
        return found.select_related("category").order_by("created_at", "id")

    def emails(self) -> QuerySet[InboundEmail]:
        if not self.email:
            return InboundEmail.objects.none()
        return InboundEmail.objects.filter(sender_email__iexact=self.email).order_by("received_at")

    def notifications(self) -> QuerySet[Notification]:
        """E-mails sent to the person: to their address, and about the cases
        found to the address each case's reporter gave (a case found by the
        phone number whose reporter gave an address). Never those sent to
        someone else about the same case: a follower, staff."""
        sent = Q(recipients__contains=[self.email]) if self.email else Q(pk__in=[])
        for case_id, address in self.cases().values_list("id", "reporter_email"):
            if address:
                sent |= Q(case_id=case_id, recipients__contains=[address])
        return Notification.objects.filter(sent).order_by("created_at")

    def follows(self) -> QuerySet[Follower]:
        """The cases the person follows (reported by someone else)."""
        if not self.email:
            return Follower.objects.none()
        return (
            Follower.objects.filter(email__iexact=self.email)
            .select_related("case")
            .order_by("created_at")
        )

    def hint(self) -> str:
        """Enough to recognise the person, not to find them: a***@example.org, …67."""
        parts = []
        if self.email:
            name, _at, domain = self.email.partition("@")
            parts.append(f"{name[:1]}***@{domain}")
        digits = phone_digits(self.phone)
        if digits:
            parts.append(f"…{digits[-2:]}")
        return ", ".join(parts)

    def digest(self) -> str:
        key = f"{self.email}|{phone_digits(self.phone)}"
        return hashlib.sha256(key.encode()).hexdigest()


def subject_export(*, subject: Subject, user=None, note: str = "") -> bytes:
    """A ZIP file: ``data.json`` with the cases (all their fields and
    history), the e-mails received from and sent to the person, and the
    photos and original e-mails as files beside it; ``summary.txt`` says
    the same for the person to read, in Swedish and English."""
    buffer = io.BytesIO()
    cases = list(
        subject.cases()
        .select_related("open311_submission__api_key")
        .prefetch_related("events", "attachments")
    )
    emails = list(subject.emails().prefetch_related("files"))
    sent = list(subject.notifications())
    document = {
        "generated_at": timezone.now(),
        "subject": {"email": subject.email, "phone": subject.phone},
        "cases": [_case_record(case) for case in cases],
        "emails_received": [
            {
                "received_at": email.received_at,
                "from": f"{email.sender_name} <{email.sender_email}>",
                "subject": email.subject,
                "case": email.case.number if email.case_id else None,
                "file": f"emails/{email.pk}.eml" if email.original else None,
            }
            for email in emails
        ],
        "cases_followed": [
            {"case": follower.case.number, "since": follower.created_at}
            for follower in subject.follows()
        ],
        "emails_sent": [
            {
                "created_at": notification.created_at,
                "sent_at": notification.sent_at,
                "to": notification.recipients,
                "subject": notification.subject,
                "text": notification.body_text,
                "case": notification.case.number if notification.case_id else None,
            }
            for notification in sent
        ],
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        archive.writestr(
            "summary.txt",
            subject_summary_text(
                identifiers=", ".join(part for part in (subject.email, subject.phone) if part),
                cases=cases,
                sent=sent,
                received=emails,
            ),
        )
        for case in cases:
            for photo in case.attachments.all():
                archive.writestr(_photo_path(case, photo), _read(photo.image.name))
        for email in emails:
            if email.original:
                archive.writestr(f"emails/{email.pk}.eml", _read(email.original.name))
    _record(
        RequestKind.ACCESS,
        AuditAction.SUBJECT_EXPORTED,
        subject,
        user,
        note,
        {"cases": [case.number for case in cases], "emails": len(emails), "sent": len(sent)},
    )
    return buffer.getvalue()


@dataclass
class ErasureResult:
    erased: list[str] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)  # case number -> why
    emails: int = 0
    notifications: int = 0
    follows: int = 0


def case_erasure_hold(case: Case) -> str:
    """Why an erasure must keep ``case``; empty if it may be erased."""
    if case.status in UNFINISHED_STATUSES:
        return _("still being handled: the contact is needed to finish it")
    return case.retention_hold


@transaction.atomic
def subject_erase(
    *, subject: Subject, user=None, note: str = "", confirmed: Collection[str] | None = None
) -> ErasureResult:
    """Anonymise the person's cases except those that must be kept, and
    what else is held about them (e-mails received, e-mails sent).

    ``confirmed``: the case numbers the officer saw and confirmed (the
    administration's preview). A case found but not among them — left out
    as someone else's, or found only since the preview — is kept, and so are
    the e-mails about it.
    """
    result = ErasureResult()
    erase = []
    for case in subject.cases():
        hold = case_erasure_hold(case)
        if hold:
            result.kept[case.number] = hold
        elif case.anonymised_at is not None:
            continue  # erased before
        elif confirmed is not None and case.number not in confirmed:
            result.kept[case.number] = _("left out when the erasure was confirmed")
        else:
            erase.append(case)
    cases_anonymise(ids=[case.pk for case in erase])
    result.erased = [case.number for case in erase]
    kept = Case.objects.filter(number__in=list(result.kept))
    result.emails = emails_strip(emails=subject.emails().exclude(case__in=kept))
    result.notifications = notifications_redact(
        notifications=subject.notifications().exclude(case__in=kept)
    )
    result.follows = subject.follows().delete()[0]  # the person stops following
    _record(
        RequestKind.ERASURE,
        AuditAction.SUBJECT_ERASED,
        subject,
        user,
        note,
        {
            "erased": result.erased,
            "kept": result.kept,
            "emails": result.emails,
            "notifications": result.notifications,
            "follows": result.follows,
        },
    )
    return result


def _case_record(case: Case) -> dict:
    return {
        "number": case.number,
        "category": case.category.code,
        "status": case.status,
        "channel": case.channel,
        "created_at": case.created_at,
        "closed_at": case.closed_at,
        "title": case.title,
        "description": case.description,
        "extra": case.extra,
        "address": case.address,
        "place": json.loads(case.location.geojson) if case.location else None,
        "reporter": {
            "name": case.reporter_name,
            "email": case.reporter_email,
            "phone": case.reporter_phone,
            "language": case.reporter_language,
        },
        "resolution": case.resolution,
        "history": [
            {
                "at": event.at,
                "kind": event.kind,
                "field": event.field,
                "old_value": event.old_value,
                "new_value": event.new_value,
                "text": event.text,
                "public": event.is_public,
            }
            for event in sorted(case.events.all(), key=lambda e: (e.at, e.pk))
        ],
        "photos": [_photo_path(case, photo) for photo in case.attachments.all()],
        "open311": _submission_record(case),
    }


def _submission_record(case: Case) -> dict | None:
    """Where a case came from by Open311 (art. 15(1)(g)) and the photo
    address that system sent, if any."""
    if not hasattr(case, "open311_submission"):
        return None
    submission = case.open311_submission
    return {
        "received_at": submission.created_at,
        "from_system": submission.api_key.name,
        "media_url": submission.media_url,
    }


def _photo_path(case: Case, photo) -> str:
    return f"photos/{case.number}/{photo.image.name.rsplit('/', 1)[-1]}"


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def _record(kind, action, subject: Subject, user, note: str, result: dict) -> None:
    DataSubjectRequest.objects.create(
        kind=kind,
        subject_hint=subject.hint(),
        subject_hash=subject.digest(),
        note=note,
        handled_by=user if user is not None and user.is_authenticated else None,
        handled_at=timezone.now(),
        result=result,
    )
    audit_record(actor=user, action=action, via="data-subject request", detail=result)
