"""Response targets as the administration enters them: a number of business
hours, not Django's "days hh:mm:ss" duration, which reads as calendar time
("1 00:00:00", a day) while the deadlines count it in office hours (24 office
hours is nearly three working days)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _

from geocases.deadlines.calendar import working_calendar
from geocases.deadlines.rules import CLOCKS

MAX_HOURS = 10_000  # about four years of working days; longer is a typo


class BusinessHoursField(forms.DecimalField):
    """A number of business hours (7.5 is seven and a half), cleaned to the
    ``timedelta`` the model's ``DurationField`` keeps."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=7,
            decimal_places=2,
            min_value=Decimal("0.01"),
            max_value=MAX_HOURS,
            **kwargs,
        )

    def clean(self, value):
        hours = super().clean(value)
        return None if hours is None else dt.timedelta(hours=float(hours))

    def prepare_value(self, value):
        if isinstance(value, dt.timedelta):
            return _hours(value)
        return super().prepare_value(value)

    def has_changed(self, initial, data):
        if isinstance(initial, dt.timedelta):
            initial = _hours(initial)
        return super().has_changed(initial, data)


def _hours(duration: dt.timedelta) -> str:
    hours = Decimal(int(duration.total_seconds())) / 3600
    return f"{hours.quantize(Decimal('0.01')).normalize():f}"


def business_hours_help() -> str:
    """What a business hour is here, from the city's office hours."""
    calendar = working_calendar()
    day = dt.datetime.combine(dt.date.min, calendar.closes) - dt.datetime.combine(
        dt.date.min, calendar.opens
    )
    return _(
        "In business hours: counted only from %(opens)s to %(closes)s on working days "
        "(Monday to Friday, not public holidays), so a working day is %(day)s hours "
        "and a working week %(week)s."
    ) % {
        "opens": calendar.opens.strftime("%H:%M"),
        "closes": calendar.closes.strftime("%H:%M"),
        "day": _hours(day),
        "week": _hours(day * 5),
    }


def business_hours_fields(form: forms.ModelForm, *, empty: str) -> None:
    """Enter ``form``'s response targets (the clocks' targets) in business
    hours; ``empty`` says what leaving one empty means."""
    help_text = f"{business_hours_help()} {empty}"
    for _deadline, name, _met in CLOCKS:
        old = form.fields[name]
        form.fields[name] = BusinessHoursField(
            label=_("%(target)s (business hours)") % {"target": old.label},
            required=old.required,
            help_text=help_text,
        )
