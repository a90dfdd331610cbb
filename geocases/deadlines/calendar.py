"""Business time: office hours on working days, Swedish public holidays and
the de facto ones (Midsummer Eve, Christmas Eve, New Year's Eve) excluded.

A response target of "8 hours" means eight office hours: reported on Friday
at 16:00 with office hours 08-17, it is due on Monday at 15:00. Holidays come
from the maintained ``holidays`` library, never from a hand-written list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings


@dataclass(frozen=True)
class WorkingCalendar:
    opens: dt.time
    closes: dt.time
    zone: ZoneInfo
    country: str = "SE"
    categories: tuple[str, ...] = ("public", "de_facto")
    _holidays: dict = field(default_factory=dict, compare=False, repr=False)

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False
        if day.year not in self._holidays:
            self._holidays[day.year] = holidays.country_holidays(
                self.country, years=day.year, categories=self.categories
            )
        return day not in self._holidays[day.year]

    def _open_close(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(day, self.opens, tzinfo=self.zone),
            dt.datetime.combine(day, self.closes, tzinfo=self.zone),
        )

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment ``duration`` of business time after ``start``."""
        cursor, remaining = start.astimezone(self.zone), duration
        for _ in range(3660):  # ten years of days: a target is never that long
            day = cursor.date()
            if self.is_working_day(day):
                opens, closes = self._open_close(day)
                cursor = max(cursor, opens)
                if cursor < closes:
                    if remaining <= closes - cursor:
                        return cursor + remaining
                    remaining -= closes - cursor
            cursor = self._open_close(day + dt.timedelta(days=1))[0]
        raise ValueError("a business-time target longer than ten years")

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Business time from ``start`` to ``end`` (nothing if end comes first)."""
        total = dt.timedelta()
        cursor, end = start.astimezone(self.zone), end.astimezone(self.zone)
        while cursor < end:
            day = cursor.date()
            if self.is_working_day(day):
                opens, closes = self._open_close(day)
                first, last = max(cursor, opens), min(end, closes)
                if last > first:
                    total += last - first
            cursor = self._open_close(day + dt.timedelta(days=1))[0]
            cursor = cursor.replace(hour=0, minute=0)
        return total


@lru_cache(maxsize=1)
def working_calendar() -> WorkingCalendar:
    """The city's calendar, from settings (``OFFICE_HOURS``, ``TIME_ZONE``)."""
    opens, closes = settings.GEOCASES_OFFICE_HOURS
    return WorkingCalendar(opens=opens, closes=closes, zone=ZoneInfo(settings.TIME_ZONE))
