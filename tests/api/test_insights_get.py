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
    ],
)
def test_bad_input_is_refused_with_the_field_named(cases, params, field):
    response = staff("planner").get(URL, params)
    assert response.status_code == 400
    assert field in error_fields(response)


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
