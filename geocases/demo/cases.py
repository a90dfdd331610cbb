"""Sample cases for the demo city, created through the real services so that
each has a true history: registered, forwarded, worked on, parked, reopened…

Dates are spread over the past months by setting the clock (time-machine)
while each step runs; nothing is back-dated afterwards, since history is
append-only.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import time_machine
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from geocases.accounts.models import Role, User
from geocases.areas.models import District
from geocases.cases.actors import SYSTEM, Actor
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case, Channel
from geocases.cases.services import (
    case_assign,
    case_create,
    case_note_add,
    case_transition,
)
from geocases.categories.models import Category, FieldType, PlaceKind
from geocases.demo.services import ascii_fold

# How far along each sample case gets, with weights.
_OUTCOMES = {
    Status.NEW: 8,
    Status.ASSIGNED: 14,
    Status.ACKNOWLEDGED: 10,
    Status.FEEDBACK_GIVEN: 8,
    Status.RESOLVED: 15,
    Status.CLOSED: 30,
    Status.PARKED: 7,
    Status.REOPENED: 8,
}
_CHANNELS = {
    Channel.PHONE: 40,
    Channel.WEB: 35,
    Channel.EMAIL: 15,
    Channel.VISIT: 5,
    Channel.API: 5,
}


@dataclass
class _Context:
    rng: random.Random
    people: dict
    agents: list[Actor]


@transaction.atomic
def demo_cases_load(*, spec: dict, count: int, seed: int = 2026, progress=None) -> int:
    """Create ``count`` sample cases unless the city already has cases; return how many."""
    if count <= 0 or Case.objects.exists():
        return 0
    rng = random.Random(seed)
    agents = [
        Actor.staff(u)
        for u in User.objects.filter(role=Role.AGENT).exclude(
            password__startswith=UNUSABLE_PASSWORD_PREFIX
        )
    ]
    context = _Context(rng=rng, people=spec, agents=agents)
    categories = list(Category.objects.filter(is_active=True).prefetch_related("fields"))
    points = _points_in_districts(count, seed)
    now = timezone.now()
    # Registered in date order, so numbers rise with time as they do for real.
    dates = sorted(now - dt.timedelta(days=rng.uniform(0.2, 180)) for _ in range(count))
    steps = range(count)
    for index in progress(steps, "sample cases", count) if progress else steps:
        category = rng.choice(categories)
        created = dates[index]
        with time_machine.travel(created, tick=False):
            case = _register(context, category, points[index])
        _work_on(context, case, created, now)
    return count


def _points_in_districts(count: int, seed: int) -> list[Point]:
    """Random points on land, more of them in the districts nearest the centre."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH weighted AS (
                SELECT land_geometry AS geom,
                       1.0 / (0.01 + ST_Distance(ST_PointOnSurface(land_geometry),
                                                 ST_SetSRID(ST_MakePoint(18.0686, 59.3326), 4326)))
                       AS weight
                FROM areas_district WHERE land_geometry IS NOT NULL
            ), shares AS (
                SELECT geom, CEIL(%s * weight / SUM(weight) OVER ())::int AS n FROM weighted
            )
            SELECT ST_X(p.geom), ST_Y(p.geom)
            FROM shares, LATERAL ST_Dump(ST_GeneratePoints(geom, n, %s)) AS p
            """,
            [count, seed],
        )
        rows = cursor.fetchall()
    random.Random(seed).shuffle(rows)
    return [Point(x, y, srid=4326) for x, y in rows[:count]]


def _register(context: _Context, category: Category, point: Point) -> Case:
    rng, people = context.rng, context.people
    channel = rng.choices(list(_CHANNELS), weights=list(_CHANNELS.values()))[0]
    anonymous = channel == Channel.WEB and rng.random() < 0.4
    first, last = rng.choice(people["first_names"]), rng.choice(people["last_names"])
    has_place = category.place_kind != PlaceKind.NONE
    return case_create(
        actor=rng.choice(context.agents) if channel == Channel.PHONE else SYSTEM,
        channel=channel,
        category=category,
        description=rng.choice(people["texts"].get(category.code, ["—"])),
        extra=_extra_values(rng, category),
        location=point if has_place else None,
        address=District.objects.filter(geometry__intersects=point)
        .values_list("name", flat=True)
        .first()
        or ""
        if has_place
        else "",
        reporter_name="" if anonymous else f"{first} {last}",
        reporter_email="" if anonymous else ascii_fold(f"{first}.{last}@example.org".lower()),
        reporter_phone="" if anonymous else f"070-174 06 {rng.randint(5, 99):02d}",
        reporter_language=rng.choices(["sv", "en"], weights=[9, 1])[0],
    )


def _extra_values(rng: random.Random, category: Category) -> dict:
    values = {}
    for field in category.fields.all():
        keys = [choice["key"] for choice in field.choices]
        if field.datatype == FieldType.SINGLE_CHOICE:
            values[field.code] = rng.choice(keys)
        elif field.datatype == FieldType.MULTIPLE_CHOICE:
            values[field.code] = rng.sample(keys, rng.randint(1, len(keys)))
        elif field.datatype == FieldType.NUMBER and field.required:
            values[field.code] = rng.randint(1, 9)
        elif field.required:
            values[field.code] = f"{rng.randint(100000, 999999)}"
    return values


def _worker_for(case: Case, agent: Actor) -> Actor:
    """Someone of the responsible unit who logs in; customer service works the
    cases of units that have nobody in the system."""
    member = case.responsible_unit.members.exclude(
        password__startswith=UNUSABLE_PASSWORD_PREFIX
    ).first()
    return Actor.staff(member) if member else agent


def _work_on(context: _Context, case: Case, start: dt.datetime, now: dt.datetime) -> None:
    """Take the case along its lifecycle to a randomly chosen outcome, step by step in time."""
    rng = context.rng
    outcome = rng.choices(list(_OUTCOMES), weights=list(_OUTCOMES.values()))[0]
    agent = rng.choice(context.agents)
    span = (now - start) / 6
    clock = [start]

    def at() -> time_machine.travel:
        clock[0] += span * rng.uniform(0.3, 1.0)
        return time_machine.travel(clock[0], tick=False)

    if outcome == Status.NEW:
        return
    if case.status == Status.NEW:
        if case.category.place_kind == PlaceKind.NONE and outcome in (
            Status.CLOSED,
            Status.RESOLVED,
        ):
            with at():  # most such calls are solved while the citizen is on the phone
                case_transition(
                    case=case,
                    actor=agent,
                    to=Status.CLOSED,
                    resolution=rng.choice(context.people["resolutions"]),
                )
            return
        with at():  # the agent forwards to whoever routing proposed
            case_assign(case=case, actor=agent, unit=case.responsible_unit)
    if outcome == Status.PARKED:
        with at():
            case_transition(
                case=case,
                actor=agent,
                to=Status.PARKED,
                reason="Väntar på besked",
                follow_up_date=timezone.localdate() + dt.timedelta(days=rng.randint(0, 20)),
            )
        return
    worker = _worker_for(case, agent)
    path = [Status.ACKNOWLEDGED, Status.FEEDBACK_GIVEN, Status.RESOLVED, Status.CLOSED]
    for status in path:
        if outcome == Status.ASSIGNED:
            return
        with at():
            case_transition(
                case=case,
                actor=worker if status != Status.CLOSED else agent,
                to=status,
                message="Vi har tagit emot ärendet och åtgärdar det inom kort.",
                resolution=rng.choice(context.people["resolutions"]),
            )
        if status == Status.ACKNOWLEDGED and rng.random() < 0.3:
            with at():
                case_note_add(case=case, actor=worker, text="Besiktigat på plats.", public=False)
        if status == outcome or (outcome == Status.REOPENED and status == Status.RESOLVED):
            break
    if outcome == Status.REOPENED:
        with at():
            case_transition(
                case=case,
                actor=agent,
                to=Status.REOPENED,
                reason="Medborgaren hör av sig: inte åtgärdat.",
            )
