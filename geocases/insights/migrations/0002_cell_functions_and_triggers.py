"""The grid in SQL and the triggers that record every change of a case that
the map counts. Statement triggers with transition tables: one INSERT per
statement, so re-routing a million cases writes its changes in bulk."""

from django.conf import settings
from django.db import migrations

FUNCTIONS = """
-- Not STRICT, and one expression each, so that PostgreSQL inlines them
-- into the queries instead of calling a function per row.
CREATE FUNCTION insights_cell_x(lon double precision, level integer) RETURNS integer AS $$
    SELECT least(floor((lon + 180.0) / 360.0 * 2 ^ level), 2 ^ level - 1)::integer
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION insights_cell_y(lat double precision, level integer) RETURNS integer AS $$
    SELECT least(greatest(floor(
        (1 - ln(tan(radians(least(greatest(lat, -85.0511287798), 85.0511287798)))
                + 1 / cos(radians(least(greatest(lat, -85.0511287798), 85.0511287798))))
           / pi()) / 2 * 2 ^ level), 0), 2 ^ level - 1)::integer
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- The month a case was registered in, in the city's time zone.
CREATE FUNCTION insights_month(at timestamptz) RETURNS date AS $$
    SELECT date_trunc('month', at AT TIME ZONE '%(time_zone)s')::date
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- Where the map counts a case: a point on its place, coarsened to the
-- public grid (about 100 m) when its category may concern a home.
CREATE FUNCTION insights_point(location geometry, coarsen boolean) RETURNS geometry AS $$
    SELECT CASE WHEN coarsen THEN ST_SnapToGrid(ST_PointOnSurface(location), 0.001)
                ELSE ST_PointOnSurface(location) END
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
"""

TRIGGERS = """
CREATE FUNCTION insights_cases_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO insights_cellchange
            (n, lon, lat, month, category_id, status, unit_id, channel)
        SELECT 1, ST_X(p), ST_Y(p), insights_month(c.created_at), c.category_id, c.status,
               coalesce(c.responsible_unit_id, 0), c.channel
        FROM new_rows c
        JOIN categories_category k ON k.id = c.category_id,
        insights_point(c.location, k.concerns_home) p
        WHERE c.location IS NOT NULL;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO insights_cellchange
            (n, lon, lat, month, category_id, status, unit_id, channel)
        SELECT -1, ST_X(p), ST_Y(p), insights_month(c.created_at), c.category_id, c.status,
               coalesce(c.responsible_unit_id, 0), c.channel
        FROM old_rows c
        JOIN categories_category k ON k.id = c.category_id,
        insights_point(c.location, k.concerns_home) p
        WHERE c.location IS NOT NULL;
    ELSE
        INSERT INTO insights_cellchange
            (n, lon, lat, month, category_id, status, unit_id, channel)
        SELECT s.n, ST_X(p), ST_Y(p), insights_month(s.created_at), s.category_id, s.status,
               coalesce(s.responsible_unit_id, 0), s.channel
        FROM old_rows o
        JOIN new_rows c ON c.id = o.id
        CROSS JOIN LATERAL (VALUES
            (-1, o.location, o.created_at, o.category_id, o.status, o.responsible_unit_id,
             o.channel),
            (1, c.location, c.created_at, c.category_id, c.status, c.responsible_unit_id,
             c.channel)
        ) AS s(n, location, created_at, category_id, status, responsible_unit_id, channel)
        JOIN categories_category k ON k.id = s.category_id
        CROSS JOIN LATERAL insights_point(s.location, k.concerns_home) p
        WHERE s.location IS NOT NULL
          AND (o.location, o.created_at, o.category_id, o.status, o.responsible_unit_id,
               o.channel)
              IS DISTINCT FROM
              (c.location, c.created_at, c.category_id, c.status, c.responsible_unit_id,
               c.channel);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER insights_cases_inserted AFTER INSERT ON cases_case
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION insights_cases_changed();
CREATE TRIGGER insights_cases_updated AFTER UPDATE ON cases_case
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION insights_cases_changed();
CREATE TRIGGER insights_cases_deleted AFTER DELETE ON cases_case
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION insights_cases_changed();

-- Cases that existed before: counted at the next fold.
INSERT INTO insights_cellchange (n, lon, lat, month, category_id, status, unit_id, channel)
SELECT 1, ST_X(p), ST_Y(p), insights_month(c.created_at), c.category_id, c.status,
       coalesce(c.responsible_unit_id, 0), c.channel
FROM cases_case c
JOIN categories_category k ON k.id = c.category_id,
insights_point(c.location, k.concerns_home) p
WHERE c.location IS NOT NULL;
"""

DROP_TRIGGERS = """
DROP TRIGGER insights_cases_deleted ON cases_case;
DROP TRIGGER insights_cases_updated ON cases_case;
DROP TRIGGER insights_cases_inserted ON cases_case;
DROP FUNCTION insights_cases_changed();
"""

DROP_FUNCTIONS = """
DROP FUNCTION insights_point(geometry, boolean);
DROP FUNCTION insights_month(timestamptz);
DROP FUNCTION insights_cell_y(double precision, integer);
DROP FUNCTION insights_cell_x(double precision, integer);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("cases", "0007_caseevent_kind_email"),
        ("categories", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS % {"time_zone": settings.TIME_ZONE}, DROP_FUNCTIONS),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
