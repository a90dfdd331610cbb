"""CaseQuerySet: overdue means one thing, whether counted or shown."""

import datetime as dt

import pytest
from django.utils import timezone

from geocases.cases.models import Case
from tests.factories import case_in_status

pytestmark = pytest.mark.django_db


def case_with(status="assigned", **hours):
    now = timezone.now()
    case = case_in_status(status)
    fields = {name: now + dt.timedelta(hours=h) for name, h in hours.items()}
    Case.objects.filter(pk=case.pk).update(**fields)
    return case


def test_with_deadlines_says_overdue_exactly_as_overdue_counts_it():
    now = timezone.now()
    cases = {
        "late to acknowledge": case_with(acknowledge_by=-1, feedback_by=5, resolve_by=50),
        "late with feedback": case_with(
            "acknowledged", acknowledged_at=-30, acknowledge_by=-20, feedback_by=-1, resolve_by=9
        ),
        "in time": case_with(acknowledge_by=1, feedback_by=5, resolve_by=50),
        "parked, clocks stopped": case_with("parked", acknowledge_by=-1),
        "no deadlines": case_with(),
    }
    counted = set(Case.objects.overdue(now).values_list("pk", flat=True))
    shown = {c.pk: bool(c.is_overdue) for c in Case.objects.with_deadlines(now)}
    assert {pk for pk, late in shown.items() if late} == counted
    assert counted == {cases["late to acknowledge"].pk, cases["late with feedback"].pk}


def test_the_next_deadline_is_the_earliest_not_yet_met():
    now = timezone.now()
    case = case_with(
        "acknowledged", acknowledged_at=-30, acknowledge_by=-20, feedback_by=3, resolve_by=9
    )
    found = Case.objects.with_deadlines(now).get(pk=case.pk)
    assert found.next_deadline == found.feedback_by
    assert (found.acknowledge_by_late, found.feedback_by_late) == (False, False)


def test_a_parked_case_has_no_next_deadline_its_clocks_are_stopped():
    import datetime as dt

    from django.utils import timezone

    from geocases.cases.models import Case
    from tests.factories import case_in_status

    parked = case_in_status("parked")
    past = timezone.now() - dt.timedelta(days=3)
    Case.objects.filter(pk=parked.pk).update(acknowledge_by=past)
    found = Case.objects.with_deadlines(timezone.now()).get(pk=parked.pk)
    assert found.next_deadline is None and not found.is_overdue
