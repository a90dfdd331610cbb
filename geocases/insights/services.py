"""Keeping the map's cell counts and the statistics per month: folding
recorded changes into them, and rebuilding them from the cases (after a
bulk load, or a change of which categories concern homes)."""

from __future__ import annotations

from django.db import connection, transaction

from geocases.insights.grid import LEVELS
from geocases.insights.models import STAT_KEYS, STAT_MEASURES
from geocases.insights.rollup import contributions_of_all_cases

# Only one fold at a time (a second one would wait on the first's rows).
FOLD_LOCK = 0x6765_6F63_656C_6C73 & 0x7FFF_FFFF_FFFF_FFFF  # "geocells"

LEVEL_RANGE = {"first_level": LEVELS.start, "last_level": LEVELS.stop - 1}

FOLD_SQL = """
WITH moved AS (
    DELETE FROM insights_cellchange
    RETURNING n, lon, lat, month, category_id, status, unit_id, channel
),
cells AS (
    SELECT l.level, insights_cell_x(m.lon, l.level) AS cx, insights_cell_y(m.lat, l.level) AS cy,
           m.month, m.category_id, m.status, m.unit_id, m.channel,
           sum(m.n)::integer AS n, sum(m.n * m.lon) AS sum_lon, sum(m.n * m.lat) AS sum_lat
    FROM moved m
    CROSS JOIN generate_series(%(first_level)s, %(last_level)s) AS l(level)
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
),
with_kind AS (
    INSERT INTO insights_celldimcount AS t
        (level, cx, cy, month, category_id, status, unit_id, channel, n, sum_lon, sum_lat)
    SELECT * FROM cells
    ON CONFLICT (level, cx, cy, month, category_id, status, unit_id, channel) DO UPDATE
    SET n = t.n + excluded.n,
        sum_lon = t.sum_lon + excluded.sum_lon,
        sum_lat = t.sum_lat + excluded.sum_lat
)
INSERT INTO insights_cellcount AS t (level, cx, cy, month, n, sum_lon, sum_lat)
SELECT level, cx, cy, month, sum(n), sum(sum_lon), sum(sum_lat)
FROM cells GROUP BY 1, 2, 3, 4
ON CONFLICT (level, cx, cy, month) DO UPDATE
SET n = t.n + excluded.n,
    sum_lon = t.sum_lon + excluded.sum_lon,
    sum_lat = t.sum_lat + excluded.sum_lat
"""


_STAT_KEYS = ", ".join(STAT_KEYS)
STAT_FOLD_SQL = f"""
WITH moved AS (
    DELETE FROM insights_statchange RETURNING {_STAT_KEYS}, {", ".join(STAT_MEASURES)}
)
INSERT INTO insights_statmonth AS t ({_STAT_KEYS}, {", ".join(STAT_MEASURES)})
SELECT {_STAT_KEYS}, {", ".join(f"sum({m})" for m in STAT_MEASURES)}
FROM moved GROUP BY {_STAT_KEYS}
ON CONFLICT ({_STAT_KEYS}) DO UPDATE
SET {", ".join(f"{m} = t.{m} + excluded.{m}" for m in STAT_MEASURES)}
"""  # noqa: S608 - fixed column names


def cells_fold() -> bool:
    """Fold the recorded changes into the map's counts and the statistics;
    cells and rows left empty go. False if another fold is running (this
    one is then not needed)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(FOLD_SQL, LEVEL_RANGE)
        cursor.execute("DELETE FROM insights_celldimcount WHERE n = 0")
        cursor.execute("DELETE FROM insights_cellcount WHERE n = 0")
        cursor.execute(STAT_FOLD_SQL)
        cursor.execute("DELETE FROM insights_statmonth WHERE cases = 0")
    return True


REBUILD_SQL = """
INSERT INTO insights_cellchange (n, lon, lat, month, category_id, status, unit_id, channel)
SELECT 1, ST_X(p), ST_Y(p), insights_month(c.created_at), c.category_id, c.status,
       coalesce(c.responsible_unit_id, 0), c.channel
FROM cases_case c
JOIN categories_category k ON k.id = c.category_id,
insights_point(c.location, k.concerns_home) p
WHERE c.location IS NOT NULL
"""


def cells_tidy() -> None:
    """After a bulk fold: the change table's dead rows reclaimed and the
    counts' statistics renewed, so readers plan for what is there now.
    (Outside a transaction only; autovacuum does it in the long run.)"""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in (
            "insights_cellchange",
            "insights_cellcount",
            "insights_celldimcount",
            "insights_statchange",
            "insights_statmonth",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def cells_rebuild() -> None:
    """Count every case again from scratch. Writers of cases wait meanwhile
    (their triggers need the change table), so nothing is counted twice or lost."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FOLD_LOCK])
        cursor.execute(
            "TRUNCATE insights_cellchange, insights_cellcount, insights_celldimcount, "
            "insights_statchange, insights_statmonth"
        )
        cursor.execute(REBUILD_SQL)
        cursor.execute(FOLD_SQL, LEVEL_RANGE)
        cursor.execute(contributions_of_all_cases())
        cursor.execute(STAT_FOLD_SQL)
