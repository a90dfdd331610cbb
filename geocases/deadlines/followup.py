"""The daily follow-up: each working morning (``FOLLOWUP_TIME``), per team
and contractor, the cases still open, the parked cases whose follow-up day
has come, and the overdue ones — e-mailed in HTML and plain text to the
unit's address and its lead, and shown at /staff/followup/. Customer
service hands cases on; this is how it knows none was forgotten.

One message per unit and day, through an outbox key, so a restarted beat
or two of them never send it twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from geocases.cases.models import Case
from geocases.deadlines.calendar import working_calendar
from geocases.notifications.emails import case_staff_link, email_render
from geocases.notifications.models import Notification
from geocases.notifications.services import notification_queue
from geocases.organisations.models import OrganisationUnit

# The e-mail lists this many cases of each kind and links the page for the rest.
MAIL_ROWS = 25


@dataclass
class FollowUp:
    unit: OrganisationUnit
    day: dt.date
    open: QuerySet[Case]
    parked_due: QuerySet[Case]
    overdue: QuerySet[Case]

    def counts(self) -> dict[str, int]:
        return {
            "open": self.open.count(),
            "parked_due": self.parked_due.count(),
            "overdue": self.overdue.count(),
        }


def followup_for_unit(*, unit: OrganisationUnit, now: dt.datetime) -> FollowUp:
    """A unit's own cases (a department's teams have their own follow-up)."""
    cases = Case.objects.for_unit(unit).select_related(
        "category", "responsible_unit", "responsible_user"
    )
    day = timezone.localdate(now)
    return FollowUp(
        unit=unit,
        day=day,
        open=cases.open().order_by("resolve_by", "created_at"),
        parked_due=cases.parked_due(day).order_by("parked_until", "created_at"),
        overdue=cases.overdue(now).order_by("resolve_by", "created_at"),
    )


def followup_units() -> QuerySet[OrganisationUnit]:
    """Units with unfinished cases: the only ones with something to follow up."""
    return OrganisationUnit.objects.filter(
        pk__in=Case.objects.unfinished().values("responsible_unit")
    ).select_related("lead")


def followups_send(*, now: dt.datetime) -> int:
    """Queue the day's follow-up for every unit with open, parked-due or
    overdue cases; nothing on weekends and holidays. Returns how many were new."""
    day = timezone.localdate(now)
    if not working_calendar().is_working_day(day):
        return 0
    queued = 0
    done = set(
        Notification.objects.filter(
            key__startswith="followup:", key__endswith=day.isoformat()
        ).values_list("key", flat=True)
    )
    for unit in followup_units():
        key = f"followup:{unit.pk}:{day.isoformat()}"
        if key in done:
            continue
        followup = followup_for_unit(unit=unit, now=now)
        counts = followup.counts()
        if not any(counts.values()):
            continue
        recipients = [unit.email, unit.lead.email if unit.lead_id else ""]
        with override(settings.LANGUAGE_CODE):  # the city's language, whoever runs it
            subject, text, html = followup_email(followup, counts)
        notification = notification_queue(
            key=key,
            recipients=list(dict.fromkeys(recipients)),
            subject=subject,
            text=text,
            html=html,
        )
        queued += notification is not None
    return queued


def followup_email(followup: FollowUp, counts: dict[str, int]) -> tuple[str, str, str]:
    subject = _(
        "Follow-up %(day)s, %(unit)s: %(open)d open, %(parked_due)d parked due, %(overdue)d overdue"
    ) % {"day": followup.day.isoformat(), "unit": followup.unit.name, **counts}
    page = settings.GEOCASES_SITE_URL.rstrip("/") + reverse("frontend:followup")
    sections = [
        (_("Overdue"), counts["overdue"], _rows(followup.overdue)),
        (_("Parked, due for follow-up"), counts["parked_due"], _rows(followup.parked_due)),
        (_("Open"), counts["open"], _rows(followup.open)),
    ]
    text, html = email_render(
        template="followup",
        context={
            "subject": subject,
            "unit": followup.unit,
            "day": formats.date_format(followup.day, "l j F Y"),
            "sections": sections,
            "page": f"{page}?unit={followup.unit.code}",
            "shown": MAIL_ROWS,
        },
    )
    return subject, text, html


def _rows(cases: QuerySet[Case]) -> list[dict]:
    rows = []
    for case in cases[:MAIL_ROWS]:
        due = case.parked_until if case.status == "parked" else case.resolve_by
        rows.append(
            {
                "number": case.number,
                "link": case_staff_link(case),
                "what": f"{case.category.name}: {case.title}",
                "place": case.address,
                "status": case.get_status_display(),
                "who": case.responsible_user.get_full_name() if case.responsible_user_id else "",
                "due": formats.date_format(
                    timezone.localtime(due) if isinstance(due, dt.datetime) else due,
                    "j M H:i" if isinstance(due, dt.datetime) else "j M",
                )
                if due
                else "",
            }
        )
    return rows
