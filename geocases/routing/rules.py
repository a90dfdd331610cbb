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

CANDIDATES = """
candidates AS (
    SELECT pl.id AS place_id, a.id AS area_id, a.unit_id, a.priority, a.size_m2,
           SUM(CASE WHEN GeometryType(pl.location) = 'POINT' THEN 0
                    ELSE ST_Area(ST_Intersection(p.geometry, pl.location)::geography)
               END) AS overlap_m2
    FROM places pl
    JOIN areas_serviceareapart p ON ST_Intersects(p.geometry, pl.location)
    JOIN areas_servicearea a ON a.id = p.area_id
    JOIN areas_servicearea_categories ac
      ON ac.servicearea_id = a.id AND ac.category_id = pl.category_id
    WHERE geocases_service_area_valid_on(a.valid_from, a.valid_to, a.season_start,
                                         a.season_end, %(on)s)
    GROUP BY pl.id, a.id
),
chosen AS (
    SELECT DISTINCT ON (place_id) place_id, area_id, unit_id
    FROM candidates
    ORDER BY place_id, overlap_m2 DESC, priority DESC, size_m2, area_id
),
near_other AS (
    -- Another candidate whose edge is within reach: near it outside, on it,
    -- or (for a polygon) overlapping it without containing the whole place.
    SELECT DISTINCT ch.place_id, a.id AS area_id
    FROM chosen ch
    JOIN places pl ON pl.id = ch.place_id
    JOIN LATERAL (
        SELECT DISTINCT p.area_id FROM areas_serviceareapart p
        WHERE p.geometry && ST_Expand(pl.location, %(near_degrees)s) AND p.area_id <> ch.area_id
    ) close_by ON true
    JOIN areas_servicearea a ON a.id = close_by.area_id
    JOIN areas_servicearea_categories ac
      ON ac.servicearea_id = a.id AND ac.category_id = pl.category_id
    WHERE geocases_service_area_valid_on(a.valid_from, a.valid_to, a.season_start,
                                         a.season_end, %(on)s)
      AND ST_DWithin(a.geometry::geography, pl.location::geography, %(near_metres)s)
      AND NOT ST_Contains(a.geometry, pl.location)
)
"""

DECISION = """
SELECT pl.id, ch.area_id, COALESCE(ch.unit_id, pl.default_unit_id) AS unit_id,
       CASE WHEN pl.location IS NULL THEN 'no_place'
            WHEN ch.area_id IS NULL THEN 'no_candidate'
            WHEN GeometryType(pl.location) = 'POINT' THEN 'point'
            ELSE 'area' END AS rule,
       CASE WHEN pl.location IS NOT NULL AND ch.area_id IS NULL THEN 'outside_coverage'
            WHEN EXISTS (SELECT 1 FROM near_other n WHERE n.place_id = pl.id) THEN 'confirm'
            ELSE '' END AS flag
FROM places pl
LEFT JOIN chosen ch ON ch.place_id = pl.id
"""


def decision_sql(places_sql: str) -> str:
    """SQL returning ``id, area_id, unit_id, rule, flag`` for each place."""
    return f"WITH places AS ({places_sql}),{CANDIDATES}{DECISION}"


def candidates_sql(places_sql: str) -> str:
    """SQL listing every candidate area of the places, for the explanation."""
    # Composed of this module's constants and the callers' fixed SQL, never of input.
    listing = (
        "SELECT area_id, overlap_m2, true AS covers FROM candidates "
        "UNION ALL SELECT area_id, 0, false FROM near_other"
    )
    return f"WITH places AS ({places_sql}),{CANDIDATES}{listing}"


def near_degrees(metres: float, latitude: float) -> float:
    """A box half-width in degrees that surely contains ``metres`` around a
    point at ``latitude`` (longitude degrees shrink towards the poles)."""
    shrink = max(math.cos(math.radians(min(abs(latitude), 89))), 0.01)
    return metres * DEGREES_PER_METRE_LAT / shrink
