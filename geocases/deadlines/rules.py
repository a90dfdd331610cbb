"""The response clocks of a case: acknowledge by, give feedback by, resolve
by — counted in business time from the category's targets; paused while the
case is parked; started afresh when it is reopened."""

from __future__ import annotations

import datetime as dt

from geocases.deadlines.calendar import working_calendar

CLOCKS = (
    # deadline field, target on the category, the moment that meets it
    ("acknowledge_by", "acknowledge_within", "acknowledged_at"),
    ("feedback_by", "feedback_within", "feedback_given_at"),
    ("resolve_by", "resolve_within", "resolved_at"),
)


def case_deadlines(*, category, start: dt.datetime, area=None) -> dict[str, dt.datetime | None]:
    """The deadlines of a case of ``category`` whose clocks start at ``start``;
    the contract of the service area it was routed by overrides the
    category's targets where it sets its own."""
    calendar = working_calendar()
    deadlines = {}
    for deadline, target, _met in CLOCKS:
        within = (getattr(area, target, None) if area is not None else None) or getattr(
            category, target
        )
        deadlines[deadline] = calendar.add(start, within) if within else None
    return deadlines


def deadlines_resumed(*, case, parked_at: dt.datetime, now: dt.datetime) -> dict[str, dt.datetime]:
    """After parking: each clock not yet met keeps the business time it had
    left when the case was parked (a deadline already passed stays passed)."""
    calendar = working_calendar()
    resumed = {}
    for deadline, _target, met in CLOCKS:
        due = getattr(case, deadline)
        if due is None or getattr(case, met) is not None or due <= parked_at:
            continue
        resumed[deadline] = calendar.add(now, calendar.between(parked_at, due))
    return resumed
