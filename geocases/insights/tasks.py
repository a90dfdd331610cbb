"""Celery tasks of the insights: thin wrappers around the services."""

from celery import shared_task

from geocases.insights.services import cells_fold
from geocases.insights.statistics import statistics_warm, statistics_year

# The dashboard's charted groupings, whose year of durations is kept warm.
WARM_GROUPINGS = ["month", "category", "channel", "district", "unit"]


@shared_task(acks_late=True)
def cells_fold_task() -> bool:
    return cells_fold()


@shared_task(acks_late=True, ignore_result=True)
def statistics_warm_task() -> None:
    statistics_warm(where=statistics_year(), groupings=WARM_GROUPINGS)
