"""Celery tasks of privacy: thin wrappers around the services."""

from celery import shared_task

from geocases.privacy.retention import retention_run


@shared_task(acks_late=True)
def retention_run_task() -> dict:
    """Daily. Safe to run twice: anonymised cases are not picked again."""
    return retention_run().as_dict()
