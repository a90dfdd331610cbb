"""case_transition over every row of the table, against the database."""

import datetime as dt

import pytest

from geocases.cases.actors import CITIZEN, SYSTEM, Actor
from geocases.cases.lifecycle import TRANSITIONS, ActorKind, Needs, Status, TransitionError
from geocases.cases.models import Case, CaseEvent, EventKind
from geocases.cases.services import case_transition
from geocases.core.errors import ApplicationError
from tests.factories import (
    ContractorFactory,
    OrganisationUnitFactory,
    UserFactory,
    case_in_status,
    staff_actor,
)

pytestmark = pytest.mark.django_db


def _inputs(needs, duplicate_target=None):
    return {
        "resolution": "Åtgärdat" if Needs.RESOLUTION in needs else "",
        "reason": "Inte åtgärdat alls" if Needs.REASON in needs else "",
        "message": "Vi åtgärdar i veckan" if Needs.MESSAGE in needs else "",
        "follow_up_date": dt.date(2099, 1, 1) if Needs.FOLLOW_UP_DATE in needs else None,
        "duplicate_of": duplicate_target if Needs.DUPLICATE_OF in needs else None,
        "responsible_unit": OrganisationUnitFactory() if Needs.RESPONSIBLE in needs else None,
    }


def _actor_for(rule, case):
    if ActorKind.AGENT in rule.actors:
        return staff_actor("agent")
    if ActorKind.CITIZEN in rule.actors:
        return CITIZEN
    return SYSTEM


@pytest.mark.parametrize(("current", "target"), sorted(TRANSITIONS), ids=str)
def test_each_allowed_transition_changes_status_and_writes_history(current, target):
    case = case_in_status(current)
    if current == Status.PARKED:
        Case.objects.filter(pk=case.pk).update(status_before_parking=target)
    rule = TRANSITIONS[(current, target)]
    actor = _actor_for(rule, case)
    events_before = case.events.count()

    changed = case_transition(
        case=case, actor=actor, to=target, **_inputs(rule.needs, case_in_status("new"))
    )

    assert changed.status == target == Case.objects.get(pk=case.pk).status
    status_events = case.events.filter(kind=EventKind.STATUS)
    assert [(e.old_value, e.new_value) for e in status_events] == [(current, target)]
    expected = 1 + (target == Status.FEEDBACK_GIVEN) + (Needs.RESPONSIBLE in rule.needs)
    assert case.events.count() == events_before + expected
    event = status_events.get()
    assert event.actor_kind == actor.kind and event.actor == actor.user and event.is_public


NEEDING_INPUT = sorted(pair for pair, rule in TRANSITIONS.items() if rule.needs)


@pytest.mark.parametrize(("current", "target"), NEEDING_INPUT, ids=str)
def test_each_transition_refuses_missing_inputs_and_writes_nothing(current, target):
    rule = TRANSITIONS[(current, target)]
    case = case_in_status(current)
    if current == Status.PARKED:
        Case.objects.filter(pk=case.pk).update(status_before_parking=target)
    before = list(CaseEvent.objects.values_list("pk", flat=True))

    with pytest.raises(ApplicationError) as raised:
        case_transition(case=case, actor=_actor_for(rule, case), to=target)

    assert set(raised.value.fields) == {str(n) for n in rule.needs}
    assert Case.objects.get(pk=case.pk).status == current
    assert list(CaseEvent.objects.values_list("pk", flat=True)) == before


def test_a_transition_not_in_the_table_is_refused_with_the_allowed_ones_named():
    case = case_in_status(Status.NEW)
    with pytest.raises(TransitionError) as raised:
        case_transition(case=case, actor=staff_actor("agent"), to=Status.RESOLVED)
    assert "Assigned" in raised.value.message and "Closed" in raised.value.message
    assert case.events.count() == 1  # only "created"


def test_solving_at_first_contact_records_it():
    case = case_in_status(Status.NEW)
    case_transition(
        case=case, actor=staff_actor("agent"), to=Status.CLOSED, resolution="Förklarade fakturan"
    )
    case.refresh_from_db()
    assert case.resolved_at_first_contact
    assert case.resolution == "Förklarade fakturan"
    assert case.closed_at and case.resolved_at


def test_parking_sets_the_follow_up_and_unparking_returns_where_it_was():
    case = case_in_status(Status.ACKNOWLEDGED)
    agent = staff_actor("agent")
    case_transition(
        case=case,
        actor=agent,
        to=Status.PARKED,
        follow_up_date=dt.date(2099, 5, 1),
        reason="Väntar på besked från fastighetsägaren",
    )
    assert (case.parked_until, case.status_before_parking) == (dt.date(2099, 5, 1), "acknowledged")
    with pytest.raises(TransitionError, match="Acknowledged"):
        case_transition(case=case, actor=agent, to=Status.ASSIGNED)
    case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
    assert (case.status, case.parked_until, case.status_before_parking) == (
        "acknowledged",
        None,
        "",
    )


def test_parking_with_a_past_follow_up_date_is_refused():
    case = case_in_status(Status.ASSIGNED)
    with pytest.raises(ApplicationError, match="passed"):
        case_transition(
            case=case,
            actor=staff_actor("agent"),
            to=Status.PARKED,
            follow_up_date=dt.date(2000, 1, 1),
        )
    assert Case.objects.get(pk=case.pk).status == "assigned"


def test_reopening_clears_the_resolution_times_and_keeps_the_reason():
    case = case_in_status(Status.RESOLVED)
    case_transition(case=case, actor=CITIZEN, to=Status.REOPENED, reason="Fortfarande halt")
    case.refresh_from_db()
    assert case.status == "reopened" and case.resolved_at is None
    assert case.events.get(kind="status").text == "Fortfarande halt"


def test_contractor_works_only_on_its_own_units_cases():
    mine, theirs = ContractorFactory(), ContractorFactory()
    contractor = Actor.staff(UserFactory(role="contractor", unit=mine))
    own = case_in_status(Status.ASSIGNED)
    Case.objects.filter(pk=own.pk).update(responsible_unit=mine)
    other = case_in_status(Status.ASSIGNED)
    Case.objects.filter(pk=other.pk).update(responsible_unit=theirs)

    case_transition(case=own, actor=contractor, to=Status.ACKNOWLEDGED)
    with pytest.raises(TransitionError, match="another unit"):
        case_transition(case=other, actor=contractor, to=Status.ACKNOWLEDGED)
    assert Case.objects.get(pk=other.pk).status == "assigned"


def test_a_person_made_responsible_may_work_on_the_case():
    handler_user = UserFactory(role="handler")
    case = case_in_status(Status.ASSIGNED)
    Case.objects.filter(pk=case.pk).update(responsible_user=handler_user)
    case_transition(case=case, actor=Actor.staff(handler_user), to=Status.ACKNOWLEDGED)
    assert case.status == "acknowledged"


def test_a_contractor_may_not_close_even_its_own_case():
    unit = ContractorFactory()
    case = case_in_status(Status.RESOLVED)
    Case.objects.filter(pk=case.pk).update(responsible_unit=unit)
    with pytest.raises(TransitionError, match="may not"):
        case_transition(
            case=case,
            actor=Actor.staff(UserFactory(role="contractor", unit=unit)),
            to=Status.CLOSED,
        )


def test_the_database_refuses_unknown_statuses():
    from django.db import IntegrityError, transaction

    case = case_in_status(Status.NEW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="lost")
