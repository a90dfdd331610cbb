"""Tracking links: unguessable, stored hashed, revocable; reopening from them."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from geocases.cases.models import Case
from geocases.core.errors import ApplicationError
from geocases.tracking.models import TrackingLink
from geocases.tracking.selectors import tracking_case
from geocases.tracking.services import (
    case_reopen_by_citizen,
    tracking_link_issue,
    tracking_link_revoke,
)
from tests.factories import case_in_status

pytestmark = pytest.mark.django_db


def resolved_case(days_ago: float = 1):
    case = case_in_status("resolved")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - dt.timedelta(days=days_ago))
    case.refresh_from_db()
    return case


def test_a_link_has_192_random_bits_and_only_its_hash_is_stored():
    case = case_in_status("new")
    token = tracking_link_issue(case=case)
    assert len(token) >= 32 and token != tracking_link_issue(case=case)
    assert not TrackingLink.objects.filter(token_hash=token).exists()
    assert tracking_case(token=token) == case


def test_a_revoked_or_made_up_link_leads_nowhere():
    case = case_in_status("new")
    token = tracking_link_issue(case=case)
    tracking_link_revoke(link=TrackingLink.objects.get())
    assert tracking_case(token=token) is None
    assert tracking_case(token="x" * 32) is None
    assert tracking_case(token="") is None


def test_the_citizen_reopens_a_resolved_case_with_a_reason():
    case = resolved_case()
    case_reopen_by_citizen(case=case, reason="Fortfarande halt")
    case.refresh_from_db()
    assert case.status == "reopened"
    event = case.events.get(kind="status", new_value="reopened")
    assert event.actor_kind == "citizen" and "Fortfarande halt" in event.text


@pytest.mark.parametrize(
    "make, reason, message",
    [
        (lambda: resolved_case(), "  ", "still wrong"),
        (lambda: case_in_status("assigned"), "x", "Only a resolved case"),
        (lambda: resolved_case(days_ago=31), "x", "more than 30 days"),
    ],
)
def test_reopening_is_refused_without_reason_before_resolution_or_too_late(make, reason, message):
    case = make()
    with pytest.raises(ApplicationError, match=message):
        case_reopen_by_citizen(case=case, reason=reason)
    assert Case.objects.get(pk=case.pk).status == case.status


def test_the_reopen_period_is_configurable(settings):
    settings.GEOCASES_REOPEN_DAYS = 60
    case = resolved_case(days_ago=45)
    with time_machine.travel(timezone.now()):
        case_reopen_by_citizen(case=case, reason="Igen")
    assert Case.objects.get(pk=case.pk).status == "reopened"
