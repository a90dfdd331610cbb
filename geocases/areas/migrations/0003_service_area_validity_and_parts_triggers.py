from django.db import migrations

VALID_ON = """
-- Is a service area in force on a date? Within its contract period, and, when
-- it has a season (MM-DD to MM-DD, possibly wrapping the new year), in season.
CREATE FUNCTION geocases_service_area_valid_on(
    valid_from date, valid_to date, season_start text, season_end text, on_date date
) RETURNS boolean AS $$
    SELECT on_date >= valid_from
       AND (valid_to IS NULL OR on_date <= valid_to)
       AND (
           season_start = ''
           OR CASE
               WHEN season_start <= season_end
                   THEN to_char(on_date, 'MM-DD') BETWEEN season_start AND season_end
               ELSE to_char(on_date, 'MM-DD') >= season_start
                    OR to_char(on_date, 'MM-DD') <= season_end
           END
       )
$$ LANGUAGE sql STABLE PARALLEL SAFE;
"""

TRIGGERS = """
CREATE FUNCTION areas_servicearea_size() RETURNS trigger AS $$
BEGIN
    NEW.size_m2 := ST_Area(NEW.geometry::geography);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER areas_servicearea_size
    BEFORE INSERT OR UPDATE OF geometry ON areas_servicearea
    FOR EACH ROW EXECUTE FUNCTION areas_servicearea_size();

CREATE FUNCTION areas_servicearea_parts() RETURNS trigger AS $$
BEGIN
    DELETE FROM areas_serviceareapart WHERE area_id = NEW.id;
    INSERT INTO areas_serviceareapart (area_id, geometry)
    SELECT NEW.id, part
    FROM ST_Subdivide(NEW.geometry, 64) AS part
    WHERE GeometryType(part) = 'POLYGON';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER areas_servicearea_parts
    AFTER INSERT OR UPDATE OF geometry ON areas_servicearea
    FOR EACH ROW EXECUTE FUNCTION areas_servicearea_parts();

-- Areas that existed before the triggers.
UPDATE areas_servicearea SET geometry = geometry;
"""

DROP = """
DROP TRIGGER areas_servicearea_parts ON areas_servicearea;
DROP FUNCTION areas_servicearea_parts();
DROP TRIGGER areas_servicearea_size ON areas_servicearea;
DROP FUNCTION areas_servicearea_size();
"""


class Migration(migrations.Migration):
    dependencies = [("areas", "0002_service_area_season_and_parts")]

    operations = [
        migrations.RunSQL(VALID_ON, "DROP FUNCTION geocases_service_area_valid_on"),
        migrations.RunSQL(TRIGGERS, DROP),
    ]
