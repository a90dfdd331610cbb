"""Business time on the Swedish working-day calendar (office hours 08-17)."""

import datetime as dt

import pytest

from geocases.deadlines.calendar import WorkingCalendar
from tests.clock import STOCKHOLM, H, at

CAL = WorkingCalendar(opens=dt.time(8), closes=dt.time(17), zone=STOCKHOLM)


@pytest.mark.parametrize(
    "start, hours, due",
    [
        ("2026-11-25 09:00", 2, "2026-11-25 11:00"),  # within the day
        ("2026-11-25 16:00", 2, "2026-11-26 09:00"),  # over the night
        ("2026-11-25 06:30", 1, "2026-11-25 09:00"),  # reported before opening
        ("2026-11-25 20:00", 1, "2026-11-26 09:00"),  # after closing
        ("2026-11-27 16:00", 8, "2026-11-30 15:00"),  # Friday to Monday
        ("2026-11-28 12:00", 1, "2026-11-30 09:00"),  # reported on a Saturday
        ("2026-12-23 16:00", 8, "2026-12-28 15:00"),  # Christmas Eve, Day, weekend
        ("2026-06-18 16:00", 2, "2026-06-22 09:00"),  # Midsummer Eve (de facto) and Day
        ("2026-12-30 16:00", 2, "2027-01-04 09:00"),  # New Year's Eve and Day, weekend
        ("2026-03-27 16:00", 9, "2026-03-30 16:00"),  # over the switch to summer time
    ],
)
def test_deadlines_count_office_hours_on_working_days(start, hours, due):
    assert CAL.add(at(start), hours * H) == at(due)


def test_eighty_hours_is_about_two_working_weeks():
    assert CAL.add(at("2026-11-23 08:00"), 80 * H) == at("2026-12-03 16:00")


def test_business_time_between_two_moments():
    assert CAL.between(at("2026-11-27 16:00"), at("2026-11-30 10:00")) == 3 * H
    assert CAL.between(at("2026-12-23 09:00"), at("2026-12-28 09:00")) == 9 * H
    assert CAL.between(at("2026-11-30 10:00"), at("2026-11-27 16:00")) == dt.timedelta()


def test_adding_what_lies_between_gets_back_to_the_end():
    start, end = at("2026-11-27 13:30"), at("2026-12-02 10:15")
    assert CAL.add(start, CAL.between(start, end)) == end
