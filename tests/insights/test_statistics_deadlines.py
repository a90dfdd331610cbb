"""Deadlines in the planners' statistics follow the case's clocks: a case
closed as a duplicate has no deadline left to miss, a parked case's stopped
clocks are not late while it is parked (a deadline already passed when it
was parked stays missed), and the months counted say the same as the cases."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from geocases.cases.actors import SYSTEM
from geocases.cases.services import case_create, case_merge, case_transition
from geocases.insights.services import cells_fold
from geocases.insights.statistics import StatsFilter, case_statistics
from tests.clock import H, at
from tests.factories import CategoryFactory, staff_actor

pytestmark = pytest.mark.django_db

WEDNESDAY = "2026-11-25"  # a working day; the next Monday is 2026-11-30


@pytest.fixture
def category():
    # Acknowledge within 2 office hours, feedback within 8, resolve within 16.
    return CategoryFactory(
        place_kind="none", acknowledge_within=2 * H, feedback_within=8 * H, resolve_within=16 * H
    )


def web_case(category, when: str):
    with time_machine.travel(at(when), tick=False):
        return case_create(actor=SYSTEM, channel="web", category=category)  # assigned at once


def deadlines(category, when: str) -> dict[str, tuple[int, int]]:
    """(met, due) per clock for the category's cases, from the months counted
    and counted from the cases alike (they must agree)."""
    where = StatsFilter(categories=[category.pk])
    with time_machine.travel(at(when), tick=False):
        cells_fold()
        rolled = case_statistics(where=where, by=[])["total"][0]
        live = case_statistics(where=where, by=[], live=True)["total"][0]
    figures = {
        clock: (getattr(rolled, f"{clock}_met"), getattr(rolled, f"{clock}_due"))
        for clock in ("acknowledge", "feedback", "resolve")
    }
    assert figures == {
        clock: (getattr(live, f"{clock}_met"), getattr(live, f"{clock}_due"))
        for clock in ("acknowledge", "feedback", "resolve")
    }
    return figures


def test_a_case_closed_as_a_duplicate_misses_no_deadline(category):
    agent = staff_actor("agent")
    duplicate = web_case(category, f"{WEDNESDAY} 09:00")
    original = web_case(CategoryFactory(place_kind="none"), f"{WEDNESDAY} 09:05")
    # Not acknowledged by 11:00: missed, as long as the case is open.
    assert deadlines(category, f"{WEDNESDAY} 12:00")["acknowledge"] == (0, 1)

    with time_machine.travel(at(f"{WEDNESDAY} 12:30"), tick=False):
        case_merge(duplicate=duplicate, into=original, actor=agent)

    # Neither met nor missed, then or after its other deadlines would have passed.
    assert deadlines(category, f"{WEDNESDAY} 13:00") == {
        "acknowledge": (0, 0),
        "feedback": (0, 0),
        "resolve": (0, 0),
    }
    assert deadlines(category, "2026-12-10 12:00")["resolve"] == (0, 0)


def test_a_duplicate_acknowledged_before_the_merge_still_counts_as_acknowledged(category):
    agent = staff_actor("agent")
    duplicate = web_case(category, f"{WEDNESDAY} 09:00")
    original = web_case(CategoryFactory(place_kind="none"), f"{WEDNESDAY} 09:05")
    with time_machine.travel(at(f"{WEDNESDAY} 10:00"), tick=False):
        case_transition(case=duplicate, actor=agent, to="acknowledged")
    with time_machine.travel(at(f"{WEDNESDAY} 10:30"), tick=False):
        case_merge(duplicate=duplicate, into=original, actor=agent)
    figures = deadlines(category, "2026-12-10 12:00")
    assert figures["acknowledge"] == (1, 1)  # met in time: it happened
    assert figures["feedback"] == (0, 0) and figures["resolve"] == (0, 0)


def test_a_parked_case_is_not_late_while_its_clocks_are_stopped(category):
    agent = staff_actor("agent")
    case = web_case(category, f"{WEDNESDAY} 09:00")
    with time_machine.travel(at(f"{WEDNESDAY} 10:00"), tick=False):  # 1 h of 2 left
        case_transition(
            case=case, actor=agent, to="parked", follow_up_date=dt.date(2026, 11, 30), reason="x"
        )
    # Days later every deadline it had has passed on the calendar: none is missed.
    assert deadlines(category, "2026-11-30 09:00") == {
        "acknowledge": (0, 0),
        "feedback": (0, 0),
        "resolve": (0, 0),
    }
    with time_machine.travel(at("2026-11-30 09:30"), tick=False):  # back: 1 h left
        case_transition(case=case, actor=SYSTEM, to="assigned")
    assert deadlines(category, "2026-11-30 10:00")["acknowledge"] == (0, 0)
    assert deadlines(category, "2026-11-30 10:31")["acknowledge"] == (0, 1)


def test_a_deadline_passed_before_parking_stays_missed_while_parked(category):
    agent = staff_actor("agent")
    case = web_case(category, f"{WEDNESDAY} 09:00")
    with time_machine.travel(at(f"{WEDNESDAY} 12:00"), tick=False):  # an hour late to acknowledge
        case_transition(
            case=case, actor=agent, to="parked", follow_up_date=dt.date(2026, 11, 30), reason="x"
        )
    figures = deadlines(category, "2026-11-30 09:00")
    assert figures["acknowledge"] == (0, 1)  # missed before the clock stopped
    assert figures["feedback"] == (0, 0) and figures["resolve"] == (0, 0)  # still ahead then
