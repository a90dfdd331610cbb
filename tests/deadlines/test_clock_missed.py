"""``clock_missed_sql`` — what set-based counting (the planners' statistics)
takes as a missed deadline — says what the clocks themselves say: late as
``Case.objects.overdue`` counts it while a case is open, a stopped clock
not late while parked and late again when it resumes as
``deadlines_resumed`` leaves it, no clock left on a closed duplicate."""

import datetime as dt

import pytest
import time_machine
from django.db import connection

from geocases.cases.actors import SYSTEM
from geocases.cases.models import Case
from geocases.cases.services import case_create, case_merge, case_transition
from geocases.deadlines.rules import CLOCKS, clock_missed_sql
from tests.clock import H, at
from tests.factories import CategoryFactory, staff_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return CategoryFactory(
        place_kind="none", acknowledge_within=2 * H, feedback_within=8 * H, resolve_within=16 * H
    )


def missed(case, now: dt.datetime) -> set[str]:
    """The clocks the SQL takes as missed at ``now``."""
    columns = ", ".join(
        f"coalesce({clock_missed_sql('c', deadline, met, '%(now)s')}, false)"
        for deadline, _target, met in CLOCKS
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM cases_case c WHERE c.id = %(id)s",  # noqa: S608 - fixed
            {"now": now, "id": case.pk},
        )
        flags = cursor.fetchone()
    return {deadline for (deadline, _t, _m), flag in zip(CLOCKS, flags, strict=True) if flag}


def late(case, now: dt.datetime) -> set[str]:
    """The clocks the deadlines app calls late at ``now``, if the case is overdue."""
    if not Case.objects.overdue(now).filter(pk=case.pk).exists():
        return set()
    row = Case.objects.with_deadlines(now).get(pk=case.pk)
    return {deadline for deadline, _t, _m in CLOCKS if getattr(row, f"{deadline}_late")}


def make(category):
    with time_machine.travel(at("2026-11-25 09:00"), tick=False):  # a Wednesday
        return case_create(actor=SYSTEM, channel="web", category=category)


def park(case, when: str):
    with time_machine.travel(at(when), tick=False):
        case_transition(
            case=case,
            actor=staff_actor("agent"),
            to="parked",
            follow_up_date=dt.date(2026, 11, 30),
            reason="Väntar på svar",
        )


def back(case, when: str):
    with time_machine.travel(at(when), tick=False):
        case_transition(case=case, actor=SYSTEM, to="assigned")


@pytest.mark.parametrize("when", ["2026-11-25 10:00", "2026-11-25 12:00", "2026-11-27 12:00"])
def test_an_open_case_misses_what_overdue_calls_late(category, when):
    case = make(category)
    assert missed(case, at(when)) == late(case, at(when))
    assert missed(case, at("2026-11-27 12:00")) == {"acknowledge_by", "feedback_by", "resolve_by"}


def test_a_clock_stopped_before_its_deadline_is_not_missed_until_it_resumes_and_passes(category):
    case = make(category)
    park(case, "2026-11-25 10:00")  # 1 h of 2 left to acknowledge
    assert missed(case, at("2026-11-30 09:00")) == set()
    back(case, "2026-11-30 09:30")
    for when in ("2026-11-30 10:00", "2026-11-30 10:31", "2026-12-01 12:00"):
        assert missed(case, at(when)) == late(case, at(when))
    assert missed(case, at("2026-11-30 10:31")) == {"acknowledge_by"}


def test_a_deadline_passed_before_parking_is_missed_while_parked_and_after(category):
    case = make(category)
    park(case, "2026-11-25 12:00")  # an hour after acknowledging was due
    assert missed(case, at("2026-11-30 09:00")) == {"acknowledge_by"}
    back(case, "2026-11-30 09:30")
    assert late(case, at("2026-11-30 09:31")) == {"acknowledge_by"}  # it stayed passed


def test_a_case_closed_as_a_duplicate_has_no_clock_left(category):
    case = make(category)
    with time_machine.travel(at("2026-11-25 12:00"), tick=False):
        case_merge(duplicate=case, into=make(category), actor=staff_actor("agent"))
    assert missed(case, at("2026-12-10 12:00")) == set() == late(case, at("2026-12-10 12:00"))
