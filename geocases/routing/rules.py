"""The routing rules, as one SQL decision over a set of places.

Who is responsible for a case follows from its place and category:

- a point: the service areas for the category, in force on the day, that
  cover it (a point on a boundary is covered); the highest priority wins,
  then the smallest area (the more specific contract);
- a polygon: the candidate with the largest overlap, then priority and size;
- near another candidate's boundary (``ROUTING_CONFIRM_METERS``), or a polygon
  spanning two contracts: routed, but flagged for an agent to confirm;
- no candidate: the category's default unit, flagged "outside coverage";
- no place: the category's default unit.

The same SQL decides for one place (creation, preview) and for a batch of
cases (bulk re-routing), so there is exactly one definition of the rules. The
``places`` CTE supplies ``id, category_id, location, default_unit_id``.
"""

from __future__ import annotations

import math

DEGREES_PER_METRE_LAT = 1 / 111_320

# Every (place, service area) pair within reach of the place, found with one
# probe of the parts' spatial index per place, then settled with sorts over
# narrow rows: no join between intermediate results, whose sizes the planner
# cannot guess, so the cost stays linear in the number of places.
PAIRS = """
touching AS (
    SELECT pl.id AS place_id, pl.default_unit_id,
           pl.location IS NULL AS no_place,
           coalesce(GeometryType(pl.location) = 'POINT', false) AS is_point,
           x.area_id, x.unit_id, x.priority, x.size_m2, x.covers, x.overlap_m2, x.near_edge
    FROM places pl
    LEFT JOIN LATERAL (
        SELECT area_id, unit_id, priority, size_m2, covers,
               CASE WHEN NOT covers OR GeometryType(pl.location) = 'POINT' THEN 0
                    ELSE ST_Area(ST_Intersection(part, pl.location)::geography)
               END AS overlap_m2,
               -- Near the area's edge: within reach of it but not wholly inside
               -- it. The whole area (large, stored out of line) is read only
               -- for the few places on or near an edge of this small part;
               -- metres on the sphere only after a planar test in degrees
               -- that is never shorter than the metres asked.
               CASE WHEN inside THEN false
                    WHEN covers THEN NOT (SELECT ST_Contains(a.geometry, pl.location)
                                          FROM areas_servicearea a WHERE a.id = nearby.area_id)
                    WHEN NOT ST_DWithin(part, pl.location, %(near_degrees)s) THEN false
                    WHEN NOT ST_DWithin(part::geography, pl.location::geography,
                                        %(near_metres)s, false) THEN false
                    ELSE NOT (SELECT ST_Contains(a.geometry, pl.location)
                              FROM areas_servicearea a WHERE a.id = nearby.area_id)
               END AS near_edge
        FROM (
            -- The parts carry their area's unit, categories, validity,
            -- priority and size: one index probe, no joins.
            SELECT p.area_id, p.unit_id, p.priority, p.size_m2, p.geometry AS part,
                   inside, inside OR ST_Intersects(p.geometry, pl.location) AS covers
            FROM areas_serviceareapart p
            CROSS JOIN LATERAL (SELECT ST_Contains(p.geometry, pl.location) AS inside) test
            WHERE p.geometry && ST_Expand(pl.location, %(near_degrees)s)
              AND pl.category_id = ANY (p.category_ids)
              AND geocases_service_area_valid_on(p.valid_from, p.valid_to, p.season_start,
                                                 p.season_end, %(on)s)
            OFFSET 0  -- keeps each spatial test computed once per row
        ) nearby
    ) x ON true
),
pairs AS (
    -- One row per place and area (a place may touch several parts of one area).
    SELECT place_id, default_unit_id, no_place, is_point, area_id, unit_id, priority, size_m2,
           coalesce(bool_or(covers), false) AS covers, sum(overlap_m2) AS overlap_m2,
           coalesce(bool_or(near_edge), false) AS near_edge
    FROM touching
    GROUP BY place_id, default_unit_id, no_place, is_point, area_id, unit_id, priority, size_m2
),
ranked AS (
    SELECT pairs.*, row_number() OVER (
               PARTITION BY place_id
               ORDER BY covers DESC, overlap_m2 DESC, priority DESC, size_m2, area_id
           ) AS rank
    FROM pairs
)
"""

DECISION = """
SELECT place_id AS id,
       min(area_id) FILTER (WHERE rank = 1 AND covers) AS area_id,
       coalesce(min(unit_id) FILTER (WHERE rank = 1 AND covers), min(default_unit_id)) AS unit_id,
       CASE WHEN bool_and(no_place) THEN 'no_place'
            WHEN NOT bool_or(covers) THEN 'no_candidate'
            WHEN bool_and(is_point) THEN 'point'
            ELSE 'area' END AS rule,
       CASE WHEN bool_and(no_place) THEN ''
            WHEN NOT bool_or(covers) THEN 'outside_coverage'
            WHEN bool_or(near_edge AND rank > 1) THEN 'confirm'
            ELSE '' END AS flag
FROM ranked
GROUP BY place_id
"""

EXPLAINED = """
SELECT d.id, d.area_id, d.unit_id, d.rule, d.flag,
       (SELECT coalesce(json_agg(json_build_object(
                   'id', a.id, 'code', a.code, 'name', a.name, 'priority', a.priority,
                   'size_m2', a.size_m2, 'unit_id', u.id, 'unit_name', u.name,
                   'acknowledge_within', extract(epoch FROM a.acknowledge_within),
                   'feedback_within', extract(epoch FROM a.feedback_within),
                   'resolve_within', extract(epoch FROM a.resolve_within),
                   'overlap_m2', r.overlap_m2, 'covers', r.covers) ORDER BY r.rank), '[]')::text
        FROM ranked r
        JOIN areas_servicearea a ON a.id = r.area_id
        JOIN organisations_organisationunit u ON u.id = a.unit_id
        WHERE r.place_id = d.id AND (r.covers OR (r.near_edge AND r.rank > 1))) AS candidates
FROM decided d
"""


def decision_sql(places_sql: str) -> str:
    """SQL returning ``id, area_id, unit_id, rule, flag`` for each place.

    ``places_sql`` yields ``id, category_id, location, default_unit_id``; it
    is the callers' fixed SQL, never built from input."""
    return f"WITH places AS ({places_sql}),{PAIRS}{DECISION}"


def explained_sql(places_sql: str) -> str:
    """``decision_sql`` plus ``candidates`` for the explanation, a JSON list of
    the areas a place touches, best first, and the others whose edge is
    within reach: each with its unit, overlap and whether it covers the place."""
    return f"WITH places AS ({places_sql}),{PAIRS}, decided AS ({DECISION}){EXPLAINED}"


def near_degrees(metres: float, latitude: float) -> float:
    """A box half-width in degrees that surely contains ``metres`` around a
    point at ``latitude`` (longitude degrees shrink towards the poles)."""
    shrink = max(math.cos(math.radians(min(abs(latitude), 89))), 0.01)
    return metres * DEGREES_PER_METRE_LAT / shrink
