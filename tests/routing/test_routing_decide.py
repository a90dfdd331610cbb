"""Each routing rule, against real PostGIS geometry."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point, Polygon

from geocases.routing.selectors import routing_decide, routing_explanation
from tests.factories import CategoryFactory, ServiceAreaFactory, square

pytestmark = pytest.mark.django_db

WINTER_DAY = dt.date(2026, 1, 15)
JULY_DAY = dt.date(2026, 7, 15)


@pytest.fixture
def snow():
    return CategoryFactory(code="snow", place_kind="any")


@pytest.fixture
def west_and_east(snow):
    """Two contracts side by side, sharing the meridian 18.05."""
    west = ServiceAreaFactory(code="west", geometry=square(18.00, 59.30, 0.05), categories=[snow])
    east = ServiceAreaFactory(code="east", geometry=square(18.05, 59.30, 0.05), categories=[snow])
    return west, east


def test_a_point_goes_to_the_area_that_covers_it(snow, west_and_east):
    west, east = west_and_east
    decision = routing_decide(category=snow, location=Point(18.02, 59.32, srid=4326))
    assert (decision.rule, decision.area, decision.unit, decision.flag) == (
        "point",
        west,
        west.unit,
        "",
    )
    decision = routing_decide(category=snow, location=Point(18.08, 59.32, srid=4326))
    assert decision.area == east


def test_a_point_exactly_on_the_boundary_is_routed_and_flagged(snow, west_and_east):
    decision = routing_decide(category=snow, location=Point(18.05, 59.32, srid=4326))
    assert decision.area in west_and_east
    assert decision.flag == "confirm"
    assert {c["area"]["code"] for c in decision.candidates} == {"west", "east"}


def test_a_point_near_another_contracts_boundary_is_flagged(snow, west_and_east, settings):
    settings.GEOCASES_ROUTING_CONFIRM_METERS = 25
    # 0.0003° of longitude at 59.3° N is about 17 m.
    near = routing_decide(category=snow, location=Point(18.0497, 59.32, srid=4326))
    far = routing_decide(category=snow, location=Point(18.0480, 59.32, srid=4326))  # ~110 m
    assert (near.area.code, near.flag) == ("west", "confirm")
    assert (far.area.code, far.flag) == ("west", "")


def test_outside_every_area_goes_to_the_default_unit_flagged_outside_coverage(snow, west_and_east):
    decision = routing_decide(category=snow, location=Point(17.5, 59.0, srid=4326))
    assert (decision.rule, decision.area, decision.unit, decision.flag) == (
        "no_candidate",
        None,
        snow.default_unit,
        "outside_coverage",
    )


def test_no_place_goes_to_the_default_unit(snow):
    decision = routing_decide(category=snow, location=None)
    assert (decision.rule, decision.unit, decision.flag) == ("no_place", snow.default_unit, "")


def test_areas_for_other_categories_are_not_candidates(snow, west_and_east):
    bins = CategoryFactory(code="bins")
    decision = routing_decide(category=bins, location=Point(18.02, 59.32, srid=4326))
    assert decision.rule == "no_candidate"


def test_overlap_goes_to_the_higher_priority(snow):
    ServiceAreaFactory(code="city", geometry=square(18.0, 59.3, 0.2), categories=[snow])
    special = ServiceAreaFactory(
        code="big-priority", geometry=square(17.9, 59.2, 0.5), priority=5, categories=[snow]
    )
    decision = routing_decide(category=snow, location=Point(18.05, 59.35, srid=4326))
    assert decision.area == special


def test_equal_priority_overlap_goes_to_the_smaller_area(snow):
    ServiceAreaFactory(code="city", geometry=square(18.0, 59.3, 0.2), categories=[snow])
    park = ServiceAreaFactory(code="park", geometry=square(18.05, 59.35, 0.02), categories=[snow])
    decision = routing_decide(category=snow, location=Point(18.06, 59.36, srid=4326))
    assert decision.area == park
    assert decision.flag == ""  # inside both, far from the park's edge


def test_a_polygon_goes_to_the_largest_overlap_and_is_flagged(snow, west_and_east):
    # Three quarters of this street stretch lies in the east contract.
    street = Polygon(
        ((18.04, 59.32), (18.08, 59.32), (18.08, 59.321), (18.04, 59.321), (18.04, 59.32)),
        srid=4326,
    )
    decision = routing_decide(category=snow, location=street)
    assert (decision.rule, decision.area.code, decision.flag) == ("area", "east", "confirm")
    overlaps = {c["area"]["code"]: c["overlap_m2"] for c in decision.candidates if c["covers"]}
    assert overlaps["east"] > 2.5 * overlaps["west"]


def test_a_polygon_inside_one_area_is_not_flagged(snow, west_and_east):
    block = Polygon(((18.01, 59.32), (18.02, 59.32), (18.02, 59.33), (18.01, 59.32)), srid=4326)
    decision = routing_decide(category=snow, location=block)
    assert (decision.area.code, decision.flag) == ("west", "")


def test_contract_period_limits_routing(snow):
    ServiceAreaFactory(
        code="old",
        geometry=square(18.0, 59.3, 0.1),
        categories=[snow],
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2024, 12, 31),
    )
    place = Point(18.05, 59.35, srid=4326)
    assert (
        routing_decide(category=snow, location=place, on=dt.date(2024, 12, 31)).area.code == "old"
    )
    assert routing_decide(category=snow, location=place, on=dt.date(2025, 1, 1)).rule == (
        "no_candidate"
    )


def test_a_case_in_july_does_not_go_to_the_winter_contractor(snow):
    summer_unit_area = ServiceAreaFactory(
        code="all-year", geometry=square(18.0, 59.3, 0.1), categories=[snow]
    )
    ServiceAreaFactory(
        code="winter",
        geometry=square(18.0, 59.3, 0.1),
        priority=10,
        season_start="10-15",
        season_end="04-15",
        categories=[snow],
    )
    place = Point(18.05, 59.35, srid=4326)
    assert routing_decide(category=snow, location=place, on=WINTER_DAY).area.code == "winter"
    assert routing_decide(category=snow, location=place, on=JULY_DAY).area == summer_unit_area
    for day, code in [
        (dt.date(2026, 10, 15), "winter"),
        (dt.date(2026, 4, 15), "winter"),
        (dt.date(2026, 4, 16), "all-year"),
        (dt.date(2026, 10, 14), "all-year"),
    ]:
        assert routing_decide(category=snow, location=place, on=day).area.code == code, day


def test_the_explanation_names_the_rule_area_and_other_candidates(snow, west_and_east):
    decision = routing_decide(category=snow, location=Point(18.05, 59.32, srid=4326))
    text = routing_explanation(decision.as_json())
    assert decision.area.name in text
    assert "Other candidates" in text and "confirm" in text
