"""Each change not yet folded keeps where it lies on the map as fractions of
the world (Web Mercator, 0..1 from the west and from the north), computed
once when it is written. Reading a viewport then finds a change's cell at
any level with one multiplication instead of the Mercator formula per row
and request (with a thousand changes waiting, that formula was a third of a
map request).

``insights_cell_index(fraction, level)`` gives the same cell as
``insights_cell_x``/``insights_cell_y`` (migration 0002): the fractions are
their inner expressions, evaluated in the same order.

A latitude nearer the equator than 1e-300 degrees counts as on it: PostgreSQL
refuses arithmetic whose result underflows (``radians(5e-324)``), and a place
that close gives the same cell at every level anyway. ``insights_cell_y`` gets
the same guard, so the fold cannot stop on such a place."""

from django.db import migrations

# The latitude, clamped to the square world and kept off underflow.
LAT = "least(greatest(CASE WHEN abs(lat) < 1e-300 THEN 0 ELSE lat END, -85.0511287798), 85.0511287798)"
Y_FRACTION = f"(1 - ln(tan(radians({LAT})) + 1 / cos(radians({LAT}))) / pi()) / 2"

FORWARD = f"""
ALTER TABLE insights_cellchange
    ADD COLUMN mx double precision GENERATED ALWAYS AS ((lon + 180.0) / 360.0) STORED,
    ADD COLUMN my double precision GENERATED ALWAYS AS ({Y_FRACTION}) STORED;

CREATE OR REPLACE FUNCTION insights_cell_y(lat double precision, level integer)
RETURNS integer AS $$
    SELECT least(greatest(floor({Y_FRACTION} * 2 ^ level), 0), 2 ^ level - 1)::integer
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- Not STRICT, one expression: inlined into the query like the others.
CREATE FUNCTION insights_cell_index(fraction double precision, level integer)
RETURNS integer AS $$
    SELECT least(greatest(floor(fraction * 2 ^ level), 0), 2 ^ level - 1)::integer
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION insights_cell_y(lat double precision, level integer)
RETURNS integer AS $$
    SELECT least(greatest(floor(
        (1 - ln(tan(radians(least(greatest(lat, -85.0511287798), 85.0511287798)))
                + 1 / cos(radians(least(greatest(lat, -85.0511287798), 85.0511287798))))
           / pi()) / 2 * 2 ^ level), 0), 2 ^ level - 1)::integer
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
DROP FUNCTION insights_cell_index(double precision, integer);
ALTER TABLE insights_cellchange DROP COLUMN my, DROP COLUMN mx;
"""


class Migration(migrations.Migration):
    dependencies = [("insights", "0004_stat_triggers")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
