"""Case numbers come from a PostgreSQL sequence per year (``cases_number_<year>``,
see ``geocases.cases.numbers``) instead of a counter row locked until each
registration committed. Each year's sequence goes on from its counter."""

from django.db import migrations

COUNTERS_TO_SEQUENCES = """
DO $$
DECLARE counter record;
BEGIN
    FOR counter IN SELECT year, last FROM cases_casenumbercounter LOOP
        EXECUTE format(
            'CREATE SEQUENCE IF NOT EXISTS cases_number_%s MINVALUE 1 START %s',
            counter.year, counter.last + 1
        );
    END LOOP;
END $$;
"""

SEQUENCES_TO_COUNTERS = """
INSERT INTO cases_casenumbercounter (year, last)
SELECT substring(sequencename FROM 14)::smallint, coalesce(last_value, start_value - 1)
FROM pg_sequences
WHERE schemaname = current_schema() AND sequencename ~ '^cases_number_[0-9]{4}$';
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_case_created_month")]

    operations = [
        migrations.RunSQL(COUNTERS_TO_SEQUENCES, SEQUENCES_TO_COUNTERS),
        migrations.DeleteModel(name="CaseNumberCounter"),
    ]
