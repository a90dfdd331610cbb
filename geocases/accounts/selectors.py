"""The staff directory: everyone in the organisation, found by name or unit."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from geocases.accounts.models import User
from geocases.organisations.models import OrganisationUnit


def staff_search(
    *, query: str = "", unit: OrganisationUnit | None = None, include_teams: bool = True
) -> QuerySet[User]:
    """Active staff whose name, e-mail, phone or job title contains every word
    of ``query`` (so "anna and" finds Anna Andersson), optionally within a unit
    and its teams. Ordered by unit, then surname."""
    staff = User.objects.filter(is_active=True).exclude(role="").select_related("unit")
    for word in query.split():
        staff = staff.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
            | Q(job_title__icontains=word)
            | Q(unit__name__icontains=word)
        )
    if unit is not None:
        units = [unit.pk]
        if include_teams:
            units += list(unit.teams.values_list("pk", flat=True))
        staff = staff.filter(unit__in=units)
    return staff.order_by("unit__name", "last_name", "first_name")
