"""Case numbers come from a PostgreSQL sequence per year (``cases_number_<year>``,
see ``geocases.cases.numbers``) instead of a counter row locked until each
registration committed. Each year's sequence goes on after the highest of
its counter and the numbers already given; this year's and next year's are
made now. The counters are locked first, so that a registration still
running on the old code cannot take a number the sequence would give again."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

SEQUENCE = re.compile(r"^cases_number_(\d{4})$")


def counters_to_sequences(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("LOCK TABLE cases_casenumbercounter IN EXCLUSIVE MODE")
        cursor.execute("SELECT year, last FROM cases_casenumbercounter")
        last = dict(cursor.fetchall())
        this_year = dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).year
        for year in sorted({*last, this_year, this_year + 1}):
            cursor.execute(
                "SELECT max(substring(number FROM 6)::int) FROM cases_case WHERE number LIKE %s",
                [f"{year}-%"],
            )
            (given,) = cursor.fetchone()
            done = max(last.get(year, 0), given or 0)
            name = f"cases_number_{int(year)}"
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} MINVALUE 1")
            cursor.execute(
                "SELECT coalesce(last_value, 0) FROM pg_sequences "
                "WHERE schemaname = current_schema() AND sequencename = %s",
                [name],
            )
            (current,) = cursor.fetchone()
            if done > current:  # also when applied again after a reverse
                cursor.execute("SELECT setval(%s, %s)", [name, done])


def sequences_to_counters(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences "
            "WHERE schemaname = current_schema() AND sequencename ~ '^cases_number_[0-9]{4}$'"
        )
        for name, value in cursor.fetchall():
            year = int(SEQUENCE.match(name).group(1))
            if value:
                cursor.execute(
                    "INSERT INTO cases_casenumbercounter (year, last) VALUES (%s, %s)",
                    [year, value],
                )
            cursor.execute(f"DROP SEQUENCE {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_case_created_month")]

    operations = [
        migrations.RunPython(counters_to_sequences, sequences_to_counters),
        migrations.DeleteModel(name="CaseNumberCounter"),
    ]
