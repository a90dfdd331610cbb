"""Each service writes exactly the history it should, and history cannot be rewritten."""

import pytest
from django.contrib.gis.geos import Point
from django.db import DatabaseError, transaction

from geocases.cases.actors import CITIZEN, SYSTEM
from geocases.cases.lifecycle import Status, TransitionError
from geocases.cases.models import Case, CaseEvent
from geocases.cases.selectors import case_history
from geocases.cases.services import case_assign, case_merge, case_note_add, case_update
from geocases.core.errors import ApplicationError
from tests.factories import (
    CategoryFactory,
    ContractorFactory,
    OrganisationUnitFactory,
    UserFactory,
    case_in_status,
    staff_actor,
)

pytestmark = pytest.mark.django_db


def kinds(case):
    return [(e.kind, e.field) for e in case_history(case=case)]


def test_update_writes_one_event_per_changed_field_with_old_and_new_values():
    case = case_in_status("assigned", title="Halt", description="Is på trappan")
    agent = staff_actor("agent")

    case_update(
        case=case, actor=agent, title="Mycket halt", description="Is på trappan", priority="urgent"
    )

    new_events = list(case.events.exclude(kind="created"))
    assert [(e.kind, e.field, e.old_value, e.new_value) for e in new_events] == [
        ("field", "title", "Halt", "Mycket halt"),
        ("field", "priority", "normal", "urgent"),
    ]
    assert all(e.actor == agent.user for e in new_events)
    assert Case.objects.get(pk=case.pk).title == "Mycket halt"


def test_update_with_nothing_changed_writes_nothing():
    case = case_in_status("assigned", title="Halt")
    case_update(case=case, actor=staff_actor("agent"), title="Halt")
    assert kinds(case) == [("created", "")]


def test_moving_the_place_is_a_place_event():
    case = case_in_status("new", location=Point(18.07, 59.31, srid=4326))
    case_update(case=case, actor=staff_actor("agent"), location=Point(18.08, 59.32, srid=4326))
    event = case.events.get(kind="place")
    assert event.old_value["wkt"].startswith("POINT (18.07")
    assert event.new_value["wkt"].startswith("POINT (18.08")


def test_changing_category_is_a_category_event_and_rechecks_place_and_fields():
    case = case_in_status("new", location=Point(18.07, 59.31, srid=4326))
    placeless = CategoryFactory(place_kind="none")
    with pytest.raises(ApplicationError, match="have no place"):
        case_update(case=case, actor=staff_actor("agent"), category=placeless)
    other = CategoryFactory(place_kind="point")
    case_update(case=case, actor=staff_actor("agent"), category=other)
    event = case.events.get(kind="category")
    assert event.new_value == {"id": other.pk, "code": other.code}


def test_unknown_fields_cannot_be_updated():
    case = case_in_status("new")
    with pytest.raises(ApplicationError, match="status"):
        case_update(case=case, actor=staff_actor("agent"), status="closed")
    assert kinds(case) == [("created", "")]


def test_forwarding_a_new_case_assigns_it_and_records_both_parties():
    previous = OrganisationUnitFactory(name="Trafikkontoret")
    case = case_in_status("new")
    Case.objects.filter(pk=case.pk).update(responsible_unit=previous)
    contractor = ContractorFactory(name="Vinterväg Nord AB")

    case_assign(case=case, actor=staff_actor("agent"), unit=contractor)

    assert case.status == "assigned" and case.responsible_unit == contractor
    assert kinds(case) == [("created", ""), ("status", "status"), ("assignment", "responsible")]
    assignment = case.events.get(kind="assignment")
    assert assignment.old_value == {"id": previous.pk, "name": "Trafikkontoret"}
    assert assignment.new_value == {"id": contractor.pk, "name": "Vinterväg Nord AB"}


def test_reassigning_an_acknowledged_case_needs_a_new_acknowledgement():
    case = case_in_status("acknowledged")
    case_assign(case=case, actor=staff_actor("agent"), unit=ContractorFactory())
    assert case.status == "assigned"


