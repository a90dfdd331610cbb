"""The cases behind the statistics, as an anonymised list for CSV and XLSX:
no name, address, e-mail, phone or free text, and positions coarsened to
about 100 m — what planners may see. A case about a home (its category
"may concern a home") carries no case number, and its registration time
only to the hour: with its category and position it could otherwise be
found by number in the public Open311 list. Read with a server-side
cursor in batches, so a million rows never sit in memory.

Written for the reader: category, status, channel and responsible unit by
name in the reader's language, yes and no as words in CSV (booleans in
XLSX, which Excel shows in its own language), times to the minute in both,
and "in time" exactly as the dashboard counts it (``statistics``): empty
while a deadline is still ahead or its clock stopped, no for a deadline
already missed."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterator
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geocases.insights.statistics import (
    StatsFilter,
    clock_due_sql,
    clock_met_sql,
    dimension_labels,
)

COLUMNS = [
    ("number", gettext_lazy("Case number")),
    ("created_at", gettext_lazy("Registered")),
    ("category", gettext_lazy("Category")),
    ("status", gettext_lazy("Status")),
    ("channel", gettext_lazy("Channel")),
    ("unit", gettext_lazy("Responsible unit")),
    ("district", gettext_lazy("District")),
    ("first_contact", gettext_lazy("Solved at first contact")),
    ("acknowledged_hours", gettext_lazy("Hours to acknowledge")),
    ("resolved_hours", gettext_lazy("Hours to resolve")),
    ("acknowledge_met", gettext_lazy("Acknowledged in time")),
    ("resolve_met", gettext_lazy("Resolved in time")),
    ("lon", gettext_lazy("Longitude (about 100 m)")),
    ("lat", gettext_lazy("Latitude (about 100 m)")),
]


def _in_time(deadline: str, met: str) -> str:
    """True met in time, false met late or missed, NULL not yet due."""
    return (
        f"CASE WHEN {clock_due_sql(deadline, met)} THEN coalesce({clock_met_sql(deadline, met)},"
        " false) END"
    )


# Category, status, channel and unit as keys, named in Python (the reader's
# language) from a handful of rows; a home's number left out, its time to the hour.
EXPORT_SQL = f"""
SELECT CASE WHEN k.concerns_home THEN NULL ELSE c.number END,
       date_trunc(CASE WHEN k.concerns_home THEN 'hour' ELSE 'minute' END,
                  c.created_at AT TIME ZONE %(zone)s),
       c.category_id, c.status, c.channel, coalesce(u.name, ''), coalesce(d.name, ''),
       c.resolved_at_first_contact,
       round((date_part('epoch', c.acknowledged_at - c.created_at) / 3600)::numeric, 2),
       round((date_part('epoch', c.resolved_at - c.created_at) / 3600)::numeric, 2),
       {_in_time("acknowledge_by", "acknowledged_at")},
       {_in_time("resolve_by", "resolved_at")},
       round(ST_X(ST_PointOnSurface(c.location))::numeric, 3),
       round(ST_Y(ST_PointOnSurface(c.location))::numeric, 3)
FROM cases_case c
JOIN categories_category k ON k.id = c.category_id
LEFT JOIN organisations_organisationunit u ON u.id = c.responsible_unit_id
LEFT JOIN areas_district d ON d.id = c.district_id
WHERE {{conditions}}
ORDER BY c.created_at, c.id
"""  # noqa: S608 - fixed fragments; values are parameters
BATCH = 5000
XLSX_SHEET_ROWS = 1_048_575  # Excel's limit, less the heading; more rows go on to a new sheet


def export_rows(*, where: StatsFilter) -> Iterator[tuple]:
    """The anonymised rows, oldest first, from a server-side cursor, with
    names in the language active when the first row is read."""
    names = {name: dimension_labels(name) for name in ("category", "status", "channel")}
    conditions, params = where.sql()
    params.update(zone=settings.TIME_ZONE, now=timezone.now())
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(EXPORT_SQL.format(conditions=conditions), params)
        while rows := cursor.fetchmany(BATCH):
            for row in rows:
                category, status, channel = row[2:5]
                yield (
                    *row[:2],
                    names["category"].get(category, category),
                    names["status"].get(status, status),
                    names["channel"].get(channel, channel),
                    *row[5:],
                )


def export_csv(*, where: StatsFilter) -> Iterator[str]:
    """The rows as CSV text, streamed, for a spreadsheet in the reader's
    language (the one active now, kept while streaming): where numbers
    have decimal commas (Swedish), fields are separated by ``;``, as Excel
    with those regional settings expects (with ``,`` it puts a whole row
    in one column); otherwise by ``,`` with decimal points. UTF-8 with a
    byte-order mark, by which Excel knows it is UTF-8."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return _csv_lines(where, language)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(where: StatsFilter, language: str) -> Iterator[str]:
    with translation.override(language):
        decimal = get_format("DECIMAL_SEPARATOR", lang=language)
        writer = csv.writer(_Echo(), delimiter=";" if decimal == "," else ",")
        words = {True: _("Yes"), False: _("No"), None: ""}
        yield "\ufeff"  # so that Excel reads it as UTF-8
        yield writer.writerow([str(label) for _name, label in COLUMNS])
        for record in export_rows(where=where):
            yield writer.writerow([_csv_value(value, words, decimal) for value in record])


def _csv_value(value, words: dict, decimal: str) -> str:
    if value is None or isinstance(value, bool):
        return words[value]
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return str(value).replace(".", decimal)
    return value


def export_xlsx(*, where: StatsFilter) -> tempfile.SpooledTemporaryFile:
    """An XLSX workbook written in constant memory into a temporary file,
    rewound for streaming. Cells are typed: times, numbers and yes/no as
    booleans (TRUE/FALSE, which Excel names in its own language: SANT/FALSKT)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response streams and closes it
    workbook = xlsxwriter.Workbook(
        output, {"constant_memory": True, "tmpdir": tempfile.gettempdir(), "remove_timezone": True}
    )
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet, row = None, XLSX_SHEET_ROWS
    for record in export_rows(where=where):
        if row >= XLSX_SHEET_ROWS:
            sheet = workbook.add_worksheet(
                _("Cases") + (f" {len(workbook.worksheets()) + 1}" if sheet else "")
            )
            sheet.write_row(0, 0, [str(label) for _name, label in COLUMNS], bold)
            sheet.set_column(0, 0, 13)
            sheet.set_column(1, 1, 17)
            row = 0
        row += 1
        for column, value in enumerate(record):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(row, column, value, when)
            elif isinstance(value, bool):
                sheet.write_boolean(row, column, value)
            elif isinstance(value, Decimal):
                sheet.write_number(row, column, float(value))
            elif value:  # text as text, never a formula, whatever a name begins with
                sheet.write_string(row, column, value)
    if sheet is None:  # no cases: still a workbook with its heading
        sheet = workbook.add_worksheet(_("Cases"))
        sheet.write_row(0, 0, [str(label) for _name, label in COLUMNS], bold)
    workbook.close()
    output.seek(0)
    return output
