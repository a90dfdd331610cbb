"""When seeded cases are reported, and how far each got: seasonal
categories (snow in winter, parks in summer), busy weekdays and mornings,
solved at first contact on the phone about as often as the city does,
contractors who meet their deadlines more or less well, and the cases of
the last weeks still open."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

# Relative weight of a category per month, January first; others are flat.
SEASONS = {
    "snow-ice": [10, 9, 5, 1, 0.05, 0, 0, 0, 0, 0.3, 3, 8],
    "pothole": [2, 3, 5, 5, 3, 1.5, 1, 1, 1, 1, 1, 1.5],
    "street-lighting": [3, 2.5, 1.5, 0.7, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.5],
    "parks": [0.3, 0.3, 0.6, 1.2, 2.5, 3, 3, 2.5, 1.5, 1, 0.5, 0.3],
    "waste-bins": [1.2, 1, 1, 1.5, 2, 3, 3.5, 3, 2, 1.5, 1, 1.8],
    "graffiti": [0.8, 0.8, 1, 1.2, 1.3, 1.2, 1.1, 1.1, 1.2, 1, 0.8, 0.7],
    "school-placement": [4, 5, 2, 1, 0.5, 0.5, 0.5, 2, 1, 0.4, 0.4, 0.3],
}
# Share of all cases per category; unknown categories share what is left.
SHARES = {
    "snow-ice": 0.15,
    "pothole": 0.10,
    "street-lighting": 0.08,
    "traffic-signs": 0.05,
    "waste-bins": 0.16,
    "graffiti": 0.08,
    "parks": 0.08,
    "invoice": 0.10,
    "school-placement": 0.04,
    "home-care": 0.04,
    "general-question": 0.12,
}
CHANNELS = {"web": 45, "phone": 33, "email": 10, "api": 7, "visit": 5}
# Hour of day (local) a report comes in.
HOURS = [
    0.3,
    0.2,
    0.1,
    0.1,
    0.2,
    0.5,
    1.5,
    4,
    7,
    8,
    7.5,
    7,
    6.5,
    7,
    7,
    6.5,
    6,
    5,
    4,
    3.5,
    3,
    2,
    1.2,
    0.6,
]
FIRST_CONTACT_SHARE = 0.7  # of phone and visit contacts, solved while the caller waits
PARKED_SHARE = 0.04
REOPENED_SHARE = 0.03


@dataclass
class Targets:
    acknowledge: dt.timedelta | None
    feedback: dt.timedelta | None
    resolve: dt.timedelta | None


@dataclass
class Life:
    """A seeded case's status and moments (None: not reached by now)."""

    status: str
    first_contact: bool
    acknowledge_by: dt.datetime | None = None
    feedback_by: dt.datetime | None = None
    resolve_by: dt.datetime | None = None
    acknowledged_at: dt.datetime | None = None
    feedback_given_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    parked_until: dt.date | None = None
    parked_at: dt.datetime | None = None
    status_before_parking: str = ""
    overdue_since: dt.datetime | None = None
    updated_at: dt.datetime | None = None


def month_weights(codes: list[str], months: list[dt.date]) -> list[list[float]]:
    """weights[category][month] for drawing both at once."""
    known = sum(SHARES.get(code, 0) for code in codes)
    unknown = [code for code in codes if code not in SHARES]
    rest = max(0.0, 1 - known) / len(unknown) if unknown else 0.0
    table = []
    for code in codes:
        season = SEASONS.get(code, [1] * 12)
        mean = sum(season) / 12
        share = SHARES.get(code, rest) or 0.01
        table.append([share * season[m.month - 1] / mean for m in months])
    return table


def reported_at(rng: random.Random, month: dt.date, zone, now: dt.datetime) -> dt.datetime:
    """A moment in ``month``: weekdays busier than weekends, days than nights."""
    next_month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    days = (next_month - month).days
    while True:
        day = month + dt.timedelta(days=rng.randrange(days))
        if day.weekday() >= 5 and rng.random() < 0.35:
            continue
        hour = rng.choices(range(24), weights=HOURS)[0]
        moment = dt.datetime.combine(
            day, dt.time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=zone
        )
        if moment < now:
            return moment


def lived(
    rng: random.Random,
    *,
    created: dt.datetime,
    now: dt.datetime,
    channel: str,
    has_place: bool,
    targets: Targets,
    pace: float,
    clock,
) -> Life:
    """How far a case got by ``now``; ``pace`` scales how long the
    responsible party takes (a slow contractor > 1)."""
    if channel in ("phone", "visit") and rng.random() < FIRST_CONTACT_SHARE * (
        0.6 if has_place else 1
    ):
        done = created + dt.timedelta(minutes=rng.uniform(2, 12))
        return Life(
            "closed", True, acknowledged_at=done, resolved_at=done, closed_at=done, updated_at=done
        )
    life = Life("assigned", False)
    for name, target in (
        ("acknowledge", targets.acknowledge),
        ("feedback", targets.feedback),
        ("resolve", targets.resolve),
    ):
        if target is None:
            continue
        setattr(life, f"{name}_by", clock.add(created, target))
    taken = {}
    for name, target, median in (
        ("acknowledged_at", targets.acknowledge, 0.45),
        ("feedback_given_at", targets.feedback, 0.55),
        ("resolved_at", targets.resolve, 0.6),
    ):
        share = median * pace * math.exp(rng.gauss(0, 0.7))
        base = target or dt.timedelta(hours=40)
        taken[name] = clock.add(created, base * share)
    acknowledged, feedback, resolved = (
        taken["acknowledged_at"],
        taken["feedback_given_at"],
        taken["resolved_at"],
    )
    feedback = max(feedback, acknowledged)
    resolved = max(resolved, feedback)
    closed = resolved + dt.timedelta(days=rng.uniform(0.5, 5))
    last = created
    for name, moment, status in (
        ("acknowledged_at", acknowledged, "acknowledged"),
        ("feedback_given_at", feedback, "feedback_given"),
        ("resolved_at", resolved, "resolved"),
        ("closed_at", closed, "closed"),
    ):
        if moment <= now:
            setattr(life, name, moment)
            life.status, last = status, moment
    life.updated_at = last
    if life.status in ("assigned", "acknowledged", "feedback_given"):
        if rng.random() < PARKED_SHARE:
            life.status_before_parking, life.status = life.status, "parked"
            life.parked_at = last + (now - last) * rng.random()
            life.parked_until = (now + dt.timedelta(days=rng.randint(-3, 30))).date()
            life.updated_at = life.parked_at
        elif life.resolve_by and now > life.resolve_by + dt.timedelta(days=1):
            life.overdue_since = life.resolve_by + dt.timedelta(days=1)
    elif life.status == "resolved" and rng.random() < REOPENED_SHARE * 10:
        life.status = "reopened"  # "not fixed", said the citizen
        life.updated_at = resolved + (now - resolved) * rng.random()
    return life
