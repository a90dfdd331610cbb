"""Queueing notifications in the outbox and delivering them, once each."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now
from django.utils import timezone

from geocases.core.db import row_insert_unless_present
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
    notification = Notification(
        key=key[:200],
        recipients=recipients,
        subject=subject[:300],
        body_text=text,
        body_html=html,
        case=case,
    )
    if not row_insert_unless_present(notification, unique="key"):
        return Notification.objects.get(key=notification.key)
    transaction.on_commit(lambda: _hand_to_worker(notification.pk))
    return notification


def notification_replace_unsent(*, key: str, subject: str, text: str, html: str = "") -> bool:
    """Put this message in place of the one waiting under ``key`` (a receipt
    written in this same transaction, say), so that one message goes out
    instead of two that contradict each other. False when none waits there
    any more (it is being sent or was sent): queue the message on its own."""
    replaced = Notification.objects.filter(key=key[:200], status=NotificationStatus.PENDING).update(
        subject=subject[:300], body_text=text, body_html=html
    )
    return bool(replaced)


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
    """Send one pending notification; True if it was sent now.

    The row is first claimed — marked "sending" in a transaction of its own —
    so that no other worker takes it while this one talks to the mail server,
    however long that takes; then marked "sent", or back to pending with the
    error (which is raised, so the task retries with backoff; after
    ``MAX_ATTEMPTS`` it is given up). Should the database be away when the
    outcome is to be written, that is tried again rather than forgotten: a
    message that went out must not be sent twice. A row left "sending" by a
    worker that died is sent again by the sweep after ``OUTBOX_RECLAIM_SECONDS``.
    """
    claimed = time.monotonic()
    notification = _notification_claim(notification_id)
    if notification is None:
        return False
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
        gave_up = notification.attempts >= MAX_ATTEMPTS
        _notification_record(
            notification,
            claimed,
            status=NotificationStatus.FAILED if gave_up else NotificationStatus.PENDING,
            last_error=str(error)[:2000],
        )
        raise
    _notification_record(notification, claimed, status=NotificationStatus.SENT, sent_at=Now())
    return True


def _notification_claim(notification_id: int) -> Notification | None:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=NotificationStatus.PENDING)
            .annotate(database_now=Now())  # the sweep's clock: workers' clocks may differ
            .first()
        )
        if notification is None:
            return None
        notification.attempts += 1
        notification.status = NotificationStatus.SENDING
        notification.claimed_at = notification.database_now
        notification.save(update_fields=["attempts", "status", "claimed_at"])
    return notification


def _notification_record(notification: Notification, claimed: float, **outcome) -> None:
    """Write how sending went — only while the row is still this worker's
    claim — waiting out a database restart until half the reclaim time
    after the claim (later the sweep may take the row to send again)."""
    deadline = claimed + settings.GEOCASES_OUTBOX_RECLAIM.total_seconds() / 2
    ours = Notification.objects.filter(
        pk=notification.pk, status=NotificationStatus.SENDING, claimed_at=notification.claimed_at
    )
    pause = 0.5
    while True:
        try:
            if not ours.update(**outcome):
                logger.warning(
                    "outbox: notification %s was taken back before it could be recorded %s",
                    notification.pk,
                    outcome["status"],
                )
            return
        except (OperationalError, InterfaceError):
            # Inside a caller's transaction a lost connection cannot be replaced.
            if connection.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            logger.warning(
                "outbox: notification %s: cannot record %s yet, the database is away",
                notification.pk,
                outcome["status"],
            )
            connection.close()  # a new connection on the next try
            time.sleep(pause)
            pause = min(pause * 2, 10)


def notifications_sweep(*, older_than: dt.timedelta = dt.timedelta(minutes=1)) -> int:
    """Send what is still waiting (Redis or the mail server was down), and
    again what a vanished worker had taken; returns how many were sent."""
    vanished = Notification.objects.filter(
        status=NotificationStatus.SENDING,
        claimed_at__lte=ExpressionWrapper(
            Now() - Value(settings.GEOCASES_OUTBOX_RECLAIM), output_field=DateTimeField()
        ),
    )
    # One that took its worker down each time is given up, not sent forever.
    vanished.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=NotificationStatus.FAILED, last_error="its worker vanished while sending, each time"
    )
    again = vanished.update(status=NotificationStatus.PENDING)
    if again:
        logger.warning(
            "outbox: %s notification(s) taken to send by a worker that vanished; sending again",
            again,
        )
    cutoff = timezone.now() - older_than
    # After a failed attempt the next waits 1, 2, 4 … minutes, at most an
    # hour, as the task's own retries do: MAX_ATTEMPTS last about four hours
    # of a mail server being down, not ten sweeps.
    rested = Q(claimed_at__isnull=True) | Q(
        RawSQL(
            # statement_timestamp(), as Django's Now() that set claimed_at.
            "claimed_at <= statement_timestamp() "
            "- least(interval '1 minute' * power(2, attempts - 1), interval '1 hour')",
            [],
            output_field=BooleanField(),
        )
    )
    waiting = (
        Notification.objects.filter(status=NotificationStatus.PENDING, created_at__lte=cutoff)
        .filter(rested)
        .values_list("pk", flat=True)
    )
    sent = 0
    for notification_id in list(waiting[:500]):
        try:
            sent += notification_deliver(notification_id=notification_id)
        except Exception:  # noqa: S112 - recorded on the row; the next sweep tries again
            continue
    return sent
