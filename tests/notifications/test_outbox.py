"""The outbox: written with the change, sent once after the commit, kept
when the broker or the mail server is down and sent by the sweep later."""

import datetime as dt
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from geocases.celery import app
from geocases.notifications.models import Notification
from geocases.notifications.services import (
    MAX_ATTEMPTS,
    notification_deliver,
    notification_queue,
    notifications_sweep,
)

MESSAGE = {"recipients": ["anna@example.org"], "subject": "Ditt ärende", "text": "Hej"}


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server does not answer")


@pytest.mark.django_db
def test_a_key_is_queued_once_and_sent_once():
    first = notification_queue(key="case:1:registered", **MESSAGE)
    again = notification_queue(key="case:1:registered", **MESSAGE)
    assert first.pk == again.pk and Notification.objects.count() == 1
    assert notification_deliver(notification_id=first.pk) is True
    assert notification_deliver(notification_id=first.pk) is False
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@example.org"]
    assert Notification.objects.get().status == "sent"


@pytest.mark.django_db
def test_a_notification_sent_again_carries_the_same_message_id(settings):
    settings.DEFAULT_FROM_EMAIL = "Stockholms stad <noreply@stad.example.se>"
    first = notification_queue(key="case:1:receipt", **MESSAGE)
    other = notification_queue(key="case:2:receipt", **MESSAGE)
    notification_deliver(notification_id=first.pk)
    Notification.objects.filter(pk=first.pk).update(status="pending")  # as if never recorded
    notification_deliver(notification_id=first.pk)
    notification_deliver(notification_id=other.pk)
    ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert ids[0] == ids[1] != ids[2]
    assert ids[0].startswith(f"<notification.{first.pk}.") and ids[0].endswith("@stad.example.se>")
    assert "Message-ID: " + ids[0] in mail.outbox[0].message().as_string()


@pytest.mark.django_db
def test_nobody_to_send_to_queues_nothing():
    assert notification_queue(key="x", recipients=["", None], subject="s", text="t") is None
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_mail_server_failure_is_recorded_retried_and_finally_given_up(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.BrokenBackend"
    notification = notification_queue(key="k", **MESSAGE)
    with pytest.raises(ConnectionRefusedError):
        notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("pending", 1)
    assert "does not answer" in notification.last_error
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(ConnectionRefusedError):
            notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == "failed"


@pytest.fixture
def broker_down(closed_port):
    """The broker URL pointed at a closed port, then restored."""
    real = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{closed_port}/0"
    _forget_connections()
    try:
        yield
    finally:
        app.conf.broker_url = real
        _forget_connections()


def _forget_connections() -> None:
    """Drop the pooled broker connections and the producers made on them."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_nothing_is_lost_and_the_sweep_sends_it(broker_down):
    started = time.monotonic()
    with transaction.atomic():
        notification = notification_queue(key="case:2:registered", **MESSAGE)
    assert time.monotonic() - started < 10  # the request is not held up for long
    assert Notification.objects.get(pk=notification.pk).status == "pending"
    assert not mail.outbox

    assert notifications_sweep(older_than=dt.timedelta(0)) == 1
    assert len(mail.outbox) == 1
    assert notifications_sweep(older_than=dt.timedelta(0)) == 0  # once


@pytest.fixture
def celery_worker():
    queue = f"test-{uuid.uuid4().hex}"
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, queues=[queue], perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_default_queue = default_queue


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_it_after_the_commit(celery_worker):
    with transaction.atomic():
        notification = notification_queue(key="case:3:registered", **MESSAGE)
        time.sleep(0.5)
        assert not mail.outbox  # not before the commit
    for _ in range(100):
        if Notification.objects.get(pk=notification.pk).status == "sent":
            break
        time.sleep(0.1)
    assert Notification.objects.get(pk=notification.pk).status == "sent"
    assert len(mail.outbox) == 1
