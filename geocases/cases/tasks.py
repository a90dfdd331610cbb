"""Celery tasks of cases: thin wrappers around the services."""

from celery import shared_task
from django.utils import timezone

from geocases.cases.numbers import case_numbers_prepare


@shared_task(acks_late=True)
def case_numbers_prepare_task() -> None:
    """This year's and next year's case-number sequences, made ahead."""
    year = timezone.localdate().year
    case_numbers_prepare(year=year)
    case_numbers_prepare(year=year + 1)
