"""GET /api/v1/cases/: GeoJSON, filters, ordering, pages, and who sees what."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.utils import timezone

from geocases.cases.models import Case
from tests.api.conftest import error_fields
from tests.factories import CategoryFactory, case_in_status

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [feature["id"] for feature in response.json()["features"]]


def test_cases_come_as_a_feature_collection_with_null_geometry_without_a_place(agent):
    with_place = case_in_status("new", location=Point(18.07, 59.33, srid=4326), address="Kungsg. 1")
    without = case_in_status("new", category=CategoryFactory(place_kind="none"))

    body = agent.get(URL).json()

    assert body["type"] == "FeatureCollection" and body["count"] == 2
    features = {feature["id"]: feature for feature in body["features"]}
    assert features[with_place.number]["geometry"] == {
        "type": "Point",
        "coordinates": [18.07, 59.33],
    }
    assert features[without.number]["geometry"] is None
    properties = features[with_place.number]["properties"]
    assert properties["number"] == with_place.number and properties["address"] == "Kungsg. 1"
    assert properties["category"] == with_place.category.code
    assert dt.datetime.fromisoformat(properties["created_at"]).tzinfo is not None


def test_polygon_cases_are_polygons(agent):
    area = Polygon.from_bbox((18.0, 59.3, 18.01, 59.31))
    area.srid = 4326
    case = case_in_status("new", category=CategoryFactory(place_kind="area"), location=area)
    (feature,) = agent.get(URL).json()["features"]
    assert feature["id"] == case.number and feature["geometry"]["type"] == "Polygon"


def test_filters_by_bbox_status_category_channel_unit_and_dates(agent):
    snow = CategoryFactory(code="snow")
    inside = case_in_status("assigned", category=snow, location=Point(18.07, 59.33, srid=4326))
    outside = case_in_status("new", location=Point(17.5, 59.0, srid=4326), channel="web")

    assert numbers(agent.get(URL, {"bbox": "18.0,59.3,18.1,59.4"})) == [inside.number]
    assert numbers(agent.get(URL, {"status": "assigned"})) == [inside.number]
    assert set(numbers(agent.get(URL, {"status": "assigned,new"}))) == {
        inside.number,
        outside.number,
    }
    assert numbers(agent.get(URL, {"category": "snow"})) == [inside.number]
    assert numbers(agent.get(URL, {"channel": "web"})) == [outside.number]
    assert numbers(agent.get(URL, {"unit": outside.responsible_unit_id})) == [outside.number]
    later = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    assert numbers(agent.get(URL, {"created_after": later})) == []
    assert len(numbers(agent.get(URL, {"created_before": later}))) == 2
    Case.objects.filter(pk=outside.pk).update(updated_at=timezone.now() + dt.timedelta(days=1))
    tomorrow = (timezone.now() + dt.timedelta(hours=12)).isoformat()
    assert numbers(agent.get(URL, {"updated_since": tomorrow})) == [outside.number]


def test_filters_by_words_and_number_and_distance(agent):
    plowing = case_in_status(
        "new", description="Gatan är inte plogad", location=Point(18.07, 59.33, srid=4326)
    )
    far = case_in_status("new", location=Point(18.2, 59.4, srid=4326))

    assert numbers(agent.get(URL, {"q": "plogade"})) == [plowing.number]
    assert numbers(agent.get(URL, {"q": far.number})) == [far.number]
    near = {"lat": 59.3301, "lon": 18.0701, "radius": 50}
    assert numbers(agent.get(URL, near)) == [plowing.number]
    assert numbers(agent.get(URL, {"lat": 59.3301, "lon": 18.0701})) == [plowing.number]


def test_ordering_and_pages_with_a_total_count(agent):
    cases = [case_in_status("new") for _ in range(5)]
    first = agent.get(URL, {"page_size": 2, "ordering": "number"}).json()
    assert first["count"] == 5 and first["previous"] is None
    assert [f["id"] for f in first["features"]] == [c.number for c in cases[:2]]
    second = agent.get(first["next"]).json()
    assert [f["id"] for f in second["features"]] == [c.number for c in cases[2:4]]
    assert second["previous"]
    assert numbers(agent.get(URL, {"ordering": "-number", "page_size": 1})) == [cases[-1].number]
    # Newest first by default.
    assert numbers(agent.get(URL))[0] == cases[-1].number


@pytest.mark.parametrize(
    "params, field",
    [
        ({"bbox": "18,59"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "18.1,59.3,18.0,59.4"}, "bbox"),
        ({"bbox": "18,59,190,60"}, "bbox"),
        ({"status": "lost"}, "status"),
        ({"channel": "pigeon"}, "channel"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"lat": 95, "lon": 18}, "location"),
        ({"lat": 59.3}, "lat"),
        ({"radius": 10}, "radius"),
        ({"lat": 59.3, "lon": 18, "radius": 10**7}, "radius"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 10001}, "page_size"),
        ({"page": 99}, "page"),
        ({"ordering": "reporter_email"}, "ordering"),
    ],
)
def test_bad_filters_get_a_message_for_their_parameter(agent, params, field):
    case_in_status("new")
    response = agent.get(URL, params)
    assert response.status_code == 400
    assert field in error_fields(response), response.json()


def test_anyone_sees_public_cases_only_and_nothing_personal(anonymous):
    public = case_in_status(
        "new",
        location=Point(18.07, 59.33, srid=4326),
        reporter_name="Anna Andersson",
        reporter_email="anna@example.org",
        description="Ring mig på 070-1234567",
    )
    case_in_status("new", category=CategoryFactory(is_public=False, place_kind="none"))

    response = anonymous.get(URL)

    assert numbers(response) == [public.number]
    text = response.content.decode()
    for personal in ("Anna", "anna@example.org", "070-1234567"):
        assert personal not in text


def test_the_public_reads_a_typed_title_as_the_category_and_a_template_title_as_it_is(
    anonymous, agent
):
    category = CategoryFactory(template_title_sv="Soptunnan inte tömd")
    typed = case_in_status(
        "new", category=category, title="Per Perssons soptunna", location=Point(18.07, 59.33)
    )
    template = case_in_status("new", category=category, location=Point(18.07, 59.33))
    listed = {
        feature["id"]: feature["properties"]["title"]
        for feature in anonymous.get(URL).json()["features"]
    }
    assert listed == {typed.number: "", template.number: "Soptunnan inte tömd"}
    detail = anonymous.get(f"{URL}{typed.number}/").json()["properties"]
    assert detail["title"] == category.name_sv
    assert (
        "Per Persson"
        not in anonymous.get(f"{URL}map/?bbox=18,59.3,18.1,59.4&zoom=17").content.decode()
    )
    # Staff read it as typed.
    assert agent.get(f"{URL}{typed.number}/").json()["properties"]["title"] == typed.title


def test_a_contractor_sees_only_cases_of_their_own_organisation(contractor, contractor_user):
    ours = case_in_status("assigned")
    Case.objects.filter(pk=ours.pk).update(responsible_unit=contractor_user.unit)
    case_in_status("assigned")
    assert numbers(contractor.get(URL)) == [ours.number]


def test_the_public_reads_the_template_title_in_their_language(anonymous):
    """Cases made from the template keep its Swedish title; the public reads
    it in English when the template has one, and a case titled with the
    category's name reads the category's name, in either language."""
    bins = CategoryFactory(
        name_sv="Soptunnor",
        name_en="Bins",
        template_title_sv="Soptunnan inte tömd",
        template_title_en="Bin not emptied",
    )
    signs = CategoryFactory(template_title_sv="Skylt saknas")  # no English title
    template = case_in_status("new", category=bins, location=Point(18.07, 59.33))
    named = case_in_status("new", category=bins, title="Soptunnor", location=Point(18.07, 59.33))
    swedish_only = case_in_status("new", category=signs, location=Point(18.07, 59.33))
    assert template.title == "Soptunnan inte tömd"  # kept as the records are

    def titles(url: str) -> dict:
        body = anonymous.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
        return {feature["id"]: feature["properties"]["title"] for feature in body["features"]}

    expected = {
        template.number: "Bin not emptied",
        named.number: "",
        swedish_only.number: "Skylt saknas",
    }
    assert titles(URL) == expected
    assert titles(f"{URL}map/?bbox=18,59.3,18.1,59.4&zoom=17") == expected
    detail = anonymous.get(f"{URL}{named.number}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["properties"]["title"] == "Bins"
    detail = anonymous.get(f"{URL}{template.number}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["properties"]["title"] == "Bin not emptied"
    detail = anonymous.get(f"{URL}{template.number}/").json()  # Swedish, the default
    assert detail["properties"]["title"] == "Soptunnan inte tömd"
