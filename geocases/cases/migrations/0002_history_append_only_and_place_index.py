from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION cases_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    -- Anonymisation (GDPR) is the one sanctioned rewrite of history; it must
    -- say so with SET LOCAL geocases.history_redaction = 'on'.
    IF TG_OP = 'UPDATE' AND current_setting('geocases.history_redaction', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'case history is append-only: % of an event is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_caseevent_append_only
    BEFORE UPDATE OR DELETE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION cases_caseevent_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER cases_caseevent_append_only ON cases_caseevent;
DROP FUNCTION cases_caseevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
        # Distances in metres (ST_DWithin on geography) answered from an index.
        migrations.RunSQL(
            "CREATE INDEX case_location_geography ON cases_case USING gist ((location::geography))",
            "DROP INDEX case_location_geography",
        ),
        migrations.RunSQL(
            "ALTER TABLE cases_case ADD CONSTRAINT case_location_point_or_polygon CHECK "
            "(location IS NULL OR GeometryType(location) IN ('POINT', 'POLYGON'))",
            "ALTER TABLE cases_case DROP CONSTRAINT case_location_point_or_polygon",
        ),
    ]
