"""Celery tasks of the outbox: thin wrappers around the services."""

from celery import shared_task

from geocases.notifications.services import notification_deliver, notifications_sweep


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def notification_send(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)


@shared_task(acks_late=True)
def notification_sweep() -> int:
    return notifications_sweep()
