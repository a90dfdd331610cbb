"""E-mail intake: a message to the service address becomes a case, or,
when it quotes a case number, is added to that case. The original message is
kept on the case; photos become the case's photos (without metadata), other
attachments are kept as sent. Automatic replies and bounces are recorded and
ignored, so a receipt answered by an out-of-office never loops."""

from __future__ import annotations

import email.utils
import hashlib
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from geocases.cases.actors import CITIZEN
from geocases.cases.models import Case, Channel, EventKind
from geocases.cases.services import case_attachment_add, case_create
from geocases.cases.services.history import event_record
from geocases.cases.services.transitions import case_lock
from geocases.categories.models import Category
from geocases.core.errors import ApplicationError
from geocases.intake.models import InboundEmail, InboundFile, Outcome
from geocases.intake.parsing import ParsedEmail, email_parse
from geocases.notifications.emails import case_facts, case_staff_link, email_render
from geocases.notifications.services import notification_queue

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
MAX_DESCRIPTION = 20_000


def email_receive(*, raw: bytes) -> InboundEmail:
    """Take one raw RFC 822 message. A message already received (same
    Message-ID) is not taken again: the first record is returned. Bad input
    raises ApplicationError and writes nothing."""
    if len(raw) > settings.GEOCASES_MAX_EMAIL_BYTES:
        raise ApplicationError(
            _("The message is larger than %(mb)d MB.")
            % {"mb": settings.GEOCASES_MAX_EMAIL_BYTES // (1024 * 1024)}
        )
    parsed = email_parse(raw=raw)
    earlier = InboundEmail.objects.filter(message_id=parsed.message_id).first()
    if earlier is not None:
        return earlier
    stored: list[str] = []  # files to remove again if the transaction fails
    try:
        with transaction.atomic():
            return _receive(raw, parsed, stored)
    except Exception as error:
        for name in stored:
            default_storage.delete(name)
        if isinstance(error, IntegrityError):  # another reader took it a moment ago
            earlier = InboundEmail.objects.filter(message_id=parsed.message_id).first()
            if earlier is not None:
                return earlier
        raise


def _receive(raw: bytes, parsed: ParsedEmail, stored: list[str]) -> InboundEmail:
    now = timezone.now()
    digest = hashlib.sha256(raw).hexdigest()
    original = default_storage.save(f"email/{now:%Y/%m}/{digest[:32]}.eml", ContentFile(raw))
    stored.append(original)
    inbound = InboundEmail(
        message_id=parsed.message_id,
        sender_name=parsed.sender_name,
        sender_email=parsed.sender_email,
        subject=parsed.subject,
        sent_at=parsed.sent_at,
        received_at=now,
        original=original,
        size=len(raw),
    )
    reason = parsed.automatic or _own_address(parsed.sender_email)
    case = None if reason else _quoted_case(parsed)
    if reason:
        inbound.outcome, inbound.reason = Outcome.IGNORED, reason
    elif case is not None:
        inbound.outcome, inbound.case = Outcome.ADDED, case
    else:
        inbound.outcome, inbound.case = Outcome.CREATED, _case_create(parsed)
    inbound.save()
    if inbound.outcome == Outcome.ADDED:
        _reply_add(inbound, parsed)
    if inbound.case is not None:
        _attachments_keep(inbound, parsed, stored)
    return inbound


def _own_address(sender: str) -> str:
    own = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()
    return f"sent by ourselves ({sender})" if sender and sender == own else ""


def _quoted_case(parsed: ParsedEmail) -> Case | None:
    for number in parsed.case_numbers():
        case = Case.objects.filter(number=number).select_related("merged_into").first()
        if case is not None:
            return case.merged_into or case
    return None


def _case_create(parsed: ParsedEmail) -> Case:
    code = settings.GEOCASES_EMAIL_INTAKE_CATEGORY
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise ApplicationError(
            _(
                "E-mail intake needs an active category “%(code)s” for new cases "
                "(setting EMAIL_INTAKE_CATEGORY)."
            )
            % {"code": code}
        )
    with override(settings.LANGUAGE_CODE):
        untitled = _("E-mail without a subject")
    return case_create(
        actor=CITIZEN,
        channel=Channel.EMAIL,
        category=category,
        title=parsed.subject or untitled,
        description=parsed.text[:MAX_DESCRIPTION],
        reporter_name=parsed.sender_name,
        reporter_email=parsed.sender_email,
        reporter_language=parsed.language,
    )


def _reply_add(inbound: InboundEmail, parsed: ParsedEmail) -> None:
    """The reply goes into the case's history (staff only: anyone may write
    quoting a number) and whoever is responsible is told."""
    case = case_lock(inbound.case)
    text = parsed.reply_text()[:MAX_DESCRIPTION]
    event = event_record(
        case=case,
        actor=CITIZEN,
        kind=EventKind.EMAIL,
        new={
            "from": parsed.sender_email,
            "name": parsed.sender_name,
            "email": inbound.pk,
            "reporter": bool(parsed.sender_email)
            and parsed.sender_email == case.reporter_email.lower(),
        },
        text=f"{parsed.subject}\n\n{text}".strip(),
    )
    Case.objects.filter(pk=case.pk).update(updated_at=event.at)
    recipients = (
        [case.responsible_user.email]
        if case.responsible_user_id
        else [case.responsible_unit.email if case.responsible_unit_id else ""]
    )
    subject = _("New e-mail on case %(number)s from %(sender)s") % {
        "number": case.number,
        "sender": parsed.sender_email or _("an unknown sender"),
    }
    body, html = email_render(
        template="message",
        context={
            "subject": subject,
            "paragraphs": [subject],
            "quote": text,
            "facts": case_facts(case, staff=True),
            "link": case_staff_link(case),
            "link_intro": _("Open the case:"),
            "link_label": case.number,
        },
    )
    notification_queue(
        key=f"email:{inbound.pk}:staff",
        recipients=recipients,
        subject=subject,
        text=body,
        html=html,
        case=case,
    )


def _attachments_keep(inbound: InboundEmail, parsed: ParsedEmail, stored: list[str]) -> None:
    folder = f"email/{inbound.received_at:%Y/%m}/{inbound.pk}"
    for attachment in parsed.attachments:
        if attachment.content_type in PHOTO_TYPES:
            try:
                with transaction.atomic():
                    photo = case_attachment_add(
                        case=inbound.case,
                        actor=CITIZEN,
                        upload=ContentFile(attachment.data),
                        filename=attachment.filename,
                        public=False,
                    )
                stored += [photo.image.name, photo.thumbnail.name]
                continue
            except ApplicationError:
                pass  # not a photo we can read, or too big: kept as sent below
        safe = re.sub(r"[^\w.-]+", "_", attachment.filename).strip("._")[-100:] or "attachment"
        name = default_storage.save(f"{folder}/{safe}", ContentFile(attachment.data))
        stored.append(name)
        InboundFile.objects.create(
            email=inbound,
            file=name,
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=len(attachment.data),
        )
