"""The grid: Python and SQL agree on every cell, and a change not yet folded
is placed by its stored Mercator fractions exactly as by the formulas."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from geocases.insights.grid import LEVELS, cell_x, cell_y
from geocases.insights.models import CellChange, CellCount
from geocases.insights.services import cells_fold

pytestmark = pytest.mark.django_db


def points() -> list[tuple[float, float]]:
    rng = random.Random(20261203)  # noqa: S311 - test data
    found = [(rng.uniform(17.6, 18.4), rng.uniform(59.1, 59.6)) for _ in range(300)]
    found += [(rng.uniform(-180, 180), rng.uniform(-89, 89)) for _ in range(100)]
    # Points on cell edges: a level's edge is an edge at every finer level.
    found += [(-180 + 360 * k / 2**14, 59.3) for k in range(9000, 9010)]
    found += [(180.0, 85.0511287798), (-180.0, -85.0511287798), (18.0, 90.0), (18.0, -90.0)]
    # Next to the equator, where the formula's arithmetic would underflow.
    found += [(5e-324, -5e-324), (-5e-324, 5e-324), (0.0, 1e-300), (0.0, -1e-310), (0.0, 1e-15)]
    return found


def change_record(lon: float, lat: float) -> None:
    """A new case's change, as the trigger writes it, at (lon, lat)."""
    CellChange.objects.create(
        n=1,
        lon=lon,
        lat=lat,
        month="2026-01-01",
        category_id=1,
        status="new",
        unit_id=0,
        channel="web",
    )


def test_a_change_is_placed_by_its_fractions_as_by_the_formulas():
    for lon, lat in points():
        change_record(lon, lat)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lon, lat, level, insights_cell_index(mx, level), insights_cell_x(lon, level),"
            " insights_cell_index(my, level), insights_cell_y(lat, level)"
            " FROM insights_cellchange, unnest(%s::integer[]) level",
            [[*LEVELS, 0, 20]],
        )
        rows = cursor.fetchall()
    assert len(rows) == len(points()) * (len(LEVELS) + 2)
    for lon, lat, level, x, sql_x, y, sql_y in rows:
        assert (x, y) == (sql_x, sql_y), (lon, lat, level)
        assert (x, y) == (cell_x(lon, level), cell_y(lat, level)), (lon, lat, level)


def test_a_change_next_to_the_equator_is_folded():
    """A place a hair from the equator (a hostile report may store one) is
    counted, not a fold that fails on it for good."""
    for lon, lat in [(5e-324, -5e-324), (18.0, 2.5e-320)]:
        change_record(lon, lat)
    assert cells_fold()
    level = LEVELS.stop - 1
    cells = set(CellCount.objects.filter(level=level).values_list("cx", "cy", "n"))
    assert cells == {
        (cell_x(5e-324, level), 2 ** (level - 1), 1),
        (cell_x(18.0, level), 2 ** (level - 1), 1),
    }
