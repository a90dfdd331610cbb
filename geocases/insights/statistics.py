"""Statistics for planners: how many cases, of what, where and through
which channel, how many still open, solved at first contact, deadlines met
(acknowledge, feedback, resolve), and how long things take (median and
90th percentile) — grouped by any of the dimensions at once, in one scan
of a covering index (``case_statistics``), so a year of a large city's
cases is answered in well under a second. Aggregates only: no case, no
person."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from geocases.areas.models import District
from geocases.cases.lifecycle import UNFINISHED_STATUSES, status_labels
from geocases.cases.models import Channel
from geocases.cases.services.creation import AUTO_FORWARD_CHANNELS
from geocases.categories.models import Category
from geocases.core.cache import GuardedCache
from geocases.deadlines.rules import CLOCKS, clock_missed_sql
from geocases.insights.rollup import MISSED, PENDING, ROLLED_KEYS, ROLLED_SQL
from geocases.organisations.models import OrganisationUnit

# Dimension → the SQL of its key. Keys are fixed text, never user input.
DIMENSIONS = {
    "month": "c.created_month",
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

# Contacts an agent answers while the person waits (a call, a visit): the
# channels with an agent in the loop, whose cases are not forwarded to the
# unit at once (``case_create``). The first-contact rate is a share of
# these: a web, e-mail or API report goes to the unit without an agent, and
# is no first contact missed. (An e-mail an agent registers at the desk and
# answers at once is left out of both.)
ANSWERED_CHANNELS = [str(channel) for channel in Channel if channel not in AUTO_FORWARD_CHANNELS]


def clock_due_sql(deadline: str, met: str) -> str:
    """SQL: the clock counts towards "in time" — it has a deadline (not for a
    case solved at first contact) and was met (in time or late) or is missed
    (``clock_missed_sql``: late while open, or already late when parked;
    never a stopped clock, nor one of a case closed as a duplicate)."""
    return (
        f"(c.{deadline} IS NOT NULL AND NOT c.resolved_at_first_contact"
        f" AND (c.{met} IS NOT NULL OR {clock_missed_sql('c', deadline, met, '%(now)s')}))"
    )


def clock_met_sql(deadline: str, met: str) -> str:
    """SQL: the clock met by its deadline (a due clock that is not missed)."""
    return f"(c.{met} <= c.{deadline} AND NOT c.resolved_at_first_contact)"


# Each measure: its name and the condition of the cases it counts. A clock
# is "due" once met or missed, and "met" when met by its deadline: "in
# time" is met / due, so a case whose deadline is still ahead, or whose
# clock is stopped, counts in neither.
MEASURES = [
    ("cases", "true"),
    ("still_open", "c.status = ANY(%(unfinished)s)"),
    ("answered", "c.channel = ANY(%(answered)s)"),
    ("first_contact", "c.resolved_at_first_contact AND c.channel = ANY(%(answered)s)"),
    *(
        measure
        for deadline, _target, met in CLOCKS
        for measure in (
            (f"{deadline.removesuffix('_by')}_due", clock_due_sql(deadline, met)),
            (f"{deadline.removesuffix('_by')}_met", clock_met_sql(deadline, met)),
        )
    ),
]
# Two levels, filled in from the fixed fragments above (values are always
# parameters): first the cases counted per combination of every dimension
# asked for, in one hashed pass that computes each key and condition once
# per case; then those few thousand rows summed per dimension and in total
# (GROUPING SETS). Counting every case into every grouping set directly
# costs several times more for five dimensions.
STATS_SQL = """
WITH fine AS (
    SELECT {keys} {counts}
    FROM cases_case c
    WHERE {conditions}
    GROUP BY {positions}
)
SELECT {names} ARRAY[{flags}] AS grouped, {sums}
FROM fine
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


