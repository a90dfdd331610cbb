"""Reminders before, at and after a deadline, each sent exactly once."""

import pytest
import time_machine

from geocases.cases.actors import SYSTEM
from geocases.cases.models import Case
from geocases.cases.services import case_create, case_transition
from geocases.deadlines.reminders import reminders_send
from geocases.notifications.models import Notification
from tests.clock import H, at
from tests.factories import CategoryFactory, OrganisationUnitFactory, UserFactory, staff_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    lead = UserFactory(email="chef@example.org")
    unit = OrganisationUnitFactory(email="gata@example.org", lead=lead)
    OrganisationUnitFactory(
        code="kundtjanst", email="kundtjanst@example.org", handles_customer_service=True
    )
    category = CategoryFactory(
        place_kind="none",
        default_unit=unit,
        acknowledge_within=None,
        feedback_within=None,
        resolve_within=8 * H,
    )
    with time_machine.travel(at("2026-11-25 08:00"), tick=False):  # due 16:00 the same day
        return case_create(actor=SYSTEM, channel="phone", category=category)


def reminders(case) -> list[tuple[str, list[str]]]:
    return [
        (n.key.split(":")[3], n.recipients)
        for n in Notification.objects.filter(case=case, key__startswith="reminder:").order_by("pk")
    ]


def test_before_at_and_after_the_deadline_each_once(case):
    assert case.resolve_by == at("2026-11-25 16:00")
    assert reminders_send(now=at("2026-11-25 13:00")) == {"before": 0, "due": 0, "escalated": 0}
    reminders_send(now=at("2026-11-25 14:00"))  # 6 h of 8 gone: 75 %
    reminders_send(now=at("2026-11-25 14:30"))  # again: nothing new
    assert reminders(case) == [("before", ["gata@example.org"])]

    reminders_send(now=at("2026-11-25 16:00"))
    assert reminders(case)[-1] == ("due", ["gata@example.org", "kundtjanst@example.org"])

    reminders_send(now=at("2026-11-26 14:59"))  # not yet 8 office hours past
    assert len(reminders(case)) == 2
    counts = reminders_send(now=at("2026-11-26 15:00"))
    assert counts["escalated"] == 1
    assert reminders(case)[-1] == ("escalated", ["chef@example.org"])
    assert Case.objects.get(pk=case.pk).overdue_since == at("2026-11-26 15:00")

    for _ in range(3):  # a restarted beat runs it again: still once each
        reminders_send(now=at("2026-11-27 09:00"))
    assert len(reminders(case)) == 3


def test_a_met_clock_or_a_closed_case_is_left_alone(case):
    case_transition(case=case, actor=staff_actor("agent"), to="closed", resolution="Klart")
    reminders_send(now=at("2026-11-30 12:00"))
    assert reminders(case) == []
