"""Celery tasks of the insights: thin wrappers around the services."""

from celery import shared_task

from geocases.insights.services import cells_fold


@shared_task(acks_late=True)
def cells_fold_task() -> bool:
    return cells_fold()
