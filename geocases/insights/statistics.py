"""Statistics for planners: how many cases, of what, where and through
which channel, how many still open, solved at first contact, deadlines met
(acknowledge, feedback, resolve), and how long things take (median and
90th percentile) — grouped by any of the dimensions at once, in one scan
of a covering index (``case_statistics``), so a year of a large city's
cases is answered in well under a second. Aggregates only: no case, no
person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone

from geocases.cases.lifecycle import UNFINISHED_STATUSES

# Dimension → the SQL of its key. Keys are fixed text, never user input.
DIMENSIONS = {
    "month": "date_trunc('month', c.created_at AT TIME ZONE %(zone)s)::date",
    "week": "date_trunc('week', c.created_at AT TIME ZONE %(zone)s)::date",
    "year": "date_trunc('year', c.created_at AT TIME ZONE %(zone)s)::date",
    "weekday": "extract(isodow FROM c.created_at AT TIME ZONE %(zone)s)::int",
    "hour": "extract(hour FROM c.created_at AT TIME ZONE %(zone)s)::int",
    "category": "c.category_id",
    "channel": "c.channel",
    "district": "c.district_id",
    "unit": "c.responsible_unit_id",
    "status": "c.status",
}

MEASURES = """
    count(*) AS cases,
    count(*) FILTER (WHERE c.status = ANY(%(unfinished)s)) AS still_open,
    count(*) FILTER (WHERE c.resolved_at_first_contact) AS first_contact,
    count(*) FILTER (WHERE c.acknowledge_by IS NOT NULL AND NOT c.resolved_at_first_contact
                     AND (c.acknowledged_at IS NOT NULL OR c.acknowledge_by < %(now)s))
        AS acknowledge_due,
    count(*) FILTER (WHERE c.acknowledged_at <= c.acknowledge_by
                     AND NOT c.resolved_at_first_contact) AS acknowledge_met,
    count(*) FILTER (WHERE c.feedback_by IS NOT NULL AND NOT c.resolved_at_first_contact
                     AND (c.feedback_given_at IS NOT NULL OR c.feedback_by < %(now)s))
        AS feedback_due,
    count(*) FILTER (WHERE c.feedback_given_at <= c.feedback_by
                     AND NOT c.resolved_at_first_contact) AS feedback_met,
    count(*) FILTER (WHERE c.resolve_by IS NOT NULL AND NOT c.resolved_at_first_contact
                     AND (c.resolved_at IS NOT NULL OR c.resolve_by < %(now)s))
        AS resolve_due,
    count(*) FILTER (WHERE c.resolved_at <= c.resolve_by
                     AND NOT c.resolved_at_first_contact) AS resolve_met,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
        ORDER BY extract(epoch FROM c.acknowledged_at - c.created_at))
        FILTER (WHERE c.acknowledged_at IS NOT NULL AND NOT c.resolved_at_first_contact)
        AS acknowledge_hours,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
        ORDER BY extract(epoch FROM c.resolved_at - c.created_at))
        FILTER (WHERE c.resolved_at IS NOT NULL AND NOT c.resolved_at_first_contact)
        AS resolve_hours
"""
# Filled in from the fixed fragments above; values are always parameters.
STATS_SQL = """
SELECT {keys} ARRAY[{flags}] AS grouped, {measures}
FROM cases_case c
WHERE {conditions}
GROUP BY GROUPING SETS ({sets}())
"""

MEASURE_NAMES = [
    "cases",
    "still_open",
    "first_contact",
    "acknowledge_due",
    "acknowledge_met",
    "feedback_due",
    "feedback_met",
    "resolve_due",
    "resolve_met",
    "acknowledge_hours",
    "resolve_hours",
]


@dataclass(frozen=True)
class StatsFilter:
    """Which cases: registered from ``start`` up to (not including) ``end``,
    and of these kinds (empty lists: all)."""

    start: dt.date | None = None
    end: dt.date | None = None
    categories: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    districts: list[int] = field(default_factory=list)

    def sql(self) -> tuple[str, dict]:
        conditions, params = [], {}
        if self.start:
            conditions.append("c.created_at >= %(start)s")
            params["start"] = _midnight(self.start)
        if self.end:
            conditions.append("c.created_at < %(end)s")
            params["end"] = _midnight(self.end)
        for column, name, values in (
            ("c.category_id", "categories", self.categories),
            ("c.status", "statuses", self.statuses),
            ("c.responsible_unit_id", "units", self.units),
            ("c.channel", "channels", self.channels),
            ("c.district_id", "districts", self.districts),
        ):
            if values:
                conditions.append(f"{column} = ANY(%({name})s)")
                params[name] = list(values)
        return " AND ".join(conditions) or "true", params


def _midnight(day: dt.date) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass
class Row:
    key: object
    cases: int
    still_open: int
    first_contact: int
    acknowledge_due: int
    acknowledge_met: int
    feedback_due: int
    feedback_met: int
    resolve_due: int
    resolve_met: int
    acknowledge_hours: list[float] | None
    resolve_hours: list[float] | None

    def share(self, part: str, whole: str = "cases") -> float | None:
        total = getattr(self, whole)
        return getattr(self, part) / total if total else None

    def hours(self, which: str, quantile: int) -> float | None:
        values = getattr(self, f"{which}_hours")
        return values[quantile] / 3600 if values and values[quantile] is not None else None


def case_statistics(*, where: StatsFilter, by: list[str]) -> dict[str, list[Row]]:
    """The measures for every value of each dimension in ``by`` (and
    ``"total"``), from one scan of the matching cases."""
    unknown = [name for name in by if name not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimensions: {unknown}")
    conditions, params = where.sql()
    keys = ",\n    ".join(f"{DIMENSIONS[name]} AS {name}" for name in by)
    sets = ", ".join(f"({name})" for name in by)
    flags = ", ".join(f"GROUPING({name})" for name in by) or "0"
    sql = STATS_SQL.format(
        keys=keys + ("," if by else ""),
        flags=flags,
        measures=MEASURES,
        conditions=conditions,
        sets=sets + (", " if by else ""),
    )
    params.update(
        zone=settings.TIME_ZONE,
        now=timezone.now(),
        unfinished=[str(status) for status in UNFINISHED_STATUSES],
    )
    result: dict[str, list[Row]] = {name: [] for name in [*by, "total"]}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for record in cursor.fetchall():
            values, grouped, measures = record[: len(by)], record[len(by)], record[len(by) + 1 :]
            open_dimensions = [name for name, flag in zip(by, grouped, strict=True) if not flag]
            name = open_dimensions[0] if open_dimensions else "total"
            key = values[by.index(name)] if open_dimensions else None
            result[name].append(Row(key, *measures))
    for rows in result.values():
        rows.sort(key=lambda row: (row.key is None, row.key if row.key is not None else 0))
    return result
