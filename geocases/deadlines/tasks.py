"""Celery tasks of the deadlines: thin wrappers around the services."""

from celery import shared_task
from django.utils import timezone

from geocases.deadlines.followup import followups_send
from geocases.deadlines.reminders import reminders_send


@shared_task(acks_late=True)
def deadline_reminders() -> dict[str, int]:
    return reminders_send(now=timezone.now())


@shared_task(acks_late=True)
def daily_followup() -> int:
    return followups_send(now=timezone.now())
