"""/insights/: the planners' dashboard — where and when problems pile up,
and whether deadlines are met. Filters and grouping live in the address
(``frontend.insights_form``), so a report is shared by sending its URL, and
the page says back what they were; the map reads the pre-aggregated cells
(clusters or heat, with a month slider); the statistics come from
``geocases.insights.statistics``, each chart's also as a table; the list
behind them downloads as CSV or XLSX. Aggregates and anonymised lists
only. Contractors see their own organisation's cases."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontend.access import page_requires
from frontend.insights_form import GROUPINGS, InsightsForm
from geocases.accounts.access import Action
from geocases.areas.models import District
from geocases.insights.exports import export_csv, export_xlsx
from geocases.insights.selectors import CASES_ZOOM
from geocases.insights.statistics import Row, case_statistics, dimension_labels

CHARTED = ["month", "category", "channel", "district", "unit"]
CHART_CAPTIONS = {
    "month": gettext_lazy("Cases per month"),
    "category": gettext_lazy("Cases per category"),
    "channel": gettext_lazy("Cases per channel"),
    "unit": gettext_lazy("Cases per responsible unit"),
    "district": gettext_lazy("Cases per district"),
}


def _label(name: str, key, labels: dict) -> str:
    if key is None:
        return _("(none)")
    if name == "month":
        return key.strftime("%Y-%m")
    if name == "week":
        return key.strftime("%G-W%V")
    if name == "weekday":
        return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")][key - 1]
    if name == "hour":
        return f"{key:02d}"
    return str(labels.get(key, key))


def _percent(value) -> str:
    return "\u2013" if value is None else f"{value * 100:.0f} %"


def _hours(value) -> str:
    """Hours, or days from two days on, in the reader's language ("17,1 d")."""
    if value is None:
        return "\u2013"
    if value < 48:
        return f"{number_format(value, 1)} h"
    return f"{number_format(value / 24, 1)} d"


def _count(value: int) -> str:
    """A count in the reader's language, thousands apart ("22 676")."""
    return number_format(value, force_grouping=True)


def _row(name: str, row, labels) -> dict:
    return {
        "label": _label(name, row.key, labels),
        "cases": _count(row.cases),
        "still_open": _percent(row.share("still_open")),
        "first_contact": _percent(row.share("first_contact")),
        "acknowledge_met": _percent(row.share("acknowledge_met", "acknowledge_due")),
        "feedback_met": _percent(row.share("feedback_met", "feedback_due")),
        "resolve_met": _percent(row.share("resolve_met", "resolve_due")),
        "acknowledge_median": _hours(row.hours("acknowledge", 0)),
        "resolve_median": _hours(row.hours("resolve", 0)),
        "resolve_p90": _hours(row.hours("resolve", 1)),
    }


def _no_cases(key) -> Row:
    """A row counting nothing: every count 0, no durations."""
    counts = [
        f.name
        for f in dataclasses.fields(Row)
        if f.name != "key" and f.default is dataclasses.MISSING
    ]
    return Row(key, **dict.fromkeys(counts, 0))


@page_requires(Action.INSIGHTS)
def insights(request):
    form = InsightsForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "frontend/insights.html", {"form": form}, status=400)
    # The fields show the period the figures cover, also when the link left it out.
    form = form.as_reported()
    group_by = form.cleaned_data.get("group_by") or "month"
    result = case_statistics(
        where=form.stats_filter(),
        by=list(dict.fromkeys([*CHARTED, group_by])),
        durations_by=group_by,
    )
    first, last = form.months()
    months = _month_range(first, last)
    # Every month of the period, in order: a month without cases is a 0 on
    # the line, not a month left out of it.
    result["month"] = _every_month(result["month"], months)
    labels = {name: dimension_labels(name) for name in result}
    charts = {
        name: {
            "labels": [_label(name, row.key, labels[name]) for row in result[name]],
            "cases": [row.cases for row in result[name]],
        }
        for name in CHARTED
    }
    districts = dict(District.objects.values_list("pk", "code"))
    charts["districts"] = {
        districts[row.key]: row.cases for row in result["district"] if row.key in districts
    }
    total = result["total"][0]
    context = {
        "form": form,
        "summary": form.summary(),
        "group_by": group_by,
        "group_label": GROUPINGS[group_by],
        "total": _row("total", total, {}),
        "any_cases": total.cases > 0,
        "rows": [_row(group_by, row, labels[group_by]) for row in result[group_by]],
        "charts": charts,
        # Each chart's figures as a table, for those who cannot see it.
        "chart_tables": {
            name: {
                "caption": CHART_CAPTIONS[name],
                "dimension": GROUPINGS[name],
                "rows": [
                    (label, _count(cases))
                    for label, cases in zip(
                        charts[name]["labels"], charts[name]["cases"], strict=True
                    )
                ],
            }
            for name in CHARTED
        },
        "map_query": _map_query(form),
        "map_ignores_districts": bool(form.cleaned_data.get("district")),
        "cases_zoom": CASES_ZOOM,
        "texts": _texts(),
        # The filter form's own choices: code → name, for the cases one by one.
        "case_labels": {
            name: dict(form.fields[name].choices) for name in ("category", "status", "channel")
        },
        "months": [m.strftime("%Y-%m") for m in months],
        "query": _filters_query(request),
    }
    return render(request, "frontend/insights.html", context)


def _texts() -> dict:
    """What insights.js says, in the reader's language; ``%(n)s`` is
    filled in by the script."""
    return {
        "in_view": _("cases in view"),
        "no_cases": _("no cases"),
        "failed": _("The map could not be updated; try again in a moment."),
        "all_districts": _("in all districts: the map is not filtered by district"),
        "cluster": _("%(n)s cases here: zoom in"),
        "cluster_one": _("1 case here: zoom in"),  # its name holds the figure shown
    }


def _filters_query(request) -> str:
    """The address's filters alone, for the export links (the map's own
    state — layer, month, view — is no filter)."""
    query = request.GET.copy()
    for key in list(query):
        if key not in InsightsForm.base_fields:
            del query[key]
    return query.urlencode()


def _month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _every_month(rows: list[Row], months: list[dt.date]) -> list[Row]:
    counted = {row.key: row for row in rows}
    return [counted.get(month) or _no_cases(month) for month in months]


def _map_query(form: InsightsForm) -> dict:
    """The filters the map's cell API understands (it has no district)."""
    data = form.cleaned_data
    parts = {
        "category": ",".join(data.get("category") or []),
        "status": ",".join(data.get("status") or []),
        "unit": ",".join(data.get("unit") or []),
        "channel": ",".join(data.get("channel") or []),
    }
    return {key: value for key, value in parts.items() if value}


@page_requires(Action.EXPORT)
def insights_export(request, kind: str):
    """The anonymised cases behind the dashboard: CSV streamed row by row,
    XLSX written in constant memory and then streamed."""
    user = request.user
    if kind not in ("csv", "xlsx"):
        raise Http404(_("Exports are CSV or XLSX."))
    form = InsightsForm(request.GET, user=user)
    if not form.is_valid():
        return render(request, "frontend/insights.html", {"form": form}, status=400)
    where = form.stats_filter()
    stamp = timezone.localdate().isoformat()
    if kind == "xlsx":
        return FileResponse(
            export_xlsx(where=where),
            as_attachment=True,
            filename=f"geocases-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response = StreamingHttpResponse(
        export_csv(where=where), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="geocases-{stamp}.csv"'
    return response