def test_reassigning_an_assigned_case_keeps_its_status_and_loses_nothing():
    first, second = ContractorFactory(), ContractorFactory()
    case = case_in_status("new")
    agent = staff_actor("agent")
    case_assign(case=case, actor=agent, unit=first)
    case_assign(case=case, actor=agent, unit=second)
    assignments = list(case.events.filter(kind="assignment"))
    assert [a.new_value["id"] for a in assignments] == [first.pk, second.pk]
    assert assignments[1].old_value["id"] == first.pk
    assert case.status == "assigned"


def test_forwarding_to_a_person_makes_their_unit_responsible():
    person = UserFactory(role="handler")
    case = case_in_status("new")
    case_assign(case=case, actor=staff_actor("agent"), user=person)
    assert (case.responsible_user, case.responsible_unit) == (person, person.unit)


def test_contractors_cannot_forward():
    unit = ContractorFactory()
    case = case_in_status("assigned")
    Case.objects.filter(pk=case.pk).update(responsible_unit=unit)
    with pytest.raises(TransitionError):
        case_assign(case=case, actor=staff_actor("contractor", unit), unit=ContractorFactory())


def test_closed_cases_cannot_be_forwarded():
    case = case_in_status("closed")
    with pytest.raises(TransitionError, match="reopen it first"):
        case_assign(case=case, actor=staff_actor("agent"), unit=ContractorFactory())


def test_internal_notes_and_public_updates_are_separate():
    case = case_in_status("assigned")
    agent = staff_actor("agent")
    case_note_add(case=case, actor=agent, text="Ringde fastighetsägaren", public=False)
    case_note_add(case=case, actor=agent, text="Vi har beställt sandning", public=True)

    assert kinds(case)[1:] == [("note", ""), ("public_update", "")]
    assert [e.text for e in case_history(case=case, public_only=True) if e.text] == [
        "Vi har beställt sandning"
    ]


def test_empty_notes_are_refused():
    case = case_in_status("assigned")
    with pytest.raises(ApplicationError, match="Write something"):
        case_note_add(case=case, actor=staff_actor("agent"), text="  ", public=False)


def test_citizens_cannot_write_notes():
    with pytest.raises(TransitionError):
        case_note_add(case=case_in_status("assigned"), actor=CITIZEN, text="Hej", public=True)


def test_merging_closes_the_duplicate_and_links_both_histories():
    original, duplicate = case_in_status("assigned"), case_in_status("acknowledged")
    agent = staff_actor("agent")

    case_merge(duplicate=duplicate, into=original, actor=agent)

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("closed", original)
    assert duplicate.resolution == f"Duplicate of {original.number}."
    assert not duplicate.resolved_at_first_contact
    assert kinds(duplicate) == [
        ("created", ""),
        ("status", "status"),
        ("merged_into", "merged_into"),
    ]
    assert kinds(original) == [("created", ""), ("merged_from", "duplicates")]
    assert original.events.get(kind="merged_from").new_value == duplicate.number
    assert list(original.duplicates.all()) == [duplicate]


def test_a_new_case_merged_away_is_not_a_first_contact_resolution():
    original, duplicate = case_in_status("assigned"), case_in_status("new")
    case_merge(duplicate=duplicate, into=original, actor=staff_actor("agent"))
    duplicate.refresh_from_db()
    assert duplicate.status == "closed" and not duplicate.resolved_at_first_contact


@pytest.mark.parametrize("into_status", ["closed"])
def test_merging_into_a_duplicate_or_itself_is_refused(into_status):
    case = case_in_status("assigned")
    with pytest.raises(ApplicationError, match="itself"):
        case_merge(duplicate=case, into=case, actor=staff_actor("agent"))
    first, second, third = (case_in_status("assigned") for _ in range(3))
    case_merge(duplicate=second, into=first, actor=staff_actor("agent"))
    with pytest.raises(ApplicationError, match="itself a duplicate"):
        case_merge(duplicate=third, into=second, actor=staff_actor("agent"))
    assert Case.objects.get(pk=third.pk).status == "assigned"


def test_history_cannot_be_edited_or_deleted():
    case = case_in_status("new")
    event = case.events.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(text="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).text == ""


def test_system_actions_are_recorded_as_the_system():
    case = case_in_status("new")
    case_assign(case=case, actor=SYSTEM, unit=ContractorFactory())
    assert {e.actor_kind for e in case.events.exclude(kind="created")} == {"system"}
    assert Status(case.status) == Status.ASSIGNED
