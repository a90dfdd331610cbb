"""Celery tasks of the e-mail intake: thin wrappers around the services."""

from pathlib import Path

from celery import shared_task
from django.conf import settings

from geocases.intake.mailbox import maildir_read


@shared_task(acks_late=True)
def email_intake_poll() -> int:
    """Read the configured Maildir, if any; returns how many messages were taken."""
    if not settings.GEOCASES_EMAIL_INTAKE_MAILDIR:
        return 0
    return len(maildir_read(path=Path(settings.GEOCASES_EMAIL_INTAKE_MAILDIR)).received)
