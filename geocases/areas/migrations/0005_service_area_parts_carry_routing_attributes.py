import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

TRIGGERS = """
-- Rebuild an area's parts when its geometry changes, each part carrying the
-- area's routing attributes.
CREATE OR REPLACE FUNCTION areas_servicearea_parts() RETURNS trigger AS $$
BEGIN
    DELETE FROM areas_serviceareapart WHERE area_id = NEW.id;
    INSERT INTO areas_serviceareapart
        (area_id, geometry, unit_id, category_ids, valid_from, valid_to,
         season_start, season_end, priority, size_m2)
    SELECT NEW.id, part, NEW.unit_id,
           (SELECT coalesce(array_agg(category_id ORDER BY category_id), '{}')
            FROM areas_servicearea_categories WHERE servicearea_id = NEW.id),
           NEW.valid_from, NEW.valid_to, NEW.season_start, NEW.season_end,
           NEW.priority, NEW.size_m2
    FROM ST_Subdivide(NEW.geometry, 64) AS part
    WHERE GeometryType(part) = 'POLYGON';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Other attributes changed: copy them to the parts.
CREATE FUNCTION areas_servicearea_parts_attributes() RETURNS trigger AS $$
BEGIN
    UPDATE areas_serviceareapart
    SET unit_id = NEW.unit_id, valid_from = NEW.valid_from, valid_to = NEW.valid_to,
        season_start = NEW.season_start, season_end = NEW.season_end,
        priority = NEW.priority, size_m2 = NEW.size_m2
    WHERE area_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER areas_servicearea_parts_attributes
    AFTER UPDATE OF unit_id, valid_from, valid_to, season_start, season_end, priority
    ON areas_servicearea
    FOR EACH ROW EXECUTE FUNCTION areas_servicearea_parts_attributes();

-- Categories added to or removed from an area: copy the new set to its parts.
CREATE FUNCTION areas_servicearea_parts_categories() RETURNS trigger AS $$
DECLARE
    area bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.servicearea_id ELSE NEW.servicearea_id END;
BEGIN
    UPDATE areas_serviceareapart
    SET category_ids = (SELECT coalesce(array_agg(category_id ORDER BY category_id), '{}')
                        FROM areas_servicearea_categories WHERE servicearea_id = area)
    WHERE area_id = area;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER areas_servicearea_parts_categories
    AFTER INSERT OR UPDATE OR DELETE ON areas_servicearea_categories
    FOR EACH ROW EXECUTE FUNCTION areas_servicearea_parts_categories();

-- The parts of areas that existed before.
UPDATE areas_servicearea SET geometry = geometry;
"""

DROP_TRIGGERS = """
DROP TRIGGER areas_servicearea_parts_categories ON areas_servicearea_categories;
DROP FUNCTION areas_servicearea_parts_categories();
DROP TRIGGER areas_servicearea_parts_attributes ON areas_servicearea;
DROP FUNCTION areas_servicearea_parts_attributes();
CREATE OR REPLACE FUNCTION areas_servicearea_parts() RETURNS trigger AS $$
BEGIN
    DELETE FROM areas_serviceareapart WHERE area_id = NEW.id;
    INSERT INTO areas_serviceareapart (area_id, geometry)
    SELECT NEW.id, part
    FROM ST_Subdivide(NEW.geometry, 64) AS part
    WHERE GeometryType(part) = 'POLYGON';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DELETE FROM areas_serviceareapart;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0004_service_area_parts_spgist_index"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        # Parts are derived data: emptied here, rebuilt by the triggers below.
        migrations.RunSQL("DELETE FROM areas_serviceareapart", migrations.RunSQL.noop),
        migrations.AddField(
            model_name="serviceareapart",
            name="unit",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                default=0,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="organisations.organisationunit",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="serviceareapart",
            name="category_ids",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(), default=list, size=None
            ),
        ),
        migrations.AddField(
            model_name="serviceareapart",
            name="valid_from",
            field=models.DateField(default="2000-01-01"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="serviceareapart", name="valid_to", field=models.DateField(null=True)
        ),
        migrations.AddField(
            model_name="serviceareapart",
            name="season_start",
            field=models.CharField(blank=True, max_length=5, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="serviceareapart",
            name="season_end",
            field=models.CharField(blank=True, max_length=5, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="serviceareapart",
            name="priority",
            field=models.SmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="serviceareapart",
            name="size_m2",
            field=models.FloatField(default=0),
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
