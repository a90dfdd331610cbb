"""The filters of the planners' dashboard (frontend/pages/insights.py) and
of its exports: a period in whole months, categories, statuses, units,
channels, districts and a grouping, all read from the address so that a
report is shared by its URL. What a link asks for is shown back as it was
used: the period filled in when the link left it out, the chosen values
first in their lists, and a line naming them all (``summary``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geocases.accounts.access import Scope, scope_of
from geocases.areas.models import District
from geocases.cases.lifecycle import Status
from geocases.cases.models import Channel
from geocases.categories.models import Category
from geocases.insights.selectors import filter_ids_by_code, filter_units_in_scope
from geocases.insights.statistics import MONTH, StatsFilter, month_allowed, statistics_year
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


class MonthInput(forms.DateInput):
    """``<input type=month>``; a value that is no month ("2026-13", "2026-1")
    is shown as text, as it was given, beside its error: a month input
    would show it empty and hide what was wrong."""

    input_type = "month"

    def format_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        shown = context["widget"]["value"]
        if shown and not MONTH.fullmatch(str(shown)):
            context["widget"]["type"] = "text"
        return context


class MonthField(forms.DateField):
    widget = MonthInput
    input_formats = ["%Y-%m"]
    default_error_messages = {"invalid": gettext_lazy("Give a month as YYYY-MM, e.g. 2026-01.")}

    def to_python(self, value):
        if value not in self.empty_values and not MONTH.fullmatch(str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value and not month_allowed(value):
            raise forms.ValidationError(_("Give a month from 1900-01 to 2100-12."))


class FilterChoiceField(forms.MultipleChoiceField):
    """Any number of values, none meaning all: an empty one (``?unit=``)
    is no filter, not an unknown choice."""

    def to_python(self, value):
        return [choice for choice in super().to_python(value) if choice]


def _choices_for(user) -> dict[str, list]:
    """The values each filter offers ``user``: categories in the report
    form's order, units (a contractor's own only), districts by name."""
    units = OrganisationUnit.objects.order_by("name")
    if scope_of(user) == Scope.OWN:
        units = units.filter(pk=user.unit_id)
    return {
        "category": [
            (c.code, c.name) for c in Category.objects.order_by("group__order", "order", "code")
        ],
        "unit": list(units.values_list("code", "name")),
        # Codes and names only: not the districts' map shapes.
        "district": list(District.objects.order_by("name").values_list("code", "name")),
    }


class InsightsForm(forms.Form):
    first_month = MonthField(label=gettext_lazy("From month"), required=False)
    last_month = MonthField(label=gettext_lazy("To month (inclusive)"), required=False)
    category = FilterChoiceField(label=gettext_lazy("Category"), required=False)
    status = FilterChoiceField(label=gettext_lazy("Status"), required=False, choices=Status.choices)
    unit = FilterChoiceField(label=gettext_lazy("Responsible unit"), required=False)
    channel = FilterChoiceField(
        label=gettext_lazy("Channel"), required=False, choices=Channel.choices
    )
    district = FilterChoiceField(label=gettext_lazy("District"), required=False)
    group_by = forms.ChoiceField(
        label=gettext_lazy("Group by"), choices=GROUPINGS.items(), initial="month", required=False
    )

    def __init__(self, data, *, user, choices: dict[str, list] | None = None):
        super().__init__(data)
        self.user = user
        self._where: StatsFilter | None = None
        self._choices = choices or _choices_for(user)
        for name, listed in self._choices.items():
            self.fields[name].choices = listed
        for name, field in self.fields.items():
            if isinstance(field, FilterChoiceField):
                self._chosen_first(name)

    def _chosen_first(self, name: str) -> None:
        """The chosen values at the top of their list, where a shared link's
        reader sees them (a list box shows five of 117 districts)."""
        field = self.fields[name]
        chosen = set(field.widget.value_from_datadict(self.data, self.files, name) or [])
        field.choices = sorted(field.choices, key=lambda choice: choice[0] not in chosen)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and first > last:
            self.add_error("last_month", _("The last month comes before the first."))
        return data

    def stats_filter(self) -> StatsFilter:
        if self._where is None:
            self._where = self._stats_filter()
        return self._where

    def _stats_filter(self) -> StatsFilter:
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
        # A unit stands for itself and its teams; a contractor's only for their own.
        units, _unknown = filter_ids_by_code("unit", data.get("unit") or [])
        units = filter_units_in_scope(user=self.user, units=units)
        return StatsFilter(
            start=first,
            end=after_last,
            categories=filter_ids_by_code("category", data.get("category") or [])[0],
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
        """The first and the last month reported."""
        where = self.stats_filter()
        return where.start, (where.end - dt.timedelta(days=1)).replace(day=1)

    def as_reported(self) -> InsightsForm:
        """The same filters with the period the figures cover filled in (a
        link without months reports the last thirteen), so that the fields
        say what the figures are of."""
        first, last = self.months()
        data = self.data.copy()
        data["first_month"], data["last_month"] = first.strftime("%Y-%m"), last.strftime("%Y-%m")
        reported = InsightsForm(data, user=self.user, choices=self._choices)
        reported.is_valid()
        return reported

    def summary(self) -> list[str]:
        """What the figures are of, in words: the period (December 2025 to
        December 2026, say), then the names of the values chosen in each
        filter ("Akalla, Östermalm", "Stad & Park Drift AB"). A contractor's
        own organisation is named even when not chosen: the figures are
        only its cases."""
        first, last = self.months()
        period = date_format(first, "F Y")
        if last != first:
            period += "\u2013" + date_format(last, "F Y")
        parts = [period]
        for name in ("category", "status", "unit", "channel", "district"):
            chosen = self.cleaned_data.get(name) or []
            if name == "unit" and scope_of(self.user) == Scope.OWN:
                chosen = [code for code, _name in self.fields["unit"].choices]
            names = [str(dict(self.fields[name].choices).get(code, code)) for code in chosen]
            if names:
                # "Trafikkontoret, vinterväghållning; Stad & Park Drift AB":
                # a name with a comma in it would run into the next.
                parts.append(("; " if any("," in n for n in names) else ", ").join(names))
        if len(parts) == 1:
            parts.append(_("all cases"))
        return parts
