"""Each change not yet folded keeps where it lies on the map as fractions of
the world (Web Mercator, 0..1 from the west and from the north), computed
once when it is written. Reading a viewport then finds a change's cell at
any level with one multiplication instead of the Mercator formula per row
and request (with a thousand changes waiting, that formula was a third of a
map request).

``insights_cell_index(fraction, level)`` gives the same cell as
``insights_cell_x``/``insights_cell_y`` (migration 0002): the fractions are
their inner expressions, evaluated in the same order."""

from django.db import migrations

FORWARD = """
ALTER TABLE insights_cellchange
    ADD COLUMN mx double precision GENERATED ALWAYS AS ((lon + 180.0) / 360.0) STORED,
    ADD COLUMN my double precision GENERATED ALWAYS AS (
        (1 - ln(tan(radians(least(greatest(lat, -85.0511287798), 85.0511287798)))
                + 1 / cos(radians(least(greatest(lat, -85.0511287798), 85.0511287798))))
           / pi()) / 2
    ) STORED;

-- Not STRICT, one expression: inlined into the query like the others.
CREATE FUNCTION insights_cell_index(fraction double precision, level integer)
RETURNS integer AS $$
    SELECT least(greatest(floor(fraction * 2 ^ level), 0), 2 ^ level - 1)::integer
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
"""

BACKWARD = """
DROP FUNCTION insights_cell_index(double precision, integer);
ALTER TABLE insights_cellchange DROP COLUMN my, DROP COLUMN mx;
"""


class Migration(migrations.Migration):
    dependencies = [("insights", "0004_stat_triggers")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
