"""Celery tasks of the core: thin wrappers around its services."""

from celery import shared_task
from django.conf import settings

from geocases.core.idempotency import idempotency_prune


@shared_task(acks_late=True, ignore_result=True)
def idempotency_prune_task() -> int:
    return idempotency_prune(days=settings.GEOCASES_IDEMPOTENCY_DAYS)
