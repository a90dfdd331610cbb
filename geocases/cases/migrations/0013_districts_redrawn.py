"""A district drawn anew, added or removed places the cases it covered (or
now covers) again, so that the statistics per district and the district map
agree with where the cases are. Before, a case's district was set only when
its own place changed."""

from django.db import migrations

TRIGGERS = """
CREATE FUNCTION cases_districts_redrawn() RETURNS trigger AS $$
DECLARE
    drawn geometry[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(n.geometry) INTO drawn FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(o.geometry) INTO drawn FROM old_rows o;
    ELSE
        SELECT array_agg(g) INTO drawn FROM (
            SELECT unnest(ARRAY[o.geometry, n.geometry]) AS g
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.geometry IS DISTINCT FROM n.geometry
        ) s;
    END IF;
    IF drawn IS NULL THEN
        RETURN NULL;  -- a name changed, not a border
    END IF;
    UPDATE cases_case c SET district_id = placed.district_id
    FROM (
        SELECT hit.id, (
            SELECT d.id FROM areas_district d
            WHERE ST_Intersects(d.geometry, ST_PointOnSurface(hit.location))
            ORDER BY d.id LIMIT 1
        ) AS district_id
        FROM cases_case hit
        WHERE hit.id IN (
            SELECT c2.id FROM unnest(drawn) AS g
            JOIN cases_case c2 ON ST_Intersects(c2.location, g)
        )
    ) placed
    WHERE c.id = placed.id AND c.district_id IS DISTINCT FROM placed.district_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_districts_inserted AFTER INSERT ON areas_district
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_districts_redrawn();
CREATE TRIGGER cases_districts_updated AFTER UPDATE ON areas_district
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_districts_redrawn();
CREATE TRIGGER cases_districts_deleted AFTER DELETE ON areas_district
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_districts_redrawn();
"""

DROP = """
DROP TRIGGER cases_districts_deleted ON areas_district;
DROP TRIGGER cases_districts_updated ON areas_district;
DROP TRIGGER cases_districts_inserted ON areas_district;
DROP FUNCTION cases_districts_redrawn();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_case_numbers_from_sequences"),
        ("areas", "0006_service_area_contract_targets"),
    ]

    operations = [migrations.RunSQL(TRIGGERS, DROP)]
