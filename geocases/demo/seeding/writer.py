"""Making the seeded cases and writing them: COPY in batches, numbers
reserved per year, history derived in SQL, map counts folded at the end."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from geocases.cases.numbers import case_numbers_take
from geocases.categories.models import Category
from geocases.deadlines.calendar import working_calendar
from geocases.demo.seeding.clock import BusinessClock
from geocases.demo.seeding.lifecycle import (
    CHANNELS,
    Targets,
    lived,
    month_weights,
    reported_at,
)
from geocases.demo.seeding.places import CityPlaces, Contracts

BATCH = 20_000
POLYGON_SHARE = 0.05  # of "point or area" categories, reported as an area
REPORTER_SHARE = 0.55  # leave a name and an e-mail address
FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Sara",
    "Ali",
    "Fatima",
    "Nils",
    "Elin",
    "Omar",
    "Eva",
    "Per",
    "Lina",
    "Hassan",
    "Ida",
    "Mats",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Hussein",
    "Lindberg",
    "Berg",
]
COLUMNS = [
    "number",
    "status",
    "channel",
    "category_id",
    "title",
    "description",
    "extra",
    "priority",
    "location",
    "address",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "reporter_language",
    "responsible_unit_id",
    "routing",
    "routing_area_id",
    "routing_flag",
    "routing_locked",
    "resolution",
    "resolved_at_first_contact",
    "parked_until",
    "status_before_parking",
    "parked_at",
    "overdue_since",
    "acknowledge_by",
    "feedback_by",
    "resolve_by",
    "acknowledged_at",
    "feedback_given_at",
    "resolved_at",
    "closed_at",
    "created_at",
    "updated_at",
    "district_id",
]

Progress = Callable[[Iterable, str, int], Iterator]


def _quiet(items, label, total):
    return iter(items)


@dataclass
class SeedReport:
    created: int = 0
    events: int = 0
    seconds: float = 0.0
    by_status: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        statuses = ", ".join(f"{s} {n}" for s, n in self.by_status.most_common())
        return [
            f"{self.created} cases and {self.events} history events in {self.seconds:.0f} s",
            f"by status: {statuses}",
        ]


def cases_seed(
    *, count: int, years: int = 3, seed: int | None = None, progress: Progress = _quiet
) -> SeedReport:
    """Add ``count`` synthetic cases reported over the last ``years`` years."""
    if count < 1:
        raise ValueError("Seed at least one case.")
    if not 1 <= years <= 20:
        raise ValueError("Seed over 1 to 20 years.")
    started = time.monotonic()
    rng = random.Random(seed)
    calendar = working_calendar()
    now = timezone.now()
    categories = list(Category.objects.filter(is_active=True).order_by("pk"))
    if not categories:
        raise ValueError("There are no categories: load the demo city first (manage.py demo_load).")
    places, contracts = CityPlaces(rng), Contracts()
    this_month = timezone.localdate(now).replace(day=1)
    months = [_months_before(this_month, k) for k in range(12 * years - 1, -1, -1)]
    # Far enough ahead for the slowest case of the last day (a long target
    # times a slow contractor times the durations' long tail).
    clock = BusinessClock(
        calendar, months[0] - dt.timedelta(days=1), now.date() + dt.timedelta(days=3660)
    )
    weights = month_weights([c.code for c in categories], months)
    # The month under way has had only its days so far: without this, a
    # whole month's cases would crowd into them.
    under_way = _month_share_passed(this_month, now, calendar.zone)
    for row in weights:
        row[-1] *= under_way
    pairs = [(c, m) for c in range(len(categories)) for m in range(len(months))]
    flat = [weights[c][m] for c, m in pairs]
    drawn = rng.choices(pairs, weights=flat, k=count)
    moments = sorted((reported_at(rng, months[m], calendar.zone, now), c) for c, m in drawn)
    numbers = _numbers_reserve(Counter(moment.year for moment, _ in moments))
    paces = {unit: rng.uniform(0.6, 1.5) for unit in _units(categories, contracts)}
    report = SeedReport()
    first_id = last_id = None
    batches = range(0, count, BATCH)
    for start in progress(batches, "cases", len(batches)):
        chunk = moments[start : start + BATCH]
        rows = _rows(rng, chunk, categories, places, contracts, clock, paces, numbers, now, report)
        ids = _copy(rows)
        first_id = ids[0] if first_id is None else first_id
        last_id = ids[1]
    report.created = count
    report.events = _history_derive(first_id, last_id)
    for _ in progress([0], "map counts", 1):
        from geocases.insights.services import cells_fold, cells_tidy
        from geocases.insights.statistics import durations_forget

        cells_fold()
        cells_tidy()
        durations_forget()  # the medians kept for the dashboard are out of date
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_caseevent")
    report.seconds = time.monotonic() - started
    return report


def _months_before(month: dt.date, k: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - k
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_share_passed(month: dt.date, now: dt.datetime, zone) -> float:
    """How much of ``month`` (its first day) has passed at ``now``, 0 to 1."""
    start = dt.datetime.combine(month, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(_months_before(month, -1), dt.time(), tzinfo=zone)
    return min(1.0, max(0.0, (now - start) / (end - start)))


def _units(categories, contracts) -> set[int]:
    return {c.default_unit_id for c in categories} | {c.unit_id for c in contracts.contracts}


def _numbers_reserve(per_year: Counter) -> dict[int, Iterator[int]]:
    """The case numbers each year needs, taken from its sequence at once."""
    return {
        year: iter(case_numbers_take(year=year, count=wanted)) for year, wanted in per_year.items()
    }


def _rows(rng, chunk, categories, places, contracts, clock, paces, numbers, now, report):
    placed = [i for i, (_m, c) in enumerate(chunk) if categories[c].place_kind != "none"]
    spots = places.sample(len(placed))
    lons = [spot.lon for spot in spots]
    lats = [spot.lat for spot in spots]
    districts = places.districts_of(lons, lats) if spots else []
    local_days = [chunk[i][0].date() for i in placed]
    covering = (
        contracts.covering(lons, lats, [categories[chunk[i][1]].pk for i in placed], local_days)
        if spots
        else []
    )
    where = {i: k for k, i in enumerate(placed)}
    channels, channel_weights = list(CHANNELS), list(CHANNELS.values())
    rows = []
    for i, (created, c) in enumerate(chunk):
        category = categories[c]
        k = where.get(i)
        contract = covering[k] if k is not None else None
        unit = contract.unit_id if contract else category.default_unit_id
        area = contract
        targets = Targets(
            _target(area, category, "acknowledge_within"),
            _target(area, category, "feedback_within"),
            _target(area, category, "resolve_within"),
        )
        channel = rng.choices(channels, weights=channel_weights)[0]
        life = lived(
            rng,
            created=created,
            now=now,
            channel=channel,
            has_place=k is not None,
            targets=targets,
            pace=paces.get(unit, 1.0),
            clock=clock,
        )
        report.by_status[life.status] += 1
        location = address = ""
        district = None
        if k is not None:
            spot = spots[k]
            location = _ewkt(rng, spot.lon, spot.lat, category.place_kind)
            address, district = spot.address, districts[k]
        name = email = phone = ""
        if rng.random() < REPORTER_SHARE:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            name = f"{first} {last}"
            email = f"{first}.{last}{rng.randrange(1000)}@example.org".lower()
        if channel == "phone":
            phone = f"070-{rng.randrange(1000000):06d}"
        rows.append(
            (
                f"{created.year}-{next(numbers[created.year]):06d}",
                life.status,
                channel,
                category.pk,
                category.template_title_sv or category.name_sv,
                "",
                "{}",
                category.template_priority or "normal",
                location or None,
                address,
                name,
                email,
                phone,
                "sv" if rng.random() < 0.85 else "en",
                unit,
                json.dumps({"rule": "point" if contract else "seeded", "seeded": True}),
                contract.area_id if contract else None,
                "",
                False,
                "Åtgärdat." if life.resolved_at else "",
                life.first_contact,
                life.parked_until,
                life.status_before_parking,
                life.parked_at,
                life.overdue_since,
                life.acknowledge_by,
                life.feedback_by,
                life.resolve_by,
                life.acknowledged_at,
                life.feedback_given_at,
                life.resolved_at,
                life.closed_at,
                created,
                life.updated_at or created,
                district,
            )
        )
    return rows


def _target(contract, category, name: str) -> dt.timedelta | None:
    """The contract's own target where it sets one, else the category's."""
    return (contract.targets.get(name) if contract else None) or getattr(category, name)


HISTORY_SQL = """
WITH seeded AS (
    SELECT * FROM cases_case
    WHERE id BETWEEN %(first)s AND %(last)s AND routing->>'seeded' = 'true'
)
INSERT INTO cases_caseevent
    (case_id, at, actor_id, actor_kind, kind, field, old_value, new_value, text, is_public)
