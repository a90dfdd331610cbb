import pytest
from django.db import transaction

from geocases.core.errors import ApplicationError
from geocases.core.idempotency import idempotency_claim, idempotency_result, idempotent_write

pytestmark = pytest.mark.django_db


def test_a_key_is_claimed_once_per_scope():
    assert idempotency_claim(scope="a", key="key-00000001") is True
    assert idempotency_claim(scope="a", key="key-00000001") is False
    assert idempotency_claim(scope="b", key="key-00000001") is True


def test_a_claim_rolls_back_with_a_failed_write():
    with pytest.raises(RuntimeError), transaction.atomic():
        idempotency_claim(scope="a", key="key-00000002")
        raise RuntimeError
    assert idempotency_claim(scope="a", key="key-00000002") is True


@pytest.mark.parametrize("key", ["short", "x" * 101, "has space 123", "semi;colon123"])
def test_odd_keys_are_refused(key):
    with pytest.raises(ApplicationError):
        idempotency_claim(scope="a", key=key)


def test_old_keys_are_forgotten():
    import datetime as dt

    import time_machine

    from geocases.core.idempotency import idempotency_prune
    from geocases.core.models import IdempotencyKey

    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)):
        idempotency_claim(scope="a", key="key-00000009")
    idempotency_claim(scope="a", key="key-00000010")
    assert idempotency_prune(days=7) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["key-00000010"]


def test_what_was_kept_is_found_for_the_same_request_only():
    assert idempotency_result(scope="s", key="key-00000001", fingerprint="f") is None
    idempotent_write(scope="s", key="key-00000001", fingerprint="f", write=lambda: {"case": 7})
    assert idempotency_result(scope="s", key="key-00000001", fingerprint="f") == {"case": 7}
    assert idempotency_result(scope="s", key="key-00000001", fingerprint="other") is None
    assert idempotency_result(scope="t", key="key-00000001", fingerprint="f") is None
