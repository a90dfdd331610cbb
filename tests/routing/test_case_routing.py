"""Routing applied to cases: on creation, on change, by hand, and in bulk."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point

from geocases.cases.actors import SYSTEM
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case
from geocases.cases.services import case_assign, case_create, case_transition, case_update
from geocases.routing.services import cases_reroute
from tests.factories import (
    CategoryFactory,
    ContractorFactory,
    ServiceAreaFactory,
    square,
    staff_actor,
)

pytestmark = pytest.mark.django_db

WEST_POINT = Point(18.02, 59.32, srid=4326)
EAST_POINT = Point(18.08, 59.32, srid=4326)


@pytest.fixture
def snow():
    return CategoryFactory(code="snow", place_kind="any")


@pytest.fixture
def areas(snow):
    west = ServiceAreaFactory(code="west", geometry=square(18.00, 59.30, 0.05), categories=[snow])
    east = ServiceAreaFactory(code="east", geometry=square(18.05, 59.30, 0.05), categories=[snow])
    return west, east


def test_a_web_report_lands_with_the_routed_contractor_at_once(snow, areas):
    west, _ = areas
    case = case_create(actor=SYSTEM, channel="web", category=snow, location=WEST_POINT)
    assert (case.status, case.responsible_unit, case.routing_area) == ("assigned", west.unit, west)
    assert case.routing["rule"] == "point" and case.routing["area"]["code"] == "west"
    assert [e.kind for e in case.events.all()] == ["created", "status"]


def test_a_phone_case_waits_for_the_agent_with_the_routed_unit_proposed(snow, areas):
    west, _ = areas
    case = case_create(actor=staff_actor(), channel="phone", category=snow, location=WEST_POINT)
    assert (case.status, case.responsible_unit) == ("new", west.unit)


def test_a_flagged_web_report_waits_for_an_agent(snow, areas):
    case = case_create(
        actor=SYSTEM, channel="web", category=snow, location=Point(18.05, 59.32, srid=4326)
    )
    assert (case.status, case.routing_flag) == ("new", "confirm")
    outside = case_create(
        actor=SYSTEM, channel="web", category=snow, location=Point(17.0, 58.0, srid=4326)
    )
    assert (outside.status, outside.routing_flag, outside.responsible_unit) == (
        "new",
        "outside_coverage",
        snow.default_unit,
    )


def test_moving_the_place_routes_again_with_a_history_event(snow, areas):
    west, east = areas
    case = case_create(actor=staff_actor(), channel="phone", category=snow, location=WEST_POINT)
    case_update(case=case, actor=staff_actor(), location=EAST_POINT)
    assert (case.responsible_unit, case.routing_area) == (east.unit, east)
    event = case.events.get(kind="assignment")
    assert (event.old_value["id"], event.new_value["id"], event.actor_kind) == (
        west.unit.pk,
        east.unit.pk,
        "system",
    )


def test_a_manual_forward_is_recorded_and_survives_re_routing(snow, areas):
    _west, east = areas
    agent = staff_actor()
    case = case_create(actor=agent, channel="phone", category=snow, location=WEST_POINT)
    case_assign(case=case, actor=agent, unit=east.unit)
    assert case.routing_locked and case.routing["rule"] == "manual"
    assert case.routing["automatic"]["area"]["code"] == "west"
    assert case.events.get(kind="assignment").new_value["id"] == east.unit.pk

    report = cases_reroute()
    case_update(case=case, actor=agent, location=Point(18.021, 59.321, srid=4326))

    case.refresh_from_db()
    assert case.responsible_unit == east.unit
    assert report.changed == 0


def test_forwarding_to_the_routed_unit_is_not_an_override(snow, areas):
    west, _ = areas
    agent = staff_actor()
    case = case_create(actor=agent, channel="phone", category=snow, location=WEST_POINT)
    case_assign(case=case, actor=agent, unit=west.unit)
    assert (case.status, case.routing_locked, case.routing["rule"]) == ("assigned", False, "point")
    assert not case.events.filter(kind="assignment").exists()  # the unit did not change


def test_bulk_re_routing_moves_open_cases_and_records_only_changes(snow, areas):
    west, east = areas
    moving = case_create(
        actor=SYSTEM, channel="web", category=snow, location=Point(18.045, 59.32, srid=4326)
    )
    staying = case_create(actor=SYSTEM, channel="web", category=snow, location=WEST_POINT)
    working = case_create(
        actor=SYSTEM, channel="web", category=snow, location=Point(18.046, 59.33, srid=4326)
    )
    Case.objects.filter(pk=working.pk).update(status=Status.ACKNOWLEDGED)
    placeless = case_create(actor=SYSTEM, channel="phone", category=snow)
    events_before = {c.pk: c.events.count() for c in (moving, staying, working, placeless)}

    # The new contract map: the east contractor takes over the strip 18.04 to 18.05.
    east.geometry = MultiPolygon(square(18.04, 59.30, 0.06)[0], srid=4326)
    east.save()
    west.geometry = MultiPolygon(square(18.00, 59.30, 0.04)[0], srid=4326)
    west.save()
    report = cases_reroute(batch_size=2)

    for case in (moving, staying, working, placeless):
        case.refresh_from_db()
    assert moving.responsible_unit == east.unit and moving.routing["by"] == "reroute"
    assert staying.responsible_unit == west.unit
    assert working.responsible_unit == west.unit  # acknowledged work stays where it is
    assert moving.events.count() == events_before[moving.pk] + 1
    event = moving.events.latest("id")
    assert (event.kind, event.old_value["id"], event.new_value["id"]) == (
        "assignment",
        west.unit.pk,
        east.unit.pk,
    )
    for case in (staying, working, placeless):
        assert case.events.count() == events_before[case.pk], case
    assert (report.changed, report.checked) == (1, 3)
    assert report.batches >= 2


def test_bulk_re_routing_again_changes_nothing(snow, areas):
    case_create(actor=SYSTEM, channel="web", category=snow, location=WEST_POINT)
    cases_reroute()
    assert cases_reroute().changed == 0


def test_reassigning_after_a_contract_ends_moves_work_to_the_new_contractor(snow, areas):
    west, _ = areas
    case = case_create(actor=SYSTEM, channel="web", category=snow, location=WEST_POINT)
    new_contractor = ContractorFactory()
    west.unit = new_contractor
    west.save()
    cases_reroute()
    case.refresh_from_db()
    assert case.responsible_unit == new_contractor
    case_transition(
        case=case, actor=staff_actor("contractor", new_contractor), to=Status.ACKNOWLEDGED
    )
