"""Deadlines read live are those of cases still being handled (open or
parked): a finished case's unmet clock — a case closed as a duplicate —
never becomes missed, so it leaves the partial index instead of staying
in it for ever (geocases.insights.rollup.PENDING)."""

from django.db import migrations

from geocases.insights.rollup import PENDING

# The index as migration 0004 made it, for going back.
EARLIER = (
    "NOT resolved_at_first_contact AND ("
    "(acknowledge_by IS NOT NULL AND acknowledged_at IS NULL)"
    " OR (feedback_by IS NOT NULL AND feedback_given_at IS NULL)"
    " OR (resolve_by IS NOT NULL AND resolved_at IS NULL))"
)


def _index(condition: str) -> str:
    return (
        "DROP INDEX IF EXISTS case_deadline_pending;"
        f" CREATE INDEX case_deadline_pending ON cases_case (created_at) WHERE {condition}"
    )


class Migration(migrations.Migration):
    dependencies = [("insights", "0006_category_concerns_home_trigger")]

    operations = [
        migrations.RunSQL(_index(PENDING.replace("c.", "")), _index(EARLIER)),
    ]
