"""Statistics for planners: how many cases, of what, where and through
which channel, how many still open, solved at first contact, deadlines met
(acknowledge, feedback, resolve), and how long things take (median and
90th percentile) — grouped by any of the dimensions at once, in one scan
of a covering index (``case_statistics``), so a year of a large city's
cases is answered in well under a second. Aggregates only: no case, no
person."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
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
                     AND NOT c.resolved_at_first_contact) AS resolve_met
"""
# Filled in from the fixed fragments above; values are always parameters.
STATS_SQL = """
SELECT {names} ARRAY[{flags}] AS grouped, {measures}
FROM (
    SELECT {keys} c.status, c.resolved_at_first_contact, c.created_at,
           c.acknowledge_by, c.acknowledged_at, c.feedback_by, c.feedback_given_at,
           c.resolve_by, c.resolved_at
    FROM cases_case c
    WHERE {conditions}
) c
GROUP BY GROUPING SETS ({sets}())
"""

# Exact median and 90th percentile of the time to acknowledge and to
# resolve (cases solved at first contact left out), for one dimension and
# the total: ordered-set aggregates cannot be hashed, so they get a query of
# their own, run beside the counts on a second connection.
DURATIONS_SQL = """
SELECT {key} AS key, {grouping} AS grouped,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
        ORDER BY date_part('epoch', c.acknowledged_at - c.created_at))
        FILTER (WHERE c.acknowledged_at IS NOT NULL) AS acknowledge_seconds,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
        ORDER BY date_part('epoch', c.resolved_at - c.created_at))
        FILTER (WHERE c.resolved_at IS NOT NULL) AS resolve_seconds
FROM cases_case c
WHERE {conditions} AND NOT c.resolved_at_first_contact
GROUP BY GROUPING SETS ({sets})
"""


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
    # [median, 90th percentile] in seconds, for the dimension asked for durations.
    acknowledge_seconds: list[float] | None = None
    resolve_seconds: list[float] | None = None

    def share(self, part: str, whole: str = "cases") -> float | None:
        total = getattr(self, whole)
        return getattr(self, part) / total if total else None

    def hours(self, which: str, quantile: int) -> float | None:
        values = getattr(self, f"{which}_seconds")
        if not values or values[quantile] is None:
            return None
        return values[quantile] / 3600


def case_statistics(
    *, where: StatsFilter, by: list[str], durations_by: str | None = None
) -> dict[str, list[Row]]:
    """The counts for every value of each dimension in ``by`` and for
    ``"total"``, from one scan of the matching cases; and the median and
    90th-percentile durations for ``durations_by`` (one of ``by``) and the
    total, from a second query run at the same time on another connection."""
    unknown = [name for name in [*by, durations_by] if name and name not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimensions: {unknown}")
    if durations_by and durations_by not in by:
        by = [*by, durations_by]
    conditions, params = where.sql()
    params.update(
        zone=settings.TIME_ZONE,
        now=timezone.now(),
        unfinished=[str(status) for status in UNFINISHED_STATUSES],
    )
    counts_sql = STATS_SQL.format(
        names="".join(f"by_{name}, " for name in by),
        keys="".join(f"{DIMENSIONS[name]} AS by_{name}, " for name in by),
        flags=", ".join(f"GROUPING(by_{name})" for name in by) or "0",
        measures=MEASURES,
        conditions=conditions,
        sets="".join(f"(by_{name}), " for name in by),
    )
    key = DIMENSIONS[durations_by] if durations_by else None
    durations_sql = DURATIONS_SQL.format(
        key=key or "NULL::integer",
        grouping=f"GROUPING({key})" if key else "1",
        conditions=conditions,
        sets=f"({key}), ()" if key else "()",
    )
    counted, timed = _run_side_by_side([(counts_sql, params), (durations_sql, params)])

    result: dict[str, list[Row]] = {name: [] for name in [*by, "total"]}
    for record in counted:
        values, grouped, measures = record[: len(by)], record[len(by)], record[len(by) + 1 :]
        open_dimensions = [
            name for name, flag in zip(by, grouped[: len(by)], strict=True) if not flag
        ]
        name = open_dimensions[0] if open_dimensions else "total"
        key = values[by.index(name)] if open_dimensions else None
        result[name].append(Row(key, *measures))
    durations = {
        ("total" if grouped else durations_by, key): (acknowledge, resolve)
        for key, grouped, acknowledge, resolve in timed
    }
    for name, rows in result.items():
        for row in rows:
            row.acknowledge_seconds, row.resolve_seconds = durations.get(
                (name, row.key), (None, None)
            )
        rows.sort(key=lambda row: (row.key is None, row.key if row.key is not None else 0))
    return result


def _run_side_by_side(queries: list[tuple[str, dict]]) -> list[list[tuple]]:
    """Run the queries at once, each on a connection of its own (two cores,
    two queries), or one after the other inside a transaction, which other
    connections could not see into."""

    def run(sql: str, params: dict) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    if connection.in_atomic_block:
        return [run(sql, params) for sql, params in queries]

    def in_thread(sql: str, params: dict) -> list[tuple]:
        try:
            return run(sql, params)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(queries), thread_name_prefix="statistics") as pool:
        futures = [pool.submit(in_thread, sql, params) for sql, params in queries]
        return [future.result() for future in futures]