# The months a report or the map may ask for: any city's records, and no
# year whose month arithmetic runs off the calendar (9999-12 has no next month).
EARLIEST_MONTH, LATEST_MONTH = dt.date(1900, 1, 1), dt.date(2100, 12, 1)
# A month as filters give it: YYYY-MM exactly (strptime's %m would also take
# "2026-1", which a month input then shows empty).
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def month_allowed(month: dt.date) -> bool:
    return EARLIEST_MONTH <= month <= LATEST_MONTH


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
        """The conditions over the cases (``c``), and their parameters."""
        conditions, params = [], {}
        if self.start:
            conditions.append("c.created_at >= %(start)s")
            params["start"], params["start_day"] = _midnight(self.start), self.start
        if self.end:
            conditions.append("c.created_at < %(end)s")
            params["end"], params["end_day"] = _midnight(self.end), self.end
        for name, (column, _rolled) in FILTERED.items():
            if getattr(self, name):
                conditions.append(f"{column} = ANY(%({name})s)")
                params[name] = list(getattr(self, name))
        return " AND ".join(conditions) or "true", params

    def rollable(self) -> bool:
        """Whether the months counted can answer: whole months only."""
        return all(day is None or day.day == 1 for day in (self.start, self.end))

    def rolled_sql(self) -> str:
        """The same conditions over ``StatMonth`` (``s``; parameters as ``sql``)."""
        conditions = []
        if self.start:
            conditions.append("s.month >= %(start_day)s")
        if self.end:
            conditions.append("s.month < %(end_day)s")
        for name, (_column, rolled) in FILTERED.items():
            if getattr(self, name):
                conditions.append(f"{rolled} = ANY(%({name})s)")
        return " AND ".join(conditions) or "true"


# Each filter of StatsFilter: its column on the cases and on StatMonth.
FILTERED = {
    "categories": ("c.category_id", "s.category_id"),
    "statuses": ("c.status", "s.status"),
    "units": ("c.responsible_unit_id", "s.unit_id"),
    "channels": ("c.channel", "s.channel"),
    "districts": ("c.district_id", "s.district_id"),
}


def _midnight(day: dt.date) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass
class Row:
    key: object
    cases: int
    still_open: int
    answered: int  # of an agent-answered channel (ANSWERED_CHANNELS)
    first_contact: int  # of these, solved at first contact
    acknowledge_due: int
    acknowledge_met: int
    feedback_due: int
    feedback_met: int
    resolve_due: int
    resolve_met: int
    # [median, 90th percentile] in seconds, for the dimension asked for durations.
    acknowledge_seconds: list[float] | None = None
    resolve_seconds: list[float] | None = None

    def share(self, part: str, whole: str | None = None) -> float | None:
        """``part`` as a share of ``whole``, by default of what it is
        counted among: first contacts of the contacts an agent answered,
        clocks met in time of those due, anything else of all cases."""
        total = getattr(self, whole or SHARE_OF.get(part, "cases"))
        return getattr(self, part) / total if total else None

    def hours(self, which: str, quantile: int) -> float | None:
        values = getattr(self, f"{which}_seconds")
        if not values or values[quantile] is None:
            return None
        return values[quantile] / 3600


# The whole a measure is a share of, where it is not all cases.
SHARE_OF = {
    "first_contact": "answered",
    **{
        f"{deadline.removesuffix('_by')}_met": f"{deadline.removesuffix('_by')}_due"
        for deadline, _target, _met in CLOCKS
    },
}


