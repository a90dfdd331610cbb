"""Reusable filters over cases; selectors combine them per use case."""

from __future__ import annotations

import datetime as dt
import functools
import operator

from django.contrib.gis.geos import Point, Polygon
from django.contrib.postgres.search import SearchQuery
from django.db import models
from django.db.models.functions import Least, Lower

from geocases.cases.lifecycle import OPEN_STATUSES, UNFINISHED_STATUSES, Status
from geocases.deadlines.rules import CLOCKS
from geocases.organisations.models import OrganisationUnit


class DWithinMeters(models.Func):
    """``ST_DWithin`` on geography: a distance in metres, answered from the
    ``case_location_geography`` index."""

    function = "ST_DWithin"
    output_field = models.BooleanField()
    template = "%(function)s((%(expressions)s)::geography, ST_GeogFromWKB(%%s), %%s)"

    def __init__(self, expression, point: Point, meters: float):
        super().__init__(expression)
        self.point, self.meters = point, meters

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, [*params, bytes(self.point.wkb), self.meters]


def clock_late(deadline: str, met: str, now: dt.datetime) -> models.Q:
    """One clock of a case past its deadline and not met: what "late" means
    for ``overdue`` and ``with_deadlines`` (the planners' statistics say the
    same in SQL, with parked and finished cases, in
    ``deadlines.rules.clock_missed_sql``: change both together)."""
    return models.Q(**{f"{deadline}__lt": now, f"{met}__isnull": True})


def _any_clock_late(now: dt.datetime) -> models.Q:
    return functools.reduce(
        operator.or_, (clock_late(deadline, met, now) for deadline, _target, met in CLOCKS)
    )


class CaseQuerySet(models.QuerySet):
    def open(self):
        """Somebody must still act: registered, assigned, being worked on, reopened."""
        return self.filter(status__in=OPEN_STATUSES)

    def unfinished(self):
        """Open or parked."""
        return self.filter(status__in=UNFINISHED_STATUSES)

    def with_number(self, number: str):
        return self.filter(number=number.strip())

    def by_reporter_email(self, email: str):
        return self.alias(email_lower=Lower("reporter_email")).filter(
            email_lower=email.strip().lower()
        )

    def by_reporter_phone(self, phone: str):
        from geocases.cases.numbers import phone_digits

        digits = phone_digits(phone)
        return self.filter(reporter_phone_digits=digits) if digits else self.none()

    def matching(self, words: str):
        """Full-text search with Swedish stemming ("plogning" finds "plogad")."""
        query = SearchQuery(words, config="swedish", search_type="websearch")
        return self.filter(search_vector=query)

    def search_any(self, text: str, *, personal: bool = True):
        """One search box: a case number, a reporter's e-mail or phone, or
        words. Without ``personal`` (citizens, planners, contractors) only
        the number and the title are searched: the reporter's contact
        details and the free text must not answer "is there a case about…"."""
        from geocases.cases.numbers import phone_digits

        text = text.strip()
        if not text:
            return self
        if not personal:
            return self.filter(models.Q(number=text) | models.Q(title__icontains=text))
        condition = (
            models.Q(number=text)
            | models.Q(reporter_email__iexact=text)
            | models.Q(search_vector=SearchQuery(text, config="swedish", search_type="websearch"))
        )
        digits = phone_digits(text)
        if len(digits) >= 6:
            condition |= models.Q(reporter_phone_digits=digits)
        return self.filter(condition)

    def in_categories(self, categories):
        return self.filter(category__in=categories)

    def for_unit(self, unit):
        return self.filter(responsible_unit=unit)

    def created_between(self, start: dt.datetime | None = None, end: dt.datetime | None = None):
        queryset = self
        if start is not None:
            queryset = queryset.filter(created_at__gte=start)
        if end is not None:
            queryset = queryset.filter(created_at__lt=end)
        return queryset

    def within_bbox(self, bbox: Polygon):
        """Places that touch the box (a polygon case partly inside counts)."""
        return self.filter(location__intersects=bbox)

    def near(self, point: Point, meters: float):
        return self.alias(is_near=DWithinMeters(models.F("location"), point, meters)).filter(
            is_near=True
        )

    def with_place(self):
        return self.filter(location__isnull=False)

    # Work queues (staff web and API: ``?queue=``).

    def assigned_to(self, user):
        """Unfinished cases a person is responsible for."""
        return self.unfinished().filter(responsible_user=user)

    def held_by(self, user):
        """The cases of the user's organisation (with its teams) or the
        user's own, whatever their status."""
        held = models.Q(responsible_user=user)
        if user.unit_id:
            held |= models.Q(responsible_unit__in=_unit_and_teams(user.unit_id))
        return self.filter(held)

    def for_team(self, unit):
        """Unfinished cases of a unit and its teams."""
        return self.unfinished().filter(responsible_unit__in=_unit_and_teams(unit.pk))

    def parked_due(self, day: dt.date):
        """Parked cases whose follow-up day has come."""
        return self.filter(status=Status.PARKED, parked_until__lte=day)

    def overdue(self, now: dt.datetime):
        """Open cases past a deadline they have not met."""
        return self.open().filter(_any_clock_late(now))

    def with_deadlines(self, now: dt.datetime):
        """Each case with what its clocks say at ``now``, for lists and cards:
        ``is_overdue`` (exactly as ``overdue`` counts it), ``next_deadline``
        (the earliest deadline not yet met; order by it to see the most
        urgent first) and, per clock, ``<deadline>_late``."""
        boolean = models.BooleanField()
        # A parked case's clocks are stopped: no deadline comes next.
        pending = [
            models.Case(
                models.When(
                    models.Q(**{f"{met}__isnull": True}) & ~models.Q(status=Status.PARKED),
                    then=models.F(deadline),
                )
            )
            for deadline, _target, met in CLOCKS
        ]
        return self.annotate(
            is_overdue=models.ExpressionWrapper(
                models.Q(status__in=OPEN_STATUSES) & _any_clock_late(now), output_field=boolean
            ),
            next_deadline=Least(*pending),
            **{
                f"{deadline}_late": models.ExpressionWrapper(
                    clock_late(deadline, met, now), output_field=boolean
                )
                for deadline, _target, met in CLOCKS
            },
        )

    def unassigned(self):
        """Open cases nobody has taken on: no responsible person."""
        return self.open().filter(responsible_user__isnull=True)

    def public(self):
        """What anyone may see: cases of categories shown on the public map
        (never personal data: that is for the serializers to leave out)."""
        return self.filter(category__is_public=True)

    def updated_since(self, since: dt.datetime):
        return self.filter(updated_at__gte=since)

    def visible_to(self, user):
        """The cases ``user`` may see, by the role's scope in the permission
        matrix (``geocases.accounts.access``): customer service, handlers,
        administrators and (anonymised) planners all cases; a contractor
        only those their own organisation or they themselves are
        responsible for; anyone else the public ones."""
        from geocases.accounts.access import Scope, scope_of

        scope = scope_of(user)
        if scope == Scope.PUBLIC:
            return self.public()
        if scope == Scope.OWN:
            own = models.Q(responsible_user=user)
            if user.unit_id is not None:  # (unit_id=None would mean "no unit")
                own |= models.Q(responsible_unit_id=user.unit_id)
            return self.filter(own)
        return self


def _unit_and_teams(unit_id: int):
    """A unit and its teams, as a subquery (no query of its own)."""
    return OrganisationUnit.objects.filter(
        models.Q(pk=unit_id) | models.Q(parent_id=unit_id)
    ).values("pk")
