"""GET /api/v1/insights/clusters/ and /heatmap/: counts per map cell with
filters; aggregates for staff, a contractor's own cases only; bad input
refused with the one error shape."""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from rest_framework.test import APIClient

from geocases.cases.actors import SYSTEM
from geocases.cases.models import Case
from geocases.cases.services import case_create
from geocases.insights import selectors
from geocases.insights.services import cells_fold
from tests.api.conftest import error_fields
from tests.factories import CategoryFactory, ContractorFactory, UserFactory

pytestmark = pytest.mark.django_db
CITY = "17.9,59.25,18.2,59.4"
URL = "/api/v1/insights/clusters/"


@pytest.fixture
def cases():
    snow_co = ContractorFactory(code="snow-co")
    bins_co = ContractorFactory(code="bins-co")
    snow = CategoryFactory(code="snow", place_kind="point", default_unit=snow_co)
    bins = CategoryFactory(code="bins", place_kind="point", default_unit=bins_co)
    made = []
    for i, (category, channel) in enumerate(
        [(snow, "web"), (snow, "web"), (snow, "phone"), (bins, "web"), (bins, "email")]
    ):
        case = case_create(
            actor=SYSTEM,
            channel=channel,
            category=category,
            location=Point(18.0 + 0.01 * i, 59.3 + 0.005 * i, srid=4326),
        )
        made.append(case)
    Case.objects.filter(pk=made[0].pk).update(
        status="closed", created_at=dt.datetime(2025, 1, 15, tzinfo=ZoneInfo("Europe/Stockholm"))
    )
    cells_fold()
    return made


def staff(role: str, **kwargs) -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory(role=role, **kwargs))
    return client


def total(client, **params) -> int:
    response = client.get(URL, {"bbox": CITY, "zoom": 12, **params})
    assert response.status_code == 200, response.content
    return response.json()["total"]


def test_a_planner_gets_clusters_whose_counts_add_up(cases):
    body = staff("planner").get(URL, {"bbox": CITY, "zoom": 10}).json()
    assert body["type"] == "FeatureCollection" and body["level"] == 11
    assert body["total"] == 5 == sum(f["properties"]["count"] for f in body["features"])
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    assert 18.0 <= lon <= 18.05 and 59.3 <= lat <= 59.33
    assert "number" not in str(body)  # aggregates, never a case


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, 5),
        ({"category": "snow"}, 3),
        ({"category": "snow,bins"}, 5),
        ({"channel": "web"}, 3),
        ({"status": "closed"}, 1),
        ({"unit": "bins-co"}, 2),
        ({"first_month": "2025-01", "last_month": "2025-01"}, 1),
        ({"category": "snow", "channel": "web", "status": "new"}, 1),
    ],
)
def test_filters(cases, params, expected):
    assert total(staff("planner"), **params) == expected


def test_a_repeated_filter_counts_every_value(cases):
    client = staff("planner")
    both = client.get(URL + f"?bbox={CITY}&zoom=12&channel=web&channel=phone")
    assert both.json()["total"] == total(client, channel="web,phone") == 4  # not 1 (phone)
    two_boxes = client.get(URL + f"?bbox={CITY}&bbox={CITY}&zoom=12")
    assert two_boxes.status_code == 400 and "bbox" in error_fields(two_boxes)


def test_a_narrow_view_counts_only_what_is_in_it(cases):
    body = staff("agent").get(URL, {"bbox": "17.99,59.29,18.005,59.305", "zoom": 16}).json()
    assert body["total"] == 1


def test_a_contractor_counts_only_its_own_organisation(cases):
    snow_co = cases[0].category.default_unit
    client = staff("contractor", unit=snow_co)
    assert total(client) == 3
    assert total(client, unit="bins-co") == 0  # asking for another's gives nothing


def test_the_heatmap_gives_points_with_weights(cases):
    body = staff("planner").get("/api/v1/insights/heatmap/", {"bbox": CITY, "zoom": 14}).json()
    assert body["total"] == 5 and body["max"] == 1 and len(body["points"]) == 5
    lat, lon, weight = body["points"][0]
    assert 59.2 < lat < 59.4 and 17.9 < lon < 18.2 and weight == 1


def test_only_staff_may_see_insights(cases):
    assert APIClient().get(URL, {"bbox": CITY, "zoom": 12}).status_code == 401
    assert staff("").get(URL, {"bbox": CITY, "zoom": 12}).status_code == 403