def case_statistics(
    *, where: StatsFilter, by: list[str], durations_by: str | None = None, live: bool = False
) -> dict[str, list[Row]]:
    """The counts for every value of each dimension in ``by`` and for
    ``"total"``; and the median and 90th-percentile durations for
    ``durations_by`` (one of ``by``) and the total, from a query run at the
    same time on another connection.

    Counts come from the months already counted (``StatMonth``, a few
    thousand rows a year, plus the live remainder: changes not yet folded
    and deadlines still pending) for whole months and the dimensions kept
    there; other dimensions (week, weekday, hour) and periods that are not
    whole months are counted from the cases in one scan (as all are with
    ``live``, which the tests compare)."""
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
        answered=ANSWERED_CHANNELS,
    )
    use_rolled = not live and where.rollable()
    rolled = [name for name in by if name in ROLLED_KEYS] if use_rolled else []
    scanned = [name for name in by if name not in rolled]
    counts = []  # (dimensions, SQL): the total comes from the first
    if use_rolled:
        counts.append((rolled, _rolled_sql(rolled, where, conditions)))
    if scanned or not use_rolled:
        counts.append((scanned, _scanned_sql(scanned, conditions)))
    durations_query = (_durations_sql(durations_by, conditions), params)
    # The key is read once, before computing: durations computed from cases
    # read before a bulk load's forgetting are kept under the old generation.
    # Nothing kept (live, or keeping turned off): no key, no Redis round trip.
    keeping = not live and settings.GEOCASES_STATISTICS_DURATIONS_SECONDS > 0
    kept_as = _durations_key(*durations_query) if keeping else ""
    timed = durations_cached(kept_as) if keeping else None
    counted = _run_side_by_side(
        [*([] if timed is not None else [durations_query]), *((sql, params) for _, sql in counts)]
    )
    if timed is None:
        timed = counted.pop(0)
        if keeping:
            durations_keep(kept_as, timed)

    result: dict[str, list[Row]] = {name: [] for name in [*by, "total"]}
    for (names, _sql), records in zip(counts, counted, strict=True):
        for record in records:
            values, grouped = record[: len(names)], record[len(names)]
            open_dimensions = [
                name for name, flag in zip(names, grouped[: len(names)], strict=True) if not flag
            ]
            name = open_dimensions[0] if open_dimensions else "total"
            if name == "total" and result["total"]:
                continue  # the same total from a second query
            if name != "total" and not record[len(names) + 1]:
                continue  # changes not yet folded that cancel out
            key = values[names.index(name)] if open_dimensions else None
            result[name].append(Row(key, *record[len(names) + 1 :]))
    durations = {
        ("total" if grouped else durations_by, key): (acknowledge, resolve)
        for key, grouped, acknowledge, resolve in timed
    }
    for name, rows in result.items():
        for row in rows:
            row.acknowledge_seconds, row.resolve_seconds = durations.get(
                (name, row.key), (None, None)
            )
        _order(name, rows)
    return result


# Dimensions whose rows come largest first: a planner asks where and of what
# there is most. Time (month, week, year, weekday, hour) stays in its order.
BY_COUNT = {"category", "channel", "district", "unit", "status"}


def _order(name: str, rows: list[Row]) -> None:
    """Time in time order; the others by cases, most first, cases equal by
    name in the reader's language (names read only then); no value
    ("(none)": no unit, no district) last."""
    if name not in BY_COUNT:
        rows.sort(key=lambda row: (row.key is None, row.key if row.key is not None else 0))
        return
    counts = [row.cases for row in rows]
    labels = dimension_labels(name) if len(set(counts)) < len(counts) else {}
    rows.sort(
        key=lambda row: (
            row.key is None,
            -row.cases,
            str(labels.get(row.key, row.key)).casefold(),
        )
    )


def dimension_labels(name: str) -> dict:
    """Key → what people call it in the reader's language, for the
    dimensions whose keys are ids or codes (others: empty)."""
    if name == "category":
        return {c.pk: c.name for c in Category.objects.only("pk", "name_sv", "name_en")}
    if name == "unit":
        return dict(OrganisationUnit.objects.values_list("pk", "name"))
    if name == "district":
        return dict(District.objects.values_list("pk", "name"))
    if name == "channel":
        return {key: str(label) for key, label in Channel.choices}
    if name == "status":
        return status_labels()
    return {}


_kept = GuardedCache(cache, "statistics")  # without Redis: computed each time


GENERATION = "insights:durations:generation"


def _durations_key(sql: str, params: dict) -> str:
    """The cache key of a durations query: its text, the parameters it uses
    and the generation of kept durations (see ``durations_forget``)."""
    used = sorted(set(re.findall(r"%\((\w+)\)s", sql)))
    generation = _kept.get(GENERATION) or ""
    text = json.dumps([generation, sql, [[name, params[name]] for name in used]], default=str)
    return "insights:durations:" + hashlib.sha256(text.encode()).hexdigest()


def durations_forget() -> None:
    """Forget every kept duration at once, after cases were written in bulk
    (seeded, imported): the keys asked for from now on are new ones, and the
    old ones expire unread."""
    _kept.set(GENERATION, uuid.uuid4().hex, None)


