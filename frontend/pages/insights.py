"""/insights/: the planners' dashboard — where and when problems pile up,
and whether deadlines are met. Filters and grouping live in the address,
so a report is shared by sending its URL; the map reads the pre-aggregated
cells (clusters or heat, with a month slider); the statistics come from
``geocases.insights.statistics``; the list behind them downloads as CSV or
XLSX. Aggregates and anonymised lists only. Contractors see their own
organisation's cases."""

from __future__ import annotations

import csv
import datetime as dt

from django import forms
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontend.access import page_requires
from geocases.accounts.access import Action, Scope, scope_of
from geocases.areas.models import District
from geocases.cases.lifecycle import Status
from geocases.cases.models import Channel
from geocases.categories.models import Category
from geocases.insights.exports import COLUMNS, export_rows, export_xlsx
from geocases.insights.selectors import CASES_ZOOM
from geocases.insights.statistics import (
    StatsFilter,
    case_statistics,
    month_allowed,
    statistics_year,
)
from geocases.organisations.models import OrganisationUnit

GROUPINGS = {
    "month": gettext_lazy("Month"),
    "week": gettext_lazy("Week"),
    "category": gettext_lazy("Category"),
    "channel": gettext_lazy("Channel"),
    "district": gettext_lazy("District"),
    "unit": gettext_lazy("Responsible unit"),
    "status": gettext_lazy("Status"),
    "weekday": gettext_lazy("Weekday"),
    "hour": gettext_lazy("Hour of the day"),
}
CHARTED = ["month", "category", "channel", "district", "unit"]


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else value


class MonthField(forms.DateField):
    widget = MonthInput
    input_formats = ["%Y-%m"]

    def validate(self, value):
        super().validate(value)
        if value and not month_allowed(value):
            raise forms.ValidationError(_("Give a month from 1900-01 to 2100-12."))


class InsightsForm(forms.Form):
    first_month = MonthField(label=gettext_lazy("From month"), required=False)
    last_month = MonthField(label=gettext_lazy("To month (inclusive)"), required=False)
    category = forms.MultipleChoiceField(label=gettext_lazy("Category"), required=False)
    status = forms.MultipleChoiceField(
        label=gettext_lazy("Status"), required=False, choices=Status.choices
    )
    unit = forms.MultipleChoiceField(label=gettext_lazy("Responsible unit"), required=False)
    channel = forms.MultipleChoiceField(
        label=gettext_lazy("Channel"), required=False, choices=Channel.choices
    )
    district = forms.MultipleChoiceField(label=gettext_lazy("District"), required=False)
    group_by = forms.ChoiceField(
        label=gettext_lazy("Group by"), choices=GROUPINGS.items(), initial="month", required=False
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user
        self.fields["category"].choices = [
            (c.code, c.name) for c in Category.objects.order_by("group__order", "order", "code")
        ]
        units = OrganisationUnit.objects.order_by("name")
        if scope_of(user) == Scope.OWN:
            units = units.filter(pk=user.unit_id)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]
        self.fields["district"].choices = [(d.code, d.name) for d in District.objects.all()]

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and first > last:
            self.add_error("last_month", _("The last month comes before the first."))
        return data

    def stats_filter(self) -> StatsFilter:
        data = self.cleaned_data
        # Left out: the last twelve months and this one, or the thirteen
        # months up to the last month given, or from the first month given
        # up to this month.
        this_month = timezone.localdate().replace(day=1)
        first, last = data.get("first_month"), data.get("last_month")
        if not first:
            first = last.replace(year=last.year - 1) if last else statistics_year().start
        last = last or max(first, this_month)
        after_last = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        units = list(
            OrganisationUnit.objects.filter(code__in=data.get("unit") or []).values_list(
                "pk", flat=True
            )
        )
        if scope_of(self.user) == Scope.OWN:
            units = [self.user.unit_id]
        return StatsFilter(
            start=first,
            end=after_last,
            categories=list(
                Category.objects.filter(code__in=data.get("category") or []).values_list(
                    "pk", flat=True
                )
            ),
            statuses=data.get("status") or [],
            units=units,
            channels=data.get("channel") or [],
            districts=list(
                District.objects.filter(code__in=data.get("district") or []).values_list(
                    "pk", flat=True
                )
            ),
        )

    def months(self) -> tuple[dt.date, dt.date]:
        where = self.stats_filter()
        return where.start, (where.end - dt.timedelta(days=1)).replace(day=1)


def _labels(name: str) -> dict:
    """Key → what people call it, per dimension."""
    if name == "category":
        return {c.pk: c.name for c in Category.objects.all()}
    if name == "unit":
        return {u.pk: u.name for u in OrganisationUnit.objects.all()}
    if name == "district":
        return {d.pk: d.name for d in District.objects.all()}
    if name == "channel":
        return dict(Channel.choices)
    if name == "status":
        return dict(Status.choices)
    return {}


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
    if value is None:
        return "\u2013"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} d"


def _row(name: str, row, labels) -> dict:
    return {
        "label": _label(name, row.key, labels),
        "cases": row.cases,
        "still_open": _percent(row.share("still_open")),
        "first_contact": _percent(row.share("first_contact")),
        "acknowledge_met": _percent(row.share("acknowledge_met", "acknowledge_due")),
        "feedback_met": _percent(row.share("feedback_met", "feedback_due")),
        "resolve_met": _percent(row.share("resolve_met", "resolve_due")),
        "acknowledge_median": _hours(row.hours("acknowledge", 0)),
        "resolve_median": _hours(row.hours("resolve", 0)),
        "resolve_p90": _hours(row.hours("resolve", 1)),
    }


@page_requires(Action.INSIGHTS)
def insights(request):
    user = request.user
    form = InsightsForm(request.GET or None, user=user)
    if request.GET and not form.is_valid():
        return render(request, "frontend/insights.html", {"form": form}, status=400)
    if not request.GET:  # the last twelve months, by month, shown in the form
        today = timezone.localdate()
        defaults = {
            "first_month": f"{today.year - 1}-{today.month:02d}",
            "last_month": f"{today.year}-{today.month:02d}",
            "group_by": "month",
        }
        form = InsightsForm(defaults, user=user)
        form.is_valid()
    group_by = form.cleaned_data.get("group_by") or "month"
    result = case_statistics(
        where=form.stats_filter(),
        by=list(dict.fromkeys([*CHARTED, group_by])),
        durations_by=group_by,
    )
    labels = {name: _labels(name) for name in result}
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
    first, last = form.months()
    query = request.GET.urlencode()
    context = {
        "form": form,
        "group_by": group_by,
        "group_label": GROUPINGS[group_by],
        "total": _row("total", result["total"][0], {}),
        "rows": [_row(group_by, row, labels[group_by]) for row in result[group_by]],
        "charts": charts,
        "map_query": _map_query(form),
        "cases_zoom": CASES_ZOOM,
        # The filter form's own choices: code → name, for the cases one by one.
        "case_labels": {
            name: dict(form.fields[name].choices) for name in ("category", "status", "channel")
        },
        "months": [m.strftime("%Y-%m") for m in _month_range(first, last)],
        "query": query,
    }
    return render(request, "frontend/insights.html", context)


def _month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


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
    response = StreamingHttpResponse(_csv_lines(where), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="geocases-{stamp}.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(where):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel reads it as UTF-8
    yield writer.writerow([str(label) for _name, label in COLUMNS])
    for record in export_rows(where=where):
        yield writer.writerow(
            [
                v.isoformat(sep=" ", timespec="minutes") if isinstance(v, dt.datetime) else v
                for v in record
            ]
        )
