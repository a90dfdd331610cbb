"""Resolved cases are closed by the system once the citizen's reopen window
has passed, so that retention (counted from closing) starts for them."""

import datetime as dt

import pytest
from django.utils import timezone

from geocases.cases.lifecycle import Status
from geocases.cases.models import Case, CaseEvent, EventKind
from geocases.cases.services.closing import cases_close_resolved
from geocases.cases.tasks import cases_close_resolved_task
from geocases.privacy.retention import retention_run
from geocases.tracking.services import case_reopen_by_citizen
from tests.factories import case_in_status

pytestmark = pytest.mark.django_db


def resolved(days_ago: float, **kwargs):
    case = case_in_status("resolved", **kwargs)
    at = timezone.now() - dt.timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(resolved_at=at, resolution="Lagat.")
    case.refresh_from_db()
    return case


def closed_by_system(case) -> bool:
    return CaseEvent.objects.filter(
        case=case, kind=EventKind.STATUS, new_value=Status.CLOSED, actor_kind="system"
    ).exists()


def test_a_case_resolved_before_the_reopen_window_is_closed_by_the_system(settings):
    settings.GEOCASES_REOPEN_DAYS = 30
    old, recent = resolved(31), resolved(29)

    assert cases_close_resolved_task() == 1

    old.refresh_from_db(), recent.refresh_from_db()
    assert old.status == Status.CLOSED and old.closed_at is not None
    assert closed_by_system(old)
    assert recent.status == Status.RESOLVED and not closed_by_system(recent)


def test_running_again_closes_nothing_more():
    case = resolved(40)

    assert cases_close_resolved() == 1
    assert cases_close_resolved() == 0
    assert CaseEvent.objects.filter(case=case, new_value=Status.CLOSED).count() == 1


def test_every_batch_is_done():
    cases = [resolved(40) for _ in range(5)]

    assert cases_close_resolved(batch_size=2) == 5
    assert set(
        Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("status", flat=True)
    ) == {Status.CLOSED}


def test_a_reopened_case_and_open_cases_are_left_alone():
    reopened = resolved(5)
    case_reopen_by_citizen(case=reopened, reason="Hålet är kvar")
    Case.objects.filter(pk=reopened.pk).update(resolved_at=timezone.now() - dt.timedelta(days=60))
    working = case_in_status("acknowledged")

    assert cases_close_resolved() == 0
    assert Case.objects.get(pk=reopened.pk).status == Status.REOPENED
    assert Case.objects.get(pk=working.pk).status == Status.ACKNOWLEDGED


def test_retention_then_counts_from_the_closing(settings):
    """Closed today, the case's retention runs from today: not anonymised yet,
    and anonymised once its category's retention period has passed."""
    case = resolved(40, reporter_email="per@example.org")
    case.category.retention_days = 1
    case.category.save()

    cases_close_resolved()
    retention_run()
    assert Case.objects.get(pk=case.pk).reporter_email == "per@example.org"

    retention_run(now=timezone.now() + dt.timedelta(days=2))
    assert Case.objects.get(pk=case.pk).reporter_email == ""