@pytest.mark.parametrize(
    "params, field",
    [
        ({"zoom": 12}, "bbox"),
        ({"bbox": "18,59,17,60", "zoom": 12}, "bbox"),
        ({"bbox": "a,b,c,d", "zoom": 12}, "bbox"),
        ({"bbox": CITY}, "zoom"),
        ({"bbox": CITY, "zoom": 21}, "zoom"),
        ({"bbox": CITY, "zoom": 12, "category": "nope"}, "category"),
        ({"bbox": CITY, "zoom": 12, "unit": "nope"}, "unit"),
        ({"bbox": CITY, "zoom": 12, "status": "lost"}, "status"),
        ({"bbox": CITY, "zoom": 12, "channel": "fax"}, "channel"),
        ({"bbox": CITY, "zoom": 12, "first_month": "2025-13"}, "first_month"),
        (
            {"bbox": CITY, "zoom": 12, "first_month": "2025-05", "last_month": "2025-01"},
            "last_month",
        ),
        ({"bbox": CITY, "zoom": 12, "category": "x" * 101}, "category"),
        ({"bbox": CITY, "zoom": 12, "first_month": "0000-01"}, "first_month"),
        ({"bbox": CITY, "zoom": 12, "last_month": "9999-12"}, "last_month"),
        ({"bbox": CITY, "zoom": 12, "first_month": "1899-12"}, "first_month"),
        # The whole city at street level: every cell of it, more than any screen.
        ({"bbox": CITY, "zoom": 17}, "zoom"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(cases, params, field):
    response = staff("planner").get(URL, params)
    assert response.status_code == 400
    assert field in error_fields(response)


def test_any_box_is_answered_at_the_coarsest_level_and_a_screenful_at_street_level(cases):
    world = staff("planner").get(URL, {"bbox": "-180,-85,180,85", "zoom": 3})
    assert world.status_code == 200 and world.json()["total"] == total(staff("planner"))
    street = staff("planner").get(URL, {"bbox": "18.05,59.32,18.08,59.34", "zoom": 16})
    assert street.status_code == 200


def test_a_category_made_after_the_codes_were_read_is_found_at_once(cases):
    planner = staff("planner")
    assert total(planner, category="snow") == 3
    CategoryFactory(code="leaves", place_kind="point")
    assert total(planner, category="leaves,snow") == 3  # not "Unknown category"


def test_a_refused_request_leaves_nothing_behind_for_the_next(cases):
    planner = staff("planner")
    refused = planner.get(URL, {"bbox": "a,b,c,d", "zoom": 30, "category": "nope"})
    assert set(error_fields(refused)) == {"bbox", "zoom", "category"}
    assert total(planner, category="bins") == 2


def test_a_renamed_category_code_is_seen_at_once_in_the_process_that_saved_it(cases):
    planner = staff("planner")
    assert total(planner, category="snow") == 3
    snow = cases[0].category
    snow.code = "snow-and-ice"
    snow.save()
    assert planner.get(URL, {"bbox": CITY, "zoom": 12, "category": "snow"}).status_code == 400
    assert total(planner, category="snow-and-ice") == 3


def test_codes_read_while_a_rename_was_uncommitted_are_forgotten_when_it_commits(
    cases, django_capture_on_commit_callbacks
):
    planner = staff("planner")
    snow = cases[0].category
    with django_capture_on_commit_callbacks(execute=True):
        snow.code = "snow-and-ice"
        snow.save()
        # Another request, not seeing the rename yet, reads and keeps the old codes.
        selectors._codes["category"] = (time.monotonic() + 60, {"snow": snow.pk})
    assert planner.get(URL, {"bbox": CITY, "zoom": 12, "category": "snow"}).status_code == 400
    assert total(planner, category="snow-and-ice") == 3


CASES_URL = "/api/v1/insights/cases/"
# All of the fixture's cases, in a box a large screen shows at zoom 18.
STREET = "17.999,59.299,18.041,59.321"


def cases_in_view(client, **params) -> dict:
    response = client.get(CASES_URL, {"bbox": STREET, "zoom": 18, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_at_street_level_the_cases_come_one_by_one_without_personal_data(cases):
    body = cases_in_view(staff("planner"))
    assert (body["type"], body["total"], body["truncated"]) == ("FeatureCollection", 5, False)
    properties = [feature["properties"] for feature in body["features"]]
    assert all(set(p) == {"category", "status", "month", "channel"} for p in properties)
    assert properties[-1] == {
        "category": "snow",
        "status": "closed",
        "month": "2025-01",
        "channel": "web",
    }  # the oldest last
    newest = body["features"][0]["geometry"]["coordinates"]
    assert newest == [18.04, 59.32]  # the last one made, at its place
    for private in ("number", "description", "reporter", "title"):
        assert private not in str(body)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"category": "snow"},
        {"channel": "web"},
        {"status": "closed"},
        {"unit": "bins-co"},
        {"first_month": "2025-01", "last_month": "2025-01"},
    ],
)
def test_the_cases_one_by_one_are_the_ones_the_clusters_count(cases, params):
    planner = staff("planner")
    assert cases_in_view(planner, **params)["total"] == total(planner, **params)


def test_a_contractor_sees_only_its_own_organisations_cases_one_by_one(cases):
    snow_co = cases[0].category.default_unit
    contractor = staff("contractor", unit=snow_co)
    body = cases_in_view(contractor, unit="bins-co")
    assert body["total"] == 0
    assert {f["properties"]["category"] for f in cases_in_view(contractor)["features"]} == {"snow"}


def test_a_narrow_street_view_holds_only_what_is_in_it(cases):
    body = cases_in_view(staff("planner"), bbox="18.009,59.304,18.011,59.306")
    assert [f["geometry"]["coordinates"] for f in body["features"]] == [[18.01, 59.305]]


def test_more_cases_than_are_drawn_one_by_one_are_said_to_be(cases, monkeypatch):
    monkeypatch.setattr(selectors, "CASES_LIMIT", 2)
    body = cases_in_view(staff("planner"))
    assert (body["total"], body["truncated"], len(body["features"])) == (2, True, 2)


def test_a_case_about_a_home_is_shown_where_the_map_counts_it(cases):
    home = CategoryFactory(code="noise", place_kind="point", concerns_home=True)
    case_create(
        actor=SYSTEM, channel="web", category=home, location=Point(18.01234, 59.30567, srid=4326)
    )
    body = cases_in_view(staff("planner"), category="noise")
    assert [f["geometry"]["coordinates"] for f in body["features"]] == [[18.012, 59.306]]


def test_cases_one_by_one_are_refused_above_street_level(cases):
    response = staff("planner").get(CASES_URL, {"bbox": STREET, "zoom": 17})
    assert response.status_code == 400 and "zoom" in error_fields(response)
    assert APIClient().get(CASES_URL, {"bbox": STREET, "zoom": 18}).status_code == 401
    assert staff("").get(CASES_URL, {"bbox": STREET, "zoom": 18}).status_code == 403


@pytest.mark.parametrize(
    "bbox, zoom",
    [
        (CITY, 18),  # the whole city "at street level": its newest cases, not a street's
        ("17.99,59.29,18.06,59.33", 18),  # a few screens wide
        (STREET, 20),  # a screen at 18 is sixteen at 20
    ],
)
def test_cases_one_by_one_are_refused_for_a_box_larger_than_a_screen(cases, bbox, zoom):
    response = staff("planner").get(CASES_URL, {"bbox": bbox, "zoom": zoom})
    assert response.status_code == 400
    assert list(error_fields(response)) == ["bbox"]
    assert "(4096)" in error_fields(response)["bbox"][0]  # says how much a screen shows


def test_a_screen_at_the_closest_zoom_is_answered(cases):
    body = cases_in_view(staff("planner"), bbox="18.0095,59.3045,18.0105,59.3055", zoom=20)
    assert [f["geometry"]["coordinates"] for f in body["features"]] == [[18.01, 59.305]]


@pytest.fixture
def department():
    """A department whose cases are held by its teams, one team with a team of its own."""
    from geocases.organisations.models import OrganisationUnit
    from tests.factories import OrganisationUnitFactory

    office = OrganisationUnitFactory(code="office", kind=OrganisationUnit.Kind.DEPARTMENT)
    roads = OrganisationUnitFactory(code="office-roads", parent=office)
    night = OrganisationUnitFactory(code="office-roads-night", parent=roads)
    parks = OrganisationUnitFactory(code="office-parks", parent=office)
    for i, unit in enumerate([roads, night, night, parks]):
        category = CategoryFactory(code=f"work-{i}", place_kind="point", default_unit=unit)
        case_create(
            actor=SYSTEM,
            channel="web",
            category=category,
            location=Point(18.001 + 0.001 * i, 59.301, srid=4326),
        )
    cells_fold()
    return office


@pytest.mark.parametrize(
    "unit, expected",
    [("office", 4), ("office-roads", 3), ("office-roads-night", 2), ("office-parks,office", 4)],
)
def test_a_unit_counts_the_cases_of_the_units_below_it(cases, department, unit, expected):
    planner = staff("planner")
    assert total(planner, unit=unit) == expected
    assert cases_in_view(planner, unit=unit)["total"] == expected


def test_a_unit_moved_under_another_counts_there_at_once(cases, department):
    from geocases.organisations.models import OrganisationUnit

    planner = staff("planner")
    assert total(planner, unit="office-parks") == 1
    night = OrganisationUnit.objects.get(code="office-roads-night")
    night.parent = OrganisationUnit.objects.get(code="office-parks")
    night.save()
    assert total(planner, unit="office-parks") == 3


def test_a_contractor_with_teams_still_counts_only_its_own_unit(cases, department):
    """Scope "own" is the cases ``visible_to`` gives: the user's own unit,
    not the units below it (whose cases they cannot open either)."""
    from geocases.organisations.models import OrganisationUnit

    roads = OrganisationUnit.objects.get(code="office-roads")
    contractor = staff("contractor", unit=roads)
    assert total(contractor) == 1
    assert total(contractor, unit="office") == 1  # its own, among those asked for
    assert total(contractor, unit="office-roads-night") == 0
    assert cases_in_view(contractor)["total"] == 1
