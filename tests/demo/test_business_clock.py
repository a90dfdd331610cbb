"""The seeder's constant-time business clock gives what the calendar gives."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from geocases.deadlines.calendar import working_calendar
from geocases.demo.seeding.clock import BusinessClock

ZONE = ZoneInfo("Europe/Stockholm")


def test_the_clock_adds_business_time_exactly_as_the_calendar_does():
    rng = random.Random(5)  # noqa: S311 - test data
    calendar = working_calendar()
    clock = BusinessClock(calendar, dt.date(2024, 1, 1), dt.date(2027, 12, 31))
    starts = [
        dt.datetime(2024, 1, 1, tzinfo=ZONE) + dt.timedelta(minutes=rng.randrange(3 * 525_600))
        for _ in range(3000)
    ]
    starts += [
        dt.datetime(2025, 12, 24, 16, 30, tzinfo=ZONE),  # Christmas Eve, a holiday
        dt.datetime(2026, 3, 27, 17, 0, tzinfo=ZONE),  # a Friday, at closing
        dt.datetime(2026, 3, 29, 2, 30, tzinfo=ZONE),  # the night the clocks go forward
        dt.datetime(2026, 6, 19, 9, 0, tzinfo=ZONE),  # Midsummer Eve
    ]
    for start in starts:
        duration = dt.timedelta(
            minutes=rng.choice(
                [30, 60 * 2, 60 * 8, 60 * 9, 60 * 40, 60 * 80, 60 * 240, rng.randrange(1, 20_000)]
            )
        )
        assert clock.add(start, duration) == calendar.add(start, duration), (start, duration)
