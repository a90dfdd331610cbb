from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.cases.actors import Actor
from geocases.cases.models import Case, Channel, EventKind
from geocases.cases.numbers import case_number_next
from geocases.cases.services.history import event_record
from geocases.categories.models import Category
from geocases.categories.validation import extra_fields_clean, place_kind_check
from geocases.core.errors import ApplicationError
from geocases.core.geometry import place_validate


def case_deadlines(*, category: Category, start: dt.datetime) -> dict[str, dt.datetime | None]:
    """Response deadlines from the category's targets, counted in calendar time.

    Business hours and holidays come with the deadline work (issue 8).
    """
    return {
        "acknowledge_by": start + category.acknowledge_within
        if category.acknowledge_within
        else None,
        "feedback_by": start + category.feedback_within if category.feedback_within else None,
        "resolve_by": start + category.resolve_within if category.resolve_within else None,
    }


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
) -> Case:
    """Register a case; the category's template fills what was not given.

    Everything is checked before anything is written, and the case number is
    taken last, so the per-year counter row is locked for as short as possible.
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
    title = (title or category.template_title or category.name).strip()[:200]
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
        responsible_unit=category.default_unit,
        created_at=now,
        updated_at=now,
        **case_deadlines(category=category, start=now),
    )
    try:
        case.full_clean(exclude=["number", "search_vector", "reporter_phone_digits"])
    except ValidationError as error:
        raise ApplicationError.from_validation(error) from None
    case.number = case_number_next()
    case.save(force_insert=True)
    event_record(
        case=case, actor=actor, kind=EventKind.CREATED, new=case.number, public=True, at=now
    )
    return case
