"""Reads of cases: search and history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.gis.geos import Point, Polygon
from django.db.models import QuerySet

from geocases.cases.models import Case, CaseEvent
from geocases.categories.models import Category
from geocases.organisations.models import OrganisationUnit


def case_search(
    *,
    queryset: QuerySet[Case] | None = None,
    number: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    words: str = "",
    categories: Iterable[Category] | None = None,
    statuses: Iterable[str] | None = None,
    unit: OrganisationUnit | None = None,
    created_from: dt.datetime | None = None,
    created_to: dt.datetime | None = None,
    bbox: Polygon | None = None,
    near: Point | None = None,
    near_meters: float = 100,
) -> QuerySet[Case]:
    """Cases matching every key given; keys left empty do not filter.

    ``queryset`` is what the caller may see (see ``Case.objects``); searching
    never widens it.
    """
    cases = queryset if queryset is not None else Case.objects.all()
    if number:
        cases = cases.with_number(number)
    if reporter_email:
        cases = cases.by_reporter_email(reporter_email)
    if reporter_phone:
        cases = cases.by_reporter_phone(reporter_phone)
    if words.strip():
        cases = cases.matching(words)
    if categories is not None:
        cases = cases.in_categories(categories)
    if statuses:
        cases = cases.filter(status__in=list(statuses))
    if unit is not None:
        cases = cases.for_unit(unit)
    if created_from or created_to:
        cases = cases.created_between(created_from, created_to)
    if bbox is not None:
        cases = cases.within_bbox(bbox)
    if near is not None:
        cases = cases.near(near, near_meters)
    return cases.select_related("category", "responsible_unit").order_by("-created_at")


def case_history(*, case: Case, public_only: bool = False) -> QuerySet[CaseEvent]:
    """The case's events, oldest first; for the citizen only the public ones."""
    events = case.events.select_related("actor").order_by("at", "id")
    return events.filter(is_public=True) if public_only else events
