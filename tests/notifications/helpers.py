from geocases.notifications.models import Notification
from geocases.notifications.services import notification_deliver


def outbox_deliver() -> int:
    """Send what waits in the outbox, as a worker would."""
    pending = Notification.objects.filter(status="pending").values_list("pk", flat=True)
    return sum(notification_deliver(notification_id=pk) for pk in list(pending))
