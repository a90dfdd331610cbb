"""Business time for millions of cases: the working calendar's ``add``,
answered in constant time from a table of working days made once. Gives
exactly what ``WorkingCalendar.add`` gives (tests check this)."""

from __future__ import annotations

import bisect
import datetime as dt

from geocases.deadlines.calendar import WorkingCalendar


class BusinessClock:
    def __init__(self, calendar: WorkingCalendar, first: dt.date, last: dt.date):
        self.calendar = calendar
        self.days: list[dt.date] = []
        self.opens: list[dt.datetime] = []
        self.lengths: list[float] = []
        self.starts: list[float] = []  # business seconds before each working day
        self.ordinals: list[int] = []
        total, day = 0.0, first
        while day <= last:
            if calendar.is_working_day(day):
                opens, closes = calendar._open_close(day)
                self.days.append(day)
                self.ordinals.append(day.toordinal())
                self.opens.append(opens)
                self.lengths.append((closes - opens).total_seconds())
                self.starts.append(total)
                total += self.lengths[-1]
            day += dt.timedelta(days=1)

    def _business(self, moment: dt.datetime) -> float:
        """Business seconds from the table's start to ``moment``."""
        local = moment.astimezone(self.calendar.zone)
        index = bisect.bisect_left(self.ordinals, local.date().toordinal())
        if index == len(self.days):
            raise ValueError(f"{moment} is after the clock's last day")
        if self.days[index] != local.date():  # not a working day: the next one's opening
            return self.starts[index]
        into = (local - self.opens[index]).total_seconds()
        return self.starts[index] + min(max(into, 0.0), self.lengths[index])

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        target = self._business(start) + duration.total_seconds()
        index = max(bisect.bisect_left(self.starts, target) - 1, 0)
        if index + 1 < len(self.starts) and target > self.starts[index] + self.lengths[index]:
            index += 1
        if target > self.starts[-1] + self.lengths[-1]:
            raise ValueError("a deadline after the clock's last day")
        return self.opens[index] + dt.timedelta(seconds=target - self.starts[index])
