"""A category that comes to concern homes, or no longer does, moves its cases
on the map: from their exact point to the coarsened one, or back. Without
this, their counts stayed where they were, later changes took them away
from the other point (a count that never goes), and a cell at street level
could hold one case at its exact position though its category is now
coarsened."""

from django.db import migrations

TRIGGER = """
CREATE FUNCTION insights_categories_changed() RETURNS trigger AS $$
DECLARE
    waited text := current_setting('lock_timeout');
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows k ON k.id = o.id
               WHERE k.concerns_home IS DISTINCT FROM o.concerns_home) THEN
        -- Case writers wait until this commits (their triggers insert here),
        -- so no change of a case is recorded at the point it had before:
        -- intake pauses for as long as the category's cases take to write
        -- (about two seconds per 100,000). Waiting for the lock itself (a fold
        -- or a re-routing batch under way) is cut short: the edit is refused
        -- and can be saved again, rather than holding every new case up.
        PERFORM set_config('lock_timeout', '3s', true);
        LOCK TABLE insights_cellchange IN SHARE ROW EXCLUSIVE MODE;
        PERFORM set_config('lock_timeout', waited, true);
        INSERT INTO insights_cellchange
            (n, lon, lat, month, category_id, status, unit_id, channel)
        SELECT s.n, ST_X(p), ST_Y(p), insights_month(c.created_at), c.category_id, c.status,
               coalesce(c.responsible_unit_id, 0), c.channel
        FROM old_rows o
        JOIN new_rows k ON k.id = o.id AND k.concerns_home IS DISTINCT FROM o.concerns_home
        JOIN cases_case c ON c.category_id = k.id AND c.location IS NOT NULL
        CROSS JOIN LATERAL (VALUES (-1, o.concerns_home), (1, k.concerns_home)) AS s(n, coarsen)
        CROSS JOIN LATERAL insights_point(c.location, s.coarsen) p;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER insights_categories_updated AFTER UPDATE ON categories_category
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION insights_categories_changed();
"""

DROP = """
DROP TRIGGER insights_categories_updated ON categories_category;
DROP FUNCTION insights_categories_changed();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0005_cellchange_grid_fractions"),
        ("categories", "0001_initial"),
    ]

    operations = [migrations.RunSQL(TRIGGER, DROP)]
