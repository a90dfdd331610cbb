from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.cases.actors import SYSTEM, Actor
from geocases.cases.models import Case, Channel, EventKind
from geocases.cases.numbers import case_number_next
from geocases.cases.services.history import event_record
from geocases.cases.services.transitions import case_forward_new, case_forward_recorded
from geocases.categories.models import Category
from geocases.categories.validation import extra_fields_clean, place_kind_check
from geocases.core.errors import ApplicationError
from geocases.core.geometry import place_validate
from geocases.deadlines.rules import case_deadlines
from geocases.routing.selectors import routing_decide
from geocases.routing.services import case_routing_set

# Channels with no agent in the loop: their cases go to the routed unit at once.
AUTO_FORWARD_CHANNELS = {Channel.WEB, Channel.EMAIL, Channel.API}


@transaction.atomic
def case_create(
    *,
    actor: Actor,
    channel: Channel | str,
    category: Category,
    title: str = "",
    description: str = "",
    extra: dict[str, Any] | None = None,
    priority: str = "",
    location: GEOSGeometry | None = None,
    address: str = "",
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    reporter_language: str = "sv",
    forward: bool | None = None,
) -> Case:
    """Register a case; the category's template fills what was not given, and
    routing decides who is responsible.

    ``forward``: send the case to the routed unit at once (status "assigned").
    By default this happens for web, e-mail and API reports, where no agent is
    in the loop, unless routing flagged the decision for confirmation or found
    no service area; phone and visit cases wait for the agent to forward or
    solve them.

    Everything is checked before anything is written, and the case number is
    taken last (from the year's sequence; a failed registration leaves a gap).
    The row's check constraints are the database's to enforce: every value
    they cover was chosen or checked above (validating them in Python would
    cost a query each).
    """
    if channel not in Channel.values:
        raise ApplicationError.for_field("channel", _("Unknown channel “%(c)s”.") % {"c": channel})
    if not category.is_active:
        raise ApplicationError.for_field("category", _("This category is no longer in use."))
    if location is not None:
        location = place_validate(location)
    place_kind_check(
        category=category,
        has_point=isinstance(location, Point),
        has_area=location is not None and not isinstance(location, Point),
    )
    extra = extra_fields_clean(category=category, values=extra)
    title = (title or category.template_title_sv or category.name_sv).strip()[:200]
    now = timezone.now()

    case = Case(
        channel=channel,
        category=category,
        title=title,
        description=description or category.template_description,
        extra=extra,
        priority=priority or category.template_priority,
        location=location,
        address=address.strip(),
        reporter_name=reporter_name.strip(),
        reporter_email=reporter_email.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_language=reporter_language,
        created_at=now,
        updated_at=now,
    )
    try:
        # The category was checked above (it is a row, and active); its
        # foreign key check here would cost a query.
        case.full_clean(
            exclude=["number", "search_vector", "reporter_phone_digits", "category"],
            validate_constraints=False,
        )
    except ValidationError as error:
        raise ApplicationError.from_validation(error) from None
    decision = routing_decide(category=category, location=location)
    case_routing_set(case, decision)
    for name, value in case_deadlines(category=category, start=now, area=decision.area).items():
        setattr(case, name, value)
    if forward is None:
        forward = channel in AUTO_FORWARD_CHANNELS and not decision.flag
    if forward:
        case_forward_new(case, actor=SYSTEM)
    case.number = case_number_next(year=timezone.localtime(now).year)
    case.save(force_insert=True)
    event_record(
        case=case, actor=actor, kind=EventKind.CREATED, new=case.number, public=True, at=now
    )
    if forward:
        case_forward_recorded(case, actor=SYSTEM, at=now)
    return case
