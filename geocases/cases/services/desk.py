"""Registering a case during a call, with what happens to it next — solved
at once, forwarded, or parked — as one write: either all of it or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils.translation import gettext as _

from geocases.accounts.models import User
from geocases.cases.actors import Actor
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case
from geocases.cases.services.changes import case_assign
from geocases.cases.services.creation import case_create
from geocases.cases.services.transitions import case_transition
from geocases.categories.models import Category
from geocases.core.errors import ApplicationError

OUTCOMES = ("forward", "solve", "park")


@transaction.atomic
def case_register_by_phone(
    *,
    actor: Actor,
    category: Category,
    outcome: str,
    channel: str = "phone",
    title: str = "",
    description: str = "",
    extra: dict[str, Any] | None = None,
    priority: str = "",
    location: GEOSGeometry | None = None,
    address: str = "",
    caller_name: str = "",
    caller_email: str = "",
    caller_phone: str = "",
    resolution: str = "",
    follow_up_date: dt.date | None = None,
    forward_to: User | None = None,
) -> Case:
    """``forward``: to ``forward_to`` (a person from the staff directory) or
    else to the unit routing chose; ``solve``: closed at first contact with
    ``resolution``; ``park``: waits until ``follow_up_date``."""
    if outcome not in OUTCOMES:
        raise ApplicationError.for_field("outcome", _("Choose solve, forward or park."))
    case = case_create(
        actor=actor,
        channel=channel,
        category=category,
        title=title,
        description=description,
        extra=extra,
        priority=priority,
        location=location,
        address=address,
        reporter_name=caller_name,
        reporter_email=caller_email,
        reporter_phone=caller_phone,
        forward=False,
    )
    if outcome == "solve":
        return case_transition(case=case, actor=actor, to=Status.CLOSED, resolution=resolution)
    if outcome == "park":
        return case_transition(
            case=case, actor=actor, to=Status.PARKED, follow_up_date=follow_up_date
        )
    if forward_to is not None:
        return case_assign(case=case, actor=actor, user=forward_to)
    return case_transition(
        case=case, actor=actor, to=Status.ASSIGNED, responsible_unit=case.responsible_unit
    )
