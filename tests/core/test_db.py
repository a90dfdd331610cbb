import pytest
from django.db import connection

from geocases.core.db import execute_prepared

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
