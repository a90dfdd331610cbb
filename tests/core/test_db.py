import threading
import time

import pytest
from django.db import connection, transaction

from geocases.cases.models import Case
from geocases.core.db import execute_prepared, row_insert_unless_present
from geocases.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

SQL = "SELECT %(a)s + %(b)s, %(b)s"
TYPES = {"a": "int", "b": "int"}


def prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_prepared_once_per_session_and_again_after_a_reconnect():
    for a in (1, 2):
        with connection.cursor() as cursor:
            execute_prepared(cursor, "geocases_test_sum", SQL, {"a": a, "b": 40}, TYPES)
            assert cursor.fetchone() == (a + 40, 40)
    assert "geocases_test_sum" in prepared_names()

    connection.close()
    with connection.cursor() as cursor:
        execute_prepared(cursor, "geocases_test_sum", SQL, {"a": 5, "b": 1}, TYPES)
        assert cursor.fetchone() == (6, 1)


def test_a_rolled_back_transaction_keeps_the_statement():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        with connection.cursor() as cursor:
            execute_prepared(cursor, "geocases_test_rollback", SQL, {"a": 1, "b": 1}, TYPES)
        raise RuntimeError
    with connection.cursor() as cursor:
        execute_prepared(cursor, "geocases_test_rollback", SQL, {"a": 2, "b": 2}, TYPES)
        assert cursor.fetchone() == (4, 2)


def message(subject: str = "Tack") -> Notification:
    return Notification(
        key="case:1:receipt", recipients=["anna@example.org"], subject=subject, body_text="t"
    )


def test_a_row_is_inserted_as_save_would_write_it():
    notification = message()
    assert row_insert_unless_present(notification, unique="key") is True
    assert notification.pk is not None and not notification._state.adding
    stored = Notification.objects.get()
    assert stored.pk == notification.pk
    assert stored.recipients == ["anna@example.org"]  # JSON, not a string
    assert (stored.status, stored.attempts, stored.last_error) == ("pending", 0, "")
    assert stored.created_at is not None and stored.case_id is None


def test_a_value_present_writes_nothing():
    row_insert_unless_present(message(), unique="key")
    again = message(subject="Another")
    assert row_insert_unless_present(again, unique="key") is False
    assert again.pk is None
    assert list(Notification.objects.values_list("subject", flat=True)) == ["Tack"]


def test_what_it_cannot_write_as_save_would_is_refused():
    given_key = message()
    given_key.pk = 7
    with pytest.raises(TypeError, match="automatic key"):
        row_insert_unless_present(given_key, unique="key")
    unsaved_case = message()
    unsaved_case.case = Case(number="2026-000001")
    with pytest.raises(ValueError, match="unsaved related object"):
        row_insert_unless_present(unsaved_case, unique="key")
    assert not Notification.objects.exists()


def test_an_uncommitted_insert_of_the_same_value_is_waited_for_then_present():
    inserted, release = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                outcome["first"] = row_insert_unless_present(message(), unique="key")
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    def second():
        try:
            outcome["second"] = row_insert_unless_present(message("Twice"), unique="key")
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert inserted.wait(10)
    threads[1].start()
    time.sleep(0.3)
    assert "second" not in outcome  # waiting on the first transaction's row
    release.set()
    for thread in threads:
        thread.join(10)
    assert outcome == {"first": True, "second": False}
    assert list(Notification.objects.values_list("subject", flat=True)) == ["Tack"]