SELECT id, at, NULL, actor, kind, field, to_jsonb(old), to_jsonb(new), '', true
FROM (
    SELECT id, created_at AS at, 'system' AS actor, 'created' AS kind, '' AS field,
           NULL::text AS old, number AS new
    FROM seeded
    UNION ALL
    SELECT id, created_at + interval '1 minute', 'system', 'status', 'status', 'new', 'assigned'
    FROM seeded WHERE NOT resolved_at_first_contact
    UNION ALL
    SELECT id, acknowledged_at, 'handler', 'status', 'status', 'assigned', 'acknowledged'
    FROM seeded WHERE acknowledged_at IS NOT NULL AND NOT resolved_at_first_contact
    UNION ALL
    SELECT id, feedback_given_at, 'handler', 'status', 'status', 'acknowledged',
           'feedback_given'
    FROM seeded WHERE feedback_given_at IS NOT NULL
    UNION ALL
    SELECT id, resolved_at, 'handler', 'status', 'status', 'feedback_given', 'resolved'
    FROM seeded WHERE resolved_at IS NOT NULL AND NOT resolved_at_first_contact
    UNION ALL
    SELECT id, closed_at, CASE WHEN resolved_at_first_contact THEN 'agent' ELSE 'system' END,
           'status', 'status',
           CASE WHEN resolved_at_first_contact THEN 'new' ELSE 'resolved' END, 'closed'
    FROM seeded WHERE closed_at IS NOT NULL
    UNION ALL
    SELECT id, parked_at, 'handler', 'status', 'status', status_before_parking, 'parked'
    FROM seeded WHERE status = 'parked'
    UNION ALL
    SELECT id, updated_at, 'citizen', 'status', 'status', 'resolved', 'reopened'
    FROM seeded WHERE status = 'reopened'
) AS events
"""


def _history_derive(first_id: int, last_id: int) -> int:
    """Each seeded case's history, from its moments, in one statement."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(HISTORY_SQL, {"first": first_id, "last": last_id})
        return cursor.rowcount


def _ewkt(rng, lon: float, lat: float, place_kind: str) -> str:
    if place_kind == "any" and rng.random() < POLYGON_SHARE:
        w, h = rng.uniform(0.0003, 0.0015), rng.uniform(0.0002, 0.0008)
        ring = [(lon, lat), (lon + w, lat), (lon + w, lat + h), (lon, lat + h), (lon, lat)]
        coordinates = ", ".join(f"{x:.7f} {y:.7f}" for x, y in ring)
        return f"SRID=4326;POLYGON(({coordinates}))"
    return f"SRID=4326;POINT({lon:.7f} {lat:.7f})"


def _copy(rows) -> tuple[int, int]:
    """COPY the rows in one transaction; the first and last new ids."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM cases_case_id_seq")
        with cursor.copy(f"COPY cases_case ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "SELECT min(id), max(id) FROM cases_case WHERE number = ANY(%s)",
            [[rows[0][0], rows[-1][0]]],
        )
        return cursor.fetchone()