def durations_cached(key: str) -> list[tuple] | None:
    """Durations computed in the last ``STATISTICS_DURATIONS_SECONDS`` for
    the same cases, if any. Exact percentiles sort every duration of the
    period (about a second for a year of a large city on two cores); a
    median over a year does not change in minutes, while the counts beside
    it are always live. No cache (Redis down): computed afresh."""
    if not settings.GEOCASES_STATISTICS_DURATIONS_SECONDS:
        return None
    kept = _kept.get(key)
    return [tuple(row) for row in kept] if kept is not None else None


def durations_keep(key: str, rows: list[tuple]) -> None:
    seconds = settings.GEOCASES_STATISTICS_DURATIONS_SECONDS
    if not seconds:
        return
    _kept.set(key, [list(row) for row in rows], seconds)


def statistics_year() -> StatsFilter:
    """The dashboard's default: the last twelve months and this one, all cases."""
    today = timezone.localdate()
    after = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return StatsFilter(start=dt.date(today.year - 1, today.month, 1), end=after)


def statistics_warm(*, where: StatsFilter, groupings: list[str]) -> None:
    """Compute and keep the durations of these groupings afresh (the
    dashboard's default year, before they are asked for)."""
    if not settings.GEOCASES_STATISTICS_DURATIONS_SECONDS:
        return  # nothing is kept: there is nothing to warm
    for name in groupings:
        conditions, params = where.sql()
        params.update(zone=settings.TIME_ZONE)
        sql = _durations_sql(name, conditions)
        key = _durations_key(sql, params)
        (rows,) = _run_side_by_side([(sql, params)])
        durations_keep(key, rows)


def _rolled_sql(by: list[str], where: StatsFilter, conditions: str) -> str:
    return ROLLED_SQL.format(
        names="".join(f"by_{name}, " for name in by),
        flags=", ".join(f"GROUPING(by_{name})" for name in by) or "0",
        keys="".join(f"{ROLLED_KEYS[name]} AS by_{name}, " for name in by),
        rolled=where.rolled_sql(),
        live=conditions,
        pending=PENDING,
        missed=MISSED,
        sets="".join(f"(by_{name}), " for name in by),
    )


def _scanned_sql(by: list[str], conditions: str) -> str:
    return STATS_SQL.format(
        keys="".join(f"{DIMENSIONS[name]} AS by_{name}, " for name in by),
        counts=", ".join(
            f"count(*) FILTER (WHERE {condition}) AS {measure}" for measure, condition in MEASURES
        ),
        conditions=conditions,
        positions=", ".join(str(position) for position in range(1, len(by) + 1)) or "()",
        names="".join(f"by_{name}, " for name in by),
        flags=", ".join(f"GROUPING(by_{name})" for name in by) or "0",
        sums=", ".join(f"sum({measure})::bigint" for measure, _ in MEASURES),
        sets="".join(f"(by_{name}), " for name in by),
    )


def _durations_sql(durations_by: str | None, conditions: str) -> str:
    key = DIMENSIONS[durations_by] if durations_by else None
    return DURATIONS_SQL.format(
        key=key or "NULL::integer",
        grouping=f"GROUPING({key})" if key else "1",
        conditions=conditions,
        sets=f"({key}), ()" if key else "()",
    )


def _run_side_by_side(queries: list[tuple[str, dict]]) -> list[list[tuple]]:
    """Run the queries at once, each on a connection of its own (two cores,
    two queries), or one after the other inside a transaction, which other
    connections could not see into."""

    def run(sql: str, params: dict) -> list[tuple]:
        with transaction.atomic(), connection.cursor() as cursor:
            # Room to hash the groups in memory rather than sort on disk, and
            # the durations' scan and sort shared with parallel workers
            # (PostgreSQL's default costs rarely choose them for a sort).
            cursor.execute("SET LOCAL work_mem = '32MB'")
            cursor.execute("SET LOCAL parallel_setup_cost = 10")
            cursor.execute("SET LOCAL parallel_tuple_cost = 0.001")
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
