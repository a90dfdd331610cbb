"""Synthetic data made in bulk inside PostgreSQL, for benchmarks.

A million cases in tens of seconds: one ``INSERT ... SELECT`` over
``generate_series``, with places drawn around the city centre (a normal
distribution, clipped to the city's box) so that density resembles a real
city's. Service areas are star-shaped polygons on a grid over the city, with
as many vertices as asked and some overlap with their neighbours, as real
contract maps have.

Used by ``bench/routing.py``; later benchmarks (statistics, heatmaps) use
``cases_generate`` for their million cases too.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from django.db import connection

# Greater Stockholm, where the demo districts are.
CITY_BOX = (17.75, 59.20, 18.35, 59.45)  # west, south, east, north
CITY_CENTRE = (18.06, 59.33)


@contextmanager
def timed():
    """``with timed() as t: ...`` then ``t[0]`` holds the elapsed seconds."""
    result = [0.0]
    start = time.perf_counter()
    try:
        yield result
    finally:
        result[0] = time.perf_counter() - start


SERVICE_AREAS_SQL = """
WITH grid AS (
    SELECT n, n %% %(columns)s AS col, n / %(columns)s AS row_
    FROM generate_series(0, %(count)s - 1) AS n
),
centres AS (
    SELECT n, col, row_,
           %(west)s + (col + 0.5) * %(cell_w)s AS cx,
           %(south)s + (row_ + 0.5) * %(cell_h)s AS cy
    FROM grid
),
rings AS (
    -- A wobbly star around the cell's centre, reaching 0.7 cell into its
    -- neighbours so that areas overlap as contract maps do.
    SELECT c.n, ST_MakePolygon(ST_AddPoint(line, ST_StartPoint(line))) AS polygon
    FROM centres c,
    LATERAL (
        SELECT ST_MakeLine(array_agg(ST_MakePoint(
                   c.cx + 0.7 * %(cell_w)s * (1 + 0.12 * sin(7 * t + c.n)) * cos(t),
                   c.cy + 0.7 * %(cell_h)s * (1 + 0.12 * sin(7 * t + c.n)) * sin(t))
               ORDER BY k)) AS line
        FROM generate_series(0, %(vertices)s - 2) AS k,
             LATERAL (SELECT 2 * pi() * k / (%(vertices)s - 1)) AS angle(t)
    ) drawn
)
INSERT INTO areas_servicearea
    (code, name, unit_id, geometry, valid_from, valid_to, season_start, season_end,
     priority, size_m2)
SELECT 'bench-' || n, 'Bench area ' || n,
       (%(units)s::bigint[])[1 + n %% cardinality(%(units)s::bigint[])],
       ST_Multi(ST_SetSRID(polygon, 4326)), DATE '2020-01-01', NULL, '', '', n %% 3, 0
FROM rings
RETURNING id
"""

AREA_CATEGORIES_SQL = """
-- Each area takes about half the categories, alternating like a checkerboard,
-- so a point is usually claimed by one area per category and sometimes by two.
INSERT INTO areas_servicearea_categories (servicearea_id, category_id)
SELECT a.id, c.id
FROM areas_servicearea a
JOIN LATERAL (SELECT substring(a.code from 7)::int AS n) grid ON true
JOIN (SELECT id, row_number() OVER (ORDER BY id) AS k FROM categories_category) c
  ON (c.k + grid.n + grid.n / %(columns)s) %% 2 = 0
WHERE a.code LIKE 'bench-%%'
"""


def service_areas_generate(
    *, count: int = 200, vertices: int = 200, unit_ids: list[int], columns: int = 20
) -> list[int]:
    """``count`` service areas of ``vertices`` vertices on a grid over the city,
    each for about half of the categories; returns their ids."""
    rows = -(-count // columns)
    west, south, east, north = CITY_BOX
    params = {
        "count": count,
        "columns": columns,
        "vertices": vertices,
        "west": west,
        "south": south,
        "cell_w": (east - west) / columns,
        "cell_h": (north - south) / rows,
        "units": unit_ids,
    }
    with connection.cursor() as cursor:
        cursor.execute(SERVICE_AREAS_SQL, params)
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(AREA_CATEGORIES_SQL, params)
        cursor.execute("ANALYZE areas_servicearea; ANALYZE areas_serviceareapart")
    return ids


CASES_SQL = """
INSERT INTO cases_case
    (number, status, channel, title, description, extra, priority, location, address,
     reporter_name, reporter_email, reporter_phone, reporter_language, resolution,
     resolved_at_first_contact, status_before_parking, created_at, updated_at,
     category_id, responsible_unit_id, routing, routing_flag, routing_locked)
SELECT
    -- Numbers in years long past, so they never meet the real counter's.
    (%(first_year)s + (%(offset)s + i) / 1000000)::text || '-'
        || lpad(((%(offset)s + i) %% 1000000)::text, 6, '0'),
    (%(statuses)s::text[])[1 + floor(random() * cardinality(%(statuses)s::text[]))::int],
    (ARRAY['phone', 'web', 'web', 'email', 'api'])[1 + i %% 5],
    'Synthetic case ' || i, '', '{}'::jsonb, 'normal',
    ST_SetSRID(ST_MakePoint(
        least(greatest(%(lon)s + %(sigma_lon)s * normal.z1, %(west)s), %(east)s),
        least(greatest(%(lat)s + %(sigma_lat)s * normal.z2, %(south)s), %(north)s)), 4326),
    '', '', '', '', 'sv', '', false, '', created, created,
    cat.id, cat.default_unit_id, '{}'::jsonb, '', false
FROM generate_series(1, %(count)s) AS i
-- Each lateral names i, so PostgreSQL draws anew for every row.
CROSS JOIN LATERAL (SELECT i AS j, greatest(random(), 1e-12) AS u1, random() AS u2) AS u
CROSS JOIN LATERAL (
    -- Box-Muller: two normal draws from two uniform ones.
    SELECT sqrt(-2 * ln(u.u1)) * cos(2 * pi() * u.u2) AS z1,
           sqrt(-2 * ln(u.u1)) * sin(2 * pi() * u.u2) AS z2
) AS normal
CROSS JOIN LATERAL (
    SELECT i AS j, now() - random() * interval '730 days' AS created
) AS t
JOIN (
    SELECT id, default_unit_id, row_number() OVER (ORDER BY id) - 1 AS k,
           count(*) OVER () AS n
    FROM categories_category WHERE place_kind <> 'none'
) AS cat ON cat.k = i %% cat.n
"""


def cases_generate(
    *,
    count: int = 1_000_000,
    statuses: tuple[str, ...] = ("new", "assigned", "assigned", "assigned", "reopened"),
    first_year: int = 2000,
) -> float:
    """Insert ``count`` cases with points spread around the city centre, each of
    a category that takes a place, given to the category's default unit (not
    yet routed). Returns the seconds it took, ``ANALYZE`` included."""
    west, south, east, north = CITY_BOX
    lon, lat = CITY_CENTRE
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        (offset,) = cursor.fetchone()
        start = time.perf_counter()
        cursor.execute(
            CASES_SQL,
            {
                "count": count,
                "offset": offset,
                "first_year": first_year,
                "statuses": list(statuses),
                "lon": lon,
                "lat": lat,
                "sigma_lon": 0.10,
                "sigma_lat": 0.05,
                "west": west,
                "south": south,
                "east": east,
                "north": north,
            },
        )
        cursor.execute("ANALYZE cases_case")
    return time.perf_counter() - start
