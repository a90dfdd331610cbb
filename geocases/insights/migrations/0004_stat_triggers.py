"""The triggers that record every change of a case that the statistics
count, as the map's do (0002): statement triggers with transition tables,
one INSERT per statement."""

from django.db import migrations

# (Shared with services.stats_rebuild, which counts every case again.)
from geocases.insights.rollup import COLUMNS, PENDING, STAT_CHANGE, contribution

TARGET = STAT_CHANGE

old_values = ", ".join(f"o.{c}" for c in COLUMNS)
new_values = ", ".join(f"c.{c}" for c in COLUMNS)

TRIGGERS = f"""
CREATE FUNCTION insights_stats_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {TARGET} SELECT {contribution("c", "1")} FROM new_rows c;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {TARGET} SELECT {contribution("c", "-1")} FROM old_rows c;
    ELSE
        INSERT INTO {TARGET}
        SELECT {contribution("s", "s.n")}
        FROM old_rows o
        JOIN new_rows c ON c.id = o.id
        CROSS JOIN LATERAL (VALUES (-1, {old_values}), (1, {new_values}))
            AS s(n, {", ".join(COLUMNS)})
        WHERE ({old_values}) IS DISTINCT FROM ({new_values});
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER insights_stats_inserted AFTER INSERT ON cases_case
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION insights_stats_changed();
CREATE TRIGGER insights_stats_updated AFTER UPDATE ON cases_case
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION insights_stats_changed();
CREATE TRIGGER insights_stats_deleted AFTER DELETE ON cases_case
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION insights_stats_changed();

-- Cases that existed before: counted at the next fold.
INSERT INTO {TARGET} SELECT {contribution("c", "1")} FROM cases_case c;
"""

DROP_TRIGGERS = """
DROP TRIGGER insights_stats_deleted ON cases_case;
DROP TRIGGER insights_stats_updated ON cases_case;
DROP TRIGGER insights_stats_inserted ON cases_case;
DROP FUNCTION insights_stats_changed();
"""


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_stat_month"), ("cases", "0009_case_statistics_index")]

    operations = [
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        # The few cases whose deadlines are still pending, read live.
        migrations.RunSQL(
            "CREATE INDEX case_deadline_pending ON cases_case (created_at) WHERE "
            + PENDING.replace("c.", ""),
            "DROP INDEX case_deadline_pending",
        ),
    ]
