"""Moments in the city's time, for tests with a frozen clock."""

import datetime as dt
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
H = dt.timedelta(hours=1)


def at(text: str) -> dt.datetime:
    """``at("2026-11-25 08:00")``: that wall-clock time in Stockholm."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)
