"""Reminders on the clocks of open cases, each sent exactly once:

- before a deadline (when ``REMIND_AT_SHARE`` of the target has passed), to
  whoever is responsible (the person, else the unit's functional address);
- at the deadline, to them and to customer service;
- ``ESCALATE_AFTER`` (office hours) past it, to the unit's lead, and the case
  is flagged overdue.

Each reminder is an outbox message whose key names the case, the clock, the
stage and the deadline, so a restarted beat or worker, or two of them, never
sends one twice — and a deadline moved by parking or reopening gets its own.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from geocases.cases.models import Case
from geocases.deadlines.calendar import working_calendar
from geocases.deadlines.rules import CLOCKS
from geocases.notifications.emails import case_facts, case_staff_link, email_render
from geocases.notifications.models import Notification
from geocases.notifications.services import notification_queue
from geocases.organisations.models import OrganisationUnit

STAGES = ("before", "due", "escalated")


def _responsible(case: Case) -> list[str]:
    if case.responsible_user_id and case.responsible_user.email:
        return [case.responsible_user.email]
    return [case.responsible_unit.email] if case.responsible_unit_id else []


def _customer_service() -> list[str]:
    return list(
        OrganisationUnit.objects.filter(handles_customer_service=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _target(case: Case, target: str) -> dt.timedelta | None:
    area = case.routing_area
    return (getattr(area, target) if area is not None else None) or getattr(case.category, target)


# Only clocks due within this calendar time can need a reminder: business
# time is never longer than calendar time, and a quarter of any target fits
# in two weeks even over Christmas.
LOOKAHEAD = dt.timedelta(days=14)


def reminders_send(*, now: dt.datetime) -> dict[str, int]:
    """Queue the reminders due at ``now``; returns how many of each stage were new."""
    calendar = working_calendar()
    counts = dict.fromkeys(STAGES, 0)
    horizon = now + LOOKAHEAD
    unmet = Q()
    for deadline, _within, met in CLOCKS:
        unmet |= Q(**{f"{deadline}__lte": horizon, f"{met}__isnull": True})
    cases = list(
        Case.objects.open()
        .filter(unmet)
        .select_related("category", "responsible_unit__lead", "responsible_user", "routing_area")
    )
    done = set(
        Notification.objects.filter(case__in=cases, key__startswith="reminder:").values_list(
            "key", flat=True
        )
    )
    customer_service = _customer_service()
    for case in cases:
        for deadline_name, target_name, met in CLOCKS:
            due = getattr(case, deadline_name)
            if due is None or getattr(case, met) is not None:
                continue
            stage = _stage(calendar, case, due, _target(case, target_name), now)
            if stage is None:
                continue
            key = f"reminder:{case.pk}:{deadline_name}:{stage}:{due.isoformat()}"
            if key not in done and _queue(case, deadline_name, due, stage, key, customer_service):
                counts[stage] += 1
            if stage == "escalated" and case.overdue_since is None:
                Case.objects.filter(pk=case.pk, overdue_since__isnull=True).update(
                    overdue_since=now
                )
                case.overdue_since = now
    return counts


def _stage(calendar, case, due, target, now) -> str | None:
    if now >= calendar.add(due, settings.GEOCASES_ESCALATE_AFTER):
        return "escalated"
    if now >= due:
        return "due"
    if target and calendar.between(now, due) <= target * (1 - settings.GEOCASES_REMIND_AT_SHARE):
        return "before"
    return None


def _queue(
    case: Case, clock: str, due: dt.datetime, stage: str, key: str, customer_service: list[str]
) -> bool:
    if stage == "escalated":
        lead = case.responsible_unit.lead if case.responsible_unit_id else None
        recipients = [lead.email] if lead and lead.email else customer_service
    elif stage == "due":
        recipients = _responsible(case) + customer_service
    else:
        recipients = _responsible(case)
    what = {
        "acknowledge_by": _("acknowledge"),
        "feedback_by": _("give feedback on"),
        "resolve_by": _("resolve"),
    }[clock]
    subject = {
        "before": _("Reminder: %(what)s case %(number)s by %(due)s"),
        "due": _("Deadline reached: %(what)s case %(number)s (due %(due)s)"),
        "escalated": _("Overdue: case %(number)s was to %(what)s by %(due)s"),
    }[stage] % {
        "what": what,
        "number": case.number,
        "due": due.astimezone(working_calendar().zone).strftime("%Y-%m-%d %H:%M"),
    }
    text, html = email_render(
        template="message",
        context={
            "subject": subject,
            "paragraphs": [subject],
            "facts": case_facts(case, staff=True),
            "link": case_staff_link(case),
            "link_intro": _("Open the case:"),
            "link_label": case.number,
        },
    )
    queued = notification_queue(
        key=key, recipients=recipients, subject=subject, text=text, html=html, case=case
    )
    return queued is not None
