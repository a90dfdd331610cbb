"""A case's clocks with a frozen clock: counted in business time, paused while
parked, started afresh when reopened."""

import datetime as dt

import pytest
import time_machine

from geocases.cases.actors import SYSTEM
from geocases.cases.services import case_create, case_transition
from tests.clock import H, at
from tests.factories import CategoryFactory, staff_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return CategoryFactory(
        place_kind="none", acknowledge_within=2 * H, feedback_within=8 * H, resolve_within=16 * H
    )


def test_deadlines_are_set_in_business_time(category):
    with time_machine.travel(at("2026-11-25 09:00"), tick=False):  # a Wednesday
        case = case_create(actor=SYSTEM, channel="phone", category=category)
    assert case.acknowledge_by == at("2026-11-25 11:00")
    assert case.feedback_by == at("2026-11-25 17:00")
    assert case.resolve_by == at("2026-11-26 16:00")


def test_parking_pauses_the_clocks(category):
    agent = staff_actor("agent")
    with time_machine.travel(at("2026-11-25 09:00"), tick=False):
        case = case_create(actor=SYSTEM, channel="phone", category=category)
    with time_machine.travel(at("2026-11-25 10:00"), tick=False):  # 1 h used of 2 to acknowledge
        case_transition(
            case=case,
            actor=agent,
            to="parked",
            follow_up_date=dt.date(2026, 11, 30),
            reason="Väntar på svar",
        )
    with time_machine.travel(at("2026-11-30 10:00"), tick=False):  # the next Monday
        case_transition(case=case, actor=SYSTEM, to="new")
    case.refresh_from_db()
    assert case.acknowledge_by == at("2026-11-30 11:00")  # the hour it had left
    assert case.feedback_by == at("2026-11-30 17:00")  # 7 h left
    assert case.resolve_by == at("2026-12-01 16:00")  # 15 h left
    assert case.parked_at is None


def test_a_deadline_already_passed_when_parked_stays_passed(category):
    agent = staff_actor("agent")
    with time_machine.travel(at("2026-11-25 09:00"), tick=False):
        case = case_create(actor=SYSTEM, channel="phone", category=category)
    with time_machine.travel(at("2026-11-25 12:00"), tick=False):
        case_transition(
            case=case, actor=agent, to="parked", follow_up_date=dt.date(2026, 11, 30), reason="x"
        )
    with time_machine.travel(at("2026-11-30 10:00"), tick=False):
        case_transition(case=case, actor=SYSTEM, to="new")
    case.refresh_from_db()
    assert case.acknowledge_by == at("2026-11-25 11:00")


def test_reopening_starts_fresh_clocks(category):
    with time_machine.travel(at("2026-11-25 09:00"), tick=False):
        case = case_create(actor=SYSTEM, channel="phone", category=category)
    case.__class__.objects.filter(pk=case.pk).update(
        status="resolved",
        resolved_at=at("2026-11-26 10:00"),
        acknowledged_at=at("2026-11-25 10:00"),
    )
    case.refresh_from_db()
    with time_machine.travel(at("2026-12-02 14:00"), tick=False):
        case_transition(case=case, actor=staff_actor("agent"), to="reopened", reason="Inte klart")
    case.refresh_from_db()
    assert case.acknowledged_at is None
    assert case.acknowledge_by == at("2026-12-02 16:00")
    assert case.resolve_by == at("2026-12-04 12:00")


def test_the_contract_of_the_routed_area_overrides_the_category(category):
    from geocases.cases.models import Case
    from tests.factories import ContractorFactory, ServiceAreaFactory, square

    category.place_kind = "point"
    category.save()
    ServiceAreaFactory(
        unit=ContractorFactory(),
        categories=[category],
        geometry=square(18.0, 59.3, 0.1),
        resolve_within=4 * H,
    )
    from django.contrib.gis.geos import Point

    with time_machine.travel(at("2026-11-25 09:00"), tick=False):
        case = case_create(
            actor=SYSTEM, channel="web", category=category, location=Point(18.05, 59.35, srid=4326)
        )
    case = Case.objects.get(pk=case.pk)
    assert case.resolve_by == at("2026-11-25 13:00")  # the contract's 4 h
    assert case.acknowledge_by == at("2026-11-25 11:00")  # the category's 2 h
