"""Celery tasks of cases: thin wrappers around the services."""

from celery import shared_task
from django.utils import timezone

from geocases.cases.numbers import case_numbers_prepare
from geocases.cases.services.closing import cases_close_resolved


@shared_task(acks_late=True)
def case_numbers_prepare_task() -> None:
    """This year's and next year's case-number sequences, made ahead."""
    year = timezone.localdate().year
    case_numbers_prepare(year=year)
    case_numbers_prepare(year=year + 1)


@shared_task(acks_late=True)
def cases_close_resolved_task() -> int:
    """Resolved cases past the citizen's reopen window closed (daily)."""
    return cases_close_resolved()
