"""Celery tasks of routing: thin wrappers around the services."""

from celery import shared_task

from geocases.routing.services import reroute_daily, reroute_run_execute, reroute_sweep


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def reroute_run(run_id: int) -> None:
    """Re-route the open cases for a requested run (see ``reroute_request``)."""
    reroute_run_execute(run_id=run_id)


@shared_task
def reroute_sweep_task() -> int:
    """Runs left queued (the broker was down when they were asked for)."""
    return reroute_sweep()


@shared_task(acks_late=True)
def reroute_daily_task() -> None:
    """Validity periods and seasons of service areas taken into effect (daily)."""
    reroute_daily()
