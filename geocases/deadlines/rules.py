"""The response clocks of a case: acknowledge by, give feedback by, resolve
by — counted in business time from the category's targets; paused while the
case is parked; started afresh when it is reopened."""

from __future__ import annotations

import datetime as dt

from geocases.cases.lifecycle import OPEN_STATUSES, Status
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


def clock_missed_sql(case: str, deadline: str, met: str, now: str) -> str:
    """SQL: the clock ``deadline`` of the case row ``case`` missed at ``now``
    (an SQL expression) without having been met — what statistics count as
    late besides a clock met after its deadline. The same rules as above
    and as ``Case.objects.overdue``, in SQL for set-based counting:

    - an open case is late on a clock past its deadline and not met
      (``clock_late``, which ``overdue`` applies to open cases only);
    - a parked case's clocks are stopped: a deadline that had passed when
      it was parked is missed (it stays passed, ``deadlines_resumed``), one
      still ahead is not, however long the case stays parked;
    - a resolved or closed case has no running clock: a clock it never met
      (a case closed as a duplicate of another) is neither missed nor met.

    NULL (not true) when the deadline or the parking moment is unknown."""
    open_statuses = ", ".join(f"'{status}'" for status in sorted(OPEN_STATUSES))
    return (
        f"({case}.{met} IS NULL AND {case}.{deadline} < {now}"
        f" AND ({case}.status IN ({open_statuses})"
        f" OR ({case}.status = '{Status.PARKED}' AND {case}.{deadline} <= {case}.parked_at)))"
    )
