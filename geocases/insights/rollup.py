"""What each case contributes to the planners' statistics per month and
kind (``StatMonth``), as SQL over a row alias: used by the triggers that
record changes (migration 0004) and by the rebuild."""

from geocases.cases.lifecycle import UNFINISHED_STATUSES
from geocases.deadlines.rules import CLOCKS, clock_missed_sql

# The columns of a case the statistics read.
COLUMNS = [
    "created_at",
    "category_id",
    "channel",
    "responsible_unit_id",
    "district_id",
    "status",
    "resolved_at_first_contact",
    "acknowledge_by",
    "acknowledged_at",
    "feedback_by",
    "feedback_given_at",
    "resolve_by",
    "resolved_at",
]

STAT_CHANGE = (
    "insights_statchange (month, category_id, channel, unit_id, district_id, status, cases, "
    "first_contact, acknowledge_done, acknowledge_met, feedback_done, feedback_met, "
    "resolve_done, resolve_met)"
)


def contribution(r: str, n: str) -> str:
    """What case ``r`` adds (``n`` = 1) or takes away (``n`` = -1)."""

    def counted(condition: str) -> str:
        return f"{n} * (coalesce({condition}, false) AND NOT {r}.resolved_at_first_contact)::int"

    return ", ".join(
        [
            f"insights_month({r}.created_at)",
            f"{r}.category_id",
            f"{r}.channel",
            f"coalesce({r}.responsible_unit_id, 0)",
            f"coalesce({r}.district_id, 0)",
            f"{r}.status",
            n,
            f"{n} * {r}.resolved_at_first_contact::int",
            counted(f"{r}.acknowledge_by IS NOT NULL AND {r}.acknowledged_at IS NOT NULL"),
            counted(f"{r}.acknowledged_at <= {r}.acknowledge_by"),
            counted(f"{r}.feedback_by IS NOT NULL AND {r}.feedback_given_at IS NOT NULL"),
            counted(f"{r}.feedback_given_at <= {r}.feedback_by"),
            counted(f"{r}.resolve_by IS NOT NULL AND {r}.resolved_at IS NOT NULL"),
            counted(f"{r}.resolved_at <= {r}.resolve_by"),
        ]
    )


def contributions_of_all_cases() -> str:
    return f"INSERT INTO {STAT_CHANGE} SELECT {contribution('c', '1')} FROM cases_case c"  # noqa: S608 - fixed text


# Reading: dimension -> its key over the rows below (StatMonth's columns).
ROLLED_KEYS = {
    "month": "s.month",
    "year": "date_trunc('year', s.month)::date",
    "category": "s.category_id",
    "channel": "s.channel",
    "district": "nullif(s.district_id, 0)",
    "unit": "nullif(s.unit_id, 0)",
    "status": "s.status",
}

# A case still being handled (open or parked) with a deadline not met yet:
# whether that deadline is already missed depends on the clock, so these (a
# few in a thousand) are read live. A finished case's unmet clock never
# becomes missed (``clock_missed_sql``), so a case closed as a duplicate
# leaves this set. The condition is that of the partial index
# ``case_deadline_pending`` (migration 0007).
PENDING = (
    "NOT c.resolved_at_first_contact AND c.status IN ("
    + ", ".join(f"'{status}'" for status in sorted(UNFINISHED_STATUSES))
    + ") AND ("
    + " OR ".join(f"(c.{deadline} IS NOT NULL AND c.{met} IS NULL)" for deadline, _, met in CLOCKS)
    + ")"
)

# Per clock of such a case: 1 if it is missed now.
MISSED = ", ".join(
    f"coalesce({clock_missed_sql('c', deadline, met, '%(now)s')}, false)::int"
    for deadline, _target, met in CLOCKS
)

# The months counted (folded and not yet folded), and the missed deadlines
# of cases still pending; then summed per dimension and in total. The
# first-contact rate counts only the contacts an agent answers (``answered``).
ROLLED_SQL = """
SELECT {names} ARRAY[{flags}] AS grouped,
    coalesce(sum(s.cases), 0)::bigint,
    coalesce(sum(s.cases) FILTER (WHERE s.status = ANY(%(unfinished)s)), 0)::bigint,
    coalesce(sum(s.cases) FILTER (WHERE s.channel = ANY(%(answered)s)), 0)::bigint,
    coalesce(sum(s.first_contact) FILTER (WHERE s.channel = ANY(%(answered)s)), 0)::bigint,
    coalesce(sum(s.acknowledge_done + s.acknowledge_late), 0)::bigint,
    coalesce(sum(s.acknowledge_met), 0)::bigint,
    coalesce(sum(s.feedback_done + s.feedback_late), 0)::bigint,
    coalesce(sum(s.feedback_met), 0)::bigint,
    coalesce(sum(s.resolve_done + s.resolve_late), 0)::bigint,
    coalesce(sum(s.resolve_met), 0)::bigint
FROM (
    SELECT {keys} s.* FROM (
        SELECT month, category_id, channel, unit_id, district_id, status, cases,
            first_contact, acknowledge_done, acknowledge_met, feedback_done, feedback_met,
            resolve_done, resolve_met, 0 AS acknowledge_late, 0 AS feedback_late,
            0 AS resolve_late
        FROM insights_statmonth s WHERE {rolled}
        UNION ALL
        SELECT month, category_id, channel, unit_id, district_id, status, cases,
            first_contact, acknowledge_done, acknowledge_met, feedback_done, feedback_met,
            resolve_done, resolve_met, 0, 0, 0
        FROM insights_statchange s WHERE {rolled}
        UNION ALL
        SELECT c.created_month, c.category_id, c.channel,
            coalesce(c.responsible_unit_id, 0), coalesce(c.district_id, 0), c.status,
            0, 0, 0, 0, 0, 0, 0, 0, {missed}
        FROM cases_case c WHERE {live} AND {pending}
    ) s
) s
GROUP BY GROUPING SETS ({sets}())
"""
