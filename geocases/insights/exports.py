"""The cases behind the statistics, as an anonymised list for CSV and XLSX:
no name, address, e-mail, phone or free text, and positions coarsened to
about 100 m — what planners may see. Read with a server-side cursor in
batches, so a million rows never sit in memory."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator

import xlsxwriter
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geocases.insights.statistics import StatsFilter

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

EXPORT_SQL = """
SELECT c.number, c.created_at AT TIME ZONE %(zone)s, k.code, c.status, c.channel,
       coalesce(u.code, ''), coalesce(d.name, ''), c.resolved_at_first_contact,
       round((date_part('epoch', c.acknowledged_at - c.created_at) / 3600)::numeric, 2),
       round((date_part('epoch', c.resolved_at - c.created_at) / 3600)::numeric, 2),
       c.acknowledged_at <= c.acknowledge_by, c.resolved_at <= c.resolve_by,
       round(ST_X(ST_PointOnSurface(c.location))::numeric, 3),
       round(ST_Y(ST_PointOnSurface(c.location))::numeric, 3)
FROM cases_case c
JOIN categories_category k ON k.id = c.category_id
LEFT JOIN organisations_organisationunit u ON u.id = c.responsible_unit_id
LEFT JOIN areas_district d ON d.id = c.district_id
WHERE {conditions}
ORDER BY c.created_at, c.id
"""
BATCH = 5000
XLSX_SHEET_ROWS = 1_048_575  # Excel's limit, less the heading; more rows go on to a new sheet


def export_rows(*, where: StatsFilter) -> Iterator[tuple]:
    """The anonymised rows, oldest first, from a server-side cursor."""
    conditions, params = where.sql()
    params["zone"] = settings.TIME_ZONE
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(EXPORT_SQL.format(conditions=conditions), params)
        while rows := cursor.fetchmany(BATCH):
            yield from rows


def export_xlsx(*, where: StatsFilter) -> tempfile.SpooledTemporaryFile:
    """An XLSX workbook written in constant memory into a temporary file,
    rewound for streaming."""
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
            elif value is None:
                continue
            else:
                sheet.write(row, column, float(value) if hasattr(value, "is_finite") else value)
    if sheet is None:  # no cases: still a workbook with its heading
        sheet = workbook.add_worksheet(_("Cases"))
        sheet.write_row(0, 0, [str(label) for _name, label in COLUMNS], bold)
    workbook.close()
    output.seek(0)
    return output
