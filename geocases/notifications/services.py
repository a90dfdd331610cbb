"""Queueing notifications in the outbox and delivering them, once each."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from geocases.notifications.models import Notification, NotificationStatus

MAX_ATTEMPTS = 10
logger = logging.getLogger(__name__)


def notification_queue(
    *, key: str, recipients: list[str], subject: str, text: str, html: str = "", case=None
) -> Notification | None:
    """Put a message in the outbox, in the caller's transaction, and hand it
    to a worker once that commits. A key already queued is not queued again.
    Returns the notification (None when there is nobody to send to)."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return None
    notification, created = Notification.objects.get_or_create(
        key=key[:200],
        defaults={
            "recipients": recipients,
            "subject": subject[:300],
            "body_text": text,
            "body_html": html,
            "case": case,
        },
    )
    if created:
        transaction.on_commit(lambda: _hand_to_worker(notification.pk))
    return notification


def _hand_to_worker(notification_id: int) -> None:
    from geocases.notifications.tasks import notification_send

    try:
        notification_send.delay(notification_id)
    except Exception:  # the broker is down: the sweep sends it later
        logger.warning(
            "outbox: notification %s not handed to a worker; the sweep will send it",
            notification_id,
            exc_info=True,
        )


def notification_message_id(notification: Notification) -> str:
    """The same Message-ID every time this notification is sent: should a
    worker die after the mail server took a message but before the row says
    so, the second copy is recognisably the same message (mail systems drop
    such duplicates), and the load drills count deliveries by it."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:16]
    return f"<notification.{notification.pk}.{digest}@{domain}>"


def notification_deliver(*, notification_id: int) -> bool:
    """Send one pending notification; True if it was sent now. Two workers
    never send the same one: the row is locked, and a sent row is skipped.
    A failure is recorded on the row, then raised so the task retries with
    backoff; after ``MAX_ATTEMPTS`` the notification is given up."""
    failure: Exception | None = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=NotificationStatus.PENDING)
            .first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        message = EmailMultiAlternatives(
            notification.subject,
            notification.body_text,
            settings.DEFAULT_FROM_EMAIL,
            notification.recipients,
            headers={
                # RFC 3834: no out-of-office should answer us, starting a loop.
                "Auto-Submitted": "auto-generated",
                "Message-ID": notification_message_id(notification),
            },
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        try:
            message.send()
        except Exception as error:
            failure = error
            notification.last_error = str(error)[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
        else:
            notification.status, notification.sent_at = NotificationStatus.SENT, timezone.now()
            notification.save(update_fields=["attempts", "status", "sent_at"])
    if failure is not None:
        raise failure
    return True


def notifications_sweep(*, older_than: dt.timedelta = dt.timedelta(minutes=1)) -> int:
    """Send what is still waiting (Redis or the mail server was down); returns
    how many were sent."""
    cutoff = timezone.now() - older_than
    waiting = Notification.objects.filter(
        status=NotificationStatus.PENDING, created_at__lte=cutoff
    ).values_list("pk", flat=True)
    sent = 0
    for notification_id in list(waiting[:500]):
        try:
            sent += notification_deliver(notification_id=notification_id)
        except Exception:  # noqa: S112 - recorded on the row; the next sweep tries again
            continue
    return sent
