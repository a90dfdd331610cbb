"""The load test's verification fails loudly: a lost or doubled case, a
missing history entry, an unsent or twice-received notification."""

from collections import Counter
from types import SimpleNamespace

import pytest

from bench.loadtest.verify import Verification, notifications_verify, reports_verify
from geocases.cases.actors import SYSTEM
from geocases.cases.services import case_create
from geocases.notifications.models import Notification
from geocases.notifications.services import notification_deliver, notification_message_id
from tests.factories import CategoryFactory

FOUND, LOST, DOUBLED, REFUSED = ("load-" + c * 32 for c in "abcd")


def _report(marker: str, status: int = 201) -> dict:
    return {"kind": "api", "marker": marker, "status": status, "at": 0.0}


def _case(category, marker: str):
    return case_create(
        actor=SYSTEM,
        channel="web",
        category=category,
        description=f"[{marker}] Det är halt.",
        reporter_email=f"{marker}@example.org",
    )


@pytest.mark.django_db(transaction=True)
def test_every_accepted_report_found_once_passes():
    category = CategoryFactory()
    _case(category, FOUND)
    result = Verification()
    reports_verify([_report(FOUND), _report(REFUSED, 503)], result)
    assert result.problems == []
    assert result.figures["accepted reports found exactly once"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_lost_and_a_doubled_report_fail():
    category = CategoryFactory()
    _case(category, FOUND)
    _case(category, DOUBLED)
    _case(category, DOUBLED)
    result = Verification()
    reports_verify([_report(FOUND), _report(LOST), _report(DOUBLED)], result)
    assert any(p.startswith("LOST: accepted reports with no case: 1") for p in result.problems)
    assert any(
        p.startswith("DOUBLED: reports that made more than one case: 1") for p in result.problems
    )


@pytest.mark.django_db(transaction=True)
def test_a_case_without_its_history_or_receipt_fails():
    case = _case(CategoryFactory(), FOUND)
    Notification.objects.filter(case=case).delete()
    result = Verification()
    reports_verify([_report(FOUND)], result)
    assert any("without their receipt in the outbox" in p for p in result.problems)


@pytest.mark.django_db(transaction=True)
def test_notifications_unsent_or_received_twice_fail():
    case = _case(CategoryFactory(), FOUND)
    sent = Notification.objects.get(case=case)  # the receipt
    waiting = Notification.objects.create(key="k", recipients=["a@example.org"], subject="s")
    notification_deliver(notification_id=sent.pk)
    sent.refresh_from_db()
    mailbox = SimpleNamespace(received=Counter({notification_message_id(sent): 1}))

    result = Verification()
    notifications_verify(mailbox, result)
    assert result.problems == ["UNSENT: notifications still pending or given up: 1 (e.g. k)"]

    waiting.delete()
    mailbox.received[notification_message_id(sent)] += 1
    result = Verification()
    notifications_verify(mailbox, result)
    assert result.problems == [
        f"SENT TWICE: notifications that arrived more than once: 1 (e.g. {sent.pk})"
    ]
