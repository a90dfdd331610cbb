"""/staff/followup/: the daily follow-up of a team or contractor — open
cases, parked cases due for follow-up, overdue cases — the same lists the
morning e-mail sends. Contractors see only their own organisation."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from frontend.access import page_requires
from geocases.accounts.access import Action, Scope, scope_of, user_may
from geocases.deadlines.followup import followup_for_unit, followup_units
from geocases.organisations.models import OrganisationUnit

# The page lists this many cases of each kind; the work queues have the rest.
PAGE_ROWS = 500


@page_requires(Action.FOLLOWUP)
def followup(request):
    user = request.user
    code = request.GET.get("unit", "").strip()
    if scope_of(user) == Scope.OWN:
        units = OrganisationUnit.objects.filter(pk=user.unit_id)
    else:
        units = OrganisationUnit.objects.filter(pk__in=followup_units().values("pk"))
        if user.unit_id:
            units = units | OrganisationUnit.objects.filter(pk=user.unit_id)
    units = units.order_by("name")
    if code:
        unit = units.filter(code=code).first()
        if unit is None:
            raise Http404(_("There is no follow-up for that unit."))
    else:
        unit = user.unit or units.first()
    # Each case opens on the page the reader may use: customer service and
    # handlers the desk's, a contractor the field's.
    desk = user_may(user, Action.DESK)
    context = {"units": units, "unit": unit, "rows": PAGE_ROWS, "desk": desk}
    if unit is not None:
        result = followup_for_unit(unit=unit, now=timezone.now())
        counts = result.counts()
        context["day"] = result.day
        context["sections"] = [
            ("overdue", _("Overdue"), counts["overdue"], result.overdue[:PAGE_ROWS]),
            (
                "parked_due",
                _("Parked, due for follow-up"),
                counts["parked_due"],
                result.parked_due[:PAGE_ROWS],
            ),
            ("open", _("Open"), counts["open"], result.open[:PAGE_ROWS]),
        ]
    return render(request, "frontend/followup.html", context)
