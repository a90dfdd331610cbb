import re

import pytest
from django.contrib.gis.geos import Point, Polygon

from geocases.cases.actors import SYSTEM
from geocases.cases.models import Case, CaseEvent
from geocases.cases.services import case_create
from geocases.categories.models import CategoryField, FieldType, PlaceKind
from geocases.core.errors import ApplicationError
from geocases.deadlines.calendar import working_calendar
from tests.factories import CategoryFactory, staff_actor

pytestmark = pytest.mark.django_db

SODERMALM = Point(18.07, 59.315, srid=4326)


def square_polygon(lon=18.07, lat=59.315, size=0.001):
    return Polygon(
        ((lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)),
        srid=4326,
    )


@pytest.fixture
def snow():
    category = CategoryFactory(
        code="snow",
        place_kind=PlaceKind.ANY,
        template_title_sv="Snöröjning behövs",
        template_description="Snö har inte röjts.",
        template_priority="high",
    )
    CategoryField.objects.create(
        category=category,
        code="surface",
        label_sv="Var?",
        label_en="Where?",
        required=True,
        datatype=FieldType.SINGLE_CHOICE,
        order=1,
        choices=[
            {"key": "road", "name_sv": "Körbana", "name_en": "Road"},
            {"key": "footpath", "name_sv": "Gångväg", "name_en": "Footpath"},
        ],
    )
    CategoryField.objects.create(
        category=category,
        code="depth",
        label_sv="Djup",
        label_en="Depth",
        datatype=FieldType.NUMBER,
        order=2,
    )
    return category


def test_template_prefills_the_case(snow):
    case = case_create(
        actor=staff_actor(),
        channel="phone",
        category=snow,
        extra={"surface": "road"},
        location=SODERMALM,
    )
    assert (case.title, case.description, case.priority) == (
        "Snöröjning behövs",
        "Snö har inte röjts.",
        "high",
    )
    assert case.status == "new"
    assert case.responsible_unit == snow.default_unit
    # In business time: office hours on working days (tests/deadlines).
    assert case.resolve_by == working_calendar().add(case.created_at, snow.resolve_within)


def test_given_values_win_over_the_template(snow):
    case = case_create(
        actor=staff_actor(),
        channel="web",
        category=snow,
        title="Halt på trappan",
        description="Isigt",
        priority="urgent",
        extra={"surface": "footpath"},
    )
    assert (case.title, case.description, case.priority) == ("Halt på trappan", "Isigt", "urgent")


def test_number_is_year_and_six_digits_counting_up(snow):
    first = case_create(actor=SYSTEM, channel="api", category=snow, extra={"surface": "road"})
    second = case_create(actor=SYSTEM, channel="api", category=snow, extra={"surface": "road"})
    year = first.created_at.year
    assert re.fullmatch(rf"{year}-\d{{6}}", first.number)
    assert int(second.number[5:]) == int(first.number[5:]) + 1


def test_creation_writes_exactly_one_public_created_event(snow):
    agent = staff_actor()
    case = case_create(actor=agent, channel="phone", category=snow, extra={"surface": "road"})
    [event] = case.events.all()
    assert (event.kind, event.actor, event.is_public, event.new_value) == (
        "created",
        agent.user,
        True,
        case.number,
    )


def test_anonymous_reports_are_allowed(snow):
    case = case_create(
        actor=SYSTEM, channel="web", category=snow, extra={"surface": "road"}, location=SODERMALM
    )
    assert case.is_anonymous


def test_a_polygon_place_is_kept(snow):
    case = case_create(
        actor=SYSTEM,
        channel="web",
        category=snow,
        extra={"surface": "road"},
        location=square_polygon(),
    )
    assert Case.objects.get(pk=case.pk).location.geom_type == "Polygon"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"location": Point(200, 59.3, srid=4326)}, "location", "longitude -180…180"),
        ({"location": Point(18, -95, srid=4326)}, "location", "latitude -90…90"),
        ({"location": Point(float("nan"), 59.3, srid=4326)}, "location", "finite"),
        (
            {
                "location": Polygon(
                    ((18, 59), (18.1, 59.1), (18.1, 59), (18, 59.1), (18, 59)), srid=4326
                )
            },
            "location",
            "not a valid polygon",
        ),
        ({"location": Point(18, 59, srid=3006)}, "location", "EPSG:4326"),
        ({"extra": {"surface": "lake"}}, "extra.surface", "must be one of"),
        ({"extra": {}}, "extra.surface", "is required"),
        ({"extra": {"surface": "road", "depth": "deep"}}, "extra.depth", "must be a number"),
        ({"extra": {"surface": "road", "colour": "red"}}, "extra.colour", "has no field"),
        ({"channel": "pigeon"}, "channel", "Unknown channel"),
        ({"reporter_email": "not-an-address"}, "reporter_email", "valid email"),
        ({"priority": "whenever"}, "priority", "whenever"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_is_written(
    snow, changes, field, message
):
    arguments = {"channel": "web", "category": snow, "extra": {"surface": "road"}} | changes
    with pytest.raises(ApplicationError) as raised:
        case_create(actor=SYSTEM, **arguments)
    assert field in raised.value.fields
    assert message.lower() in " ".join(raised.value.fields[field]).lower()
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_too_many_vertices_are_refused(snow, settings):
    settings.GEOCASES_MAX_PLACE_VERTICES = 10
    import math

    ring = [
        (18 + 0.01 * math.cos(a / 20 * 2 * math.pi), 59.3 + 0.01 * math.sin(a / 20 * 2 * math.pi))
        for a in range(20)
    ]
    with pytest.raises(ApplicationError, match="at most 10"):
        case_create(
            actor=SYSTEM,
            channel="web",
            category=snow,
            extra={"surface": "road"},
            location=Polygon([*ring, ring[0]], srid=4326),
        )
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("place_kind", "place", "message"),
    [
        (PlaceKind.NONE, SODERMALM, "have no place"),
        (PlaceKind.POINT, square_polygon(), "take a point, not an area"),
        (PlaceKind.AREA, SODERMALM, "take an area, not a point"),
    ],
)
def test_a_place_the_category_does_not_take_is_refused(place_kind, place, message):
    category = CategoryFactory(place_kind=place_kind)
    with pytest.raises(ApplicationError, match=message):
        case_create(actor=SYSTEM, channel="web", category=category, location=place)
    assert not Case.objects.exists()


def test_a_number_is_not_used_up_by_a_refused_case(snow):
    before = case_create(actor=SYSTEM, channel="web", category=snow, extra={"surface": "road"})
    with pytest.raises(ApplicationError):
        case_create(actor=SYSTEM, channel="web", category=snow, extra={})
    case = case_create(actor=SYSTEM, channel="web", category=snow, extra={"surface": "road"})
    assert int(case.number[5:]) == int(before.number[5:]) + 1


def test_an_inactive_category_takes_no_new_cases():
    category = CategoryFactory(is_active=False)
    with pytest.raises(ApplicationError, match="no longer in use"):
        case_create(actor=SYSTEM, channel="web", category=category)
