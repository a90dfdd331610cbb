"""The outbox: written with the change, sent once after the commit, kept
when the broker or the mail server is down and sent by the sweep later."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections, transaction
from django.utils import timezone

from geocases.notifications.models import Notification
from geocases.notifications.services import (
    MAX_ATTEMPTS,
    notification_deliver,
    notification_message_id,
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


class WatchingBackend(BaseEmailBackend):
    """Sends to ``mail.outbox`` and calls ``during`` while it is sending."""

    during = None

    def send_messages(self, messages):
        if WatchingBackend.during:
            WatchingBackend.during(messages)
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def watching(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.WatchingBackend"
    yield WatchingBackend
    WatchingBackend.during = None


@pytest.mark.django_db
def test_while_one_worker_sends_no_other_takes_it(watching):
    notification = notification_queue(key="case:1:receipt", **MESSAGE)
    seen = []

    def another_worker(_messages):
        seen.append(Notification.objects.get(pk=notification.pk).status)
        seen.append(notification_deliver(notification_id=notification.pk))
        seen.append(notifications_sweep(older_than=dt.timedelta(0)))

    watching.during = another_worker
    assert notification_deliver(notification_id=notification.pk) is True
    assert seen == ["sending", False, 0]
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)


@pytest.mark.django_db(transaction=True)
def test_sent_is_recorded_when_the_database_drops_the_connection_during_the_send(watching, caplog):
    """A database restart while the mail server has the message: the worker
    records "sent" on a new connection instead of leaving it to be sent again."""
    notification = notification_queue(key="case:1:receipt", **MESSAGE)

    def database_restarts(_messages):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()

    watching.during = database_restarts
    assert notification_deliver(notification_id=notification.pk) is True
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.sent_at
    assert notifications_sweep(older_than=dt.timedelta(0)) == 0
    assert len(mail.outbox) == 1
    assert "cannot record sent yet" in caplog.text


@pytest.mark.django_db
def test_what_a_vanished_worker_took_is_sent_again_after_the_reclaim_time(settings):
    settings.GEOCASES_OUTBOX_RECLAIM = dt.timedelta(minutes=10)
    vanished = notification_queue(key="case:1:receipt", **MESSAGE)
    busy = notification_queue(key="case:2:receipt", **MESSAGE)
    now = timezone.now()
    Notification.objects.filter(pk=vanished.pk).update(
        status="sending", attempts=1, claimed_at=now - dt.timedelta(minutes=11)
    )
    Notification.objects.filter(pk=busy.pk).update(
        status="sending", attempts=1, claimed_at=now - dt.timedelta(minutes=9)
    )
    assert notifications_sweep(older_than=dt.timedelta(0)) == 1
    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [
        notification_message_id(vanished)
    ]
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert statuses == {vanished.pk: "sent", busy.pk: "sending"}


@pytest.mark.django_db
def test_a_worker_that_overran_does_not_overwrite_the_next_claim(watching, caplog):
    notification = notification_queue(key="case:1:receipt", **MESSAGE)

    def taken_back_meanwhile(_messages):  # the sweep reclaimed it and another worker took it
        Notification.objects.filter(pk=notification.pk).update(
            claimed_at=timezone.now() + dt.timedelta(seconds=1)
        )

    watching.during = taken_back_meanwhile
    assert notification_deliver(notification_id=notification.pk) is True
    assert Notification.objects.get(pk=notification.pk).status == "sending"  # the other's
    assert "taken back before it could be recorded" in caplog.text


@pytest.mark.django_db
def test_one_that_takes_its_worker_down_every_time_is_given_up(settings):
    settings.GEOCASES_OUTBOX_RECLAIM = dt.timedelta(minutes=10)
    notification = notification_queue(key="case:1:receipt", **MESSAGE)
    Notification.objects.filter(pk=notification.pk).update(
        status="sending",
        attempts=MAX_ATTEMPTS,
        claimed_at=timezone.now() - dt.timedelta(minutes=11),
    )
    assert notifications_sweep(older_than=dt.timedelta(0)) == 0
    notification.refresh_from_db()
    assert notification.status == "failed" and "vanished" in notification.last_error
    assert not mail.outbox


@pytest.mark.django_db
def test_the_sweep_waits_longer_after_each_failed_attempt():
    notification = notification_queue(key="case:1:receipt", **MESSAGE)
    waited = {}
    for attempts, minutes in [(1, 1), (2, 2), (4, 8), (7, 60), (9, 60)]:
        Notification.objects.filter(pk=notification.pk).update(
            attempts=attempts, claimed_at=timezone.now() - dt.timedelta(minutes=minutes, seconds=-5)
        )
        early = notifications_sweep(older_than=dt.timedelta(0))
        Notification.objects.filter(pk=notification.pk).update(
            claimed_at=timezone.now() - dt.timedelta(minutes=minutes, seconds=5)
        )
        waited[attempts] = (early, notifications_sweep(older_than=dt.timedelta(0)))
        Notification.objects.filter(pk=notification.pk).update(status="pending")
    assert waited == {1: (0, 1), 2: (0, 1), 4: (0, 1), 7: (0, 1), 9: (0, 1)}


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
