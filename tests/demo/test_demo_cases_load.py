import pytest

from geocases.cases.lifecycle import Status
from geocases.cases.models import Case, CaseEvent
from geocases.demo.cases import demo_cases_load
from geocases.demo.services import demo_city_load, demo_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec():
    demo_city_load()
    return demo_definition()["sample_cases"]


def test_sample_cases_have_histories_in_varied_states_and_places(spec):
    assert demo_cases_load(spec=spec, count=60, seed=7) == 60

    cases = Case.objects.all()
    assert cases.count() == 60
    assert len(set(cases.values_list("status", flat=True))) >= 6
    assert cases.filter(location__isnull=False).exists()
    assert cases.filter(location__isnull=True, category__place_kind="none").exists()
    assert not cases.filter(location__isnull=True).exclude(category__place_kind="none").exists()
    for case in cases:
        events = list(case.events.order_by("at", "id"))
        assert events[0].kind == "created"
        statuses = [e.new_value for e in events if e.kind == "status"]
        assert (statuses[-1] if statuses else Status.NEW) == case.status
    # numbers rise with time
    ordered = list(cases.order_by("created_at").values_list("number", flat=True))
    assert ordered == sorted(ordered)


def test_sample_cases_are_routed_to_the_demo_contractors(spec):
    demo_cases_load(spec=spec, count=60, seed=7)
    forwarded = Case.objects.exclude(status__in=["new"]).filter(category__code="pothole")
    assert forwarded.exists()
    assert set(forwarded.values_list("responsible_unit__code", flat=True)) == {"stad-och-park"}


def test_no_sample_cases_are_added_to_a_city_that_has_cases(spec):
    demo_cases_load(spec=spec, count=5)
    events = CaseEvent.objects.count()
    assert demo_cases_load(spec=spec, count=5) == 0
    assert Case.objects.count() == 5 and CaseEvent.objects.count() == events


def test_every_demo_contractor_gets_cases_through_its_service_areas(spec):
    demo_cases_load(spec=spec, count=300, seed=3)

    routed = Case.objects.filter(routing__rule="point", routing_locked=False)
    assert routed.exists()
    for case in routed.select_related("routing_area"):
        assert case.responsible_unit_id == case.routing_area.unit_id
    by_area = set(routed.values_list("routing_area__unit__code", flat=True))
    assert by_area >= {"vintervag-nord", "snorojning-syd", "avfallsservice-ost", "stad-och-park"}
    # a snow case is only routed to a winter contractor within the season
    for case in routed.filter(category__code="snow-ice"):
        assert case.created_at.month in (10, 11, 12, 1, 2, 3, 4), case.created_at
