"""GET categories, service areas, units and the staff directory."""

import datetime as dt

import pytest

from tests.api.conftest import error_fields
from tests.factories import (
    CategoryFactory,
    ContractorFactory,
    OrganisationUnitFactory,
    ServiceAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bins():
    category = CategoryFactory(
        code="bins", name_sv="Soptunnor", name_en="Bins", template_title_sv="Full soptunna"
    )
    category.fields.create(
        code="kind",
        label_sv="Sort",
        label_en="Kind",
        datatype="singlevaluelist",
        order=2,
        choices=[{"key": "paper", "name_sv": "Papper", "name_en": "Paper"}],
    )
    category.fields.create(
        code="count", label_sv="Antal", label_en="Count", datatype="number", required=True, order=1
    )
    return category


def test_categories_with_template_and_extra_fields_in_order(anonymous, bins):
    (category,) = anonymous.get("/api/v1/categories/").json()
    assert category["code"] == "bins" and category["name"] == "Soptunnor"
    assert category["template"]["title"] == "Full soptunna"
    assert [field["code"] for field in category["fields"]] == ["count", "kind"]
    assert category["fields"][1]["choices"] == [{"key": "paper", "name": "Papper"}]


def test_a_category_in_english(anonymous, bins):
    body = anonymous.get("/api/v1/categories/bins/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["name"] == "Bins" and body["fields"][0]["label"] == "Count"
    assert body["template"]["title"] == "Full soptunna"  # no English title: the Swedish one
    bins.template_title_en = "Full bin"
    bins.save()
    body = anonymous.get("/api/v1/categories/bins/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["template"]["title"] == "Full bin"
    assert anonymous.get("/api/v1/categories/nope/").status_code == 404


def test_service_areas_as_geojson_filtered_by_category_and_day(anonymous):
    snow = CategoryFactory(code="snow")
    ServiceAreaFactory(
        code="winter",
        categories=[snow],
        valid_from=dt.date(2026, 10, 15),
        valid_to=dt.date(2027, 4, 15),
    )
    ServiceAreaFactory(code="parks", categories=[CategoryFactory()])

    body = anonymous.get("/api/v1/service-areas/").json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 2
    assert body["features"][0]["geometry"]["type"] == "MultiPolygon"
    codes = [
        f["id"] for f in anonymous.get("/api/v1/service-areas/?category=snow").json()["features"]
    ]
    assert codes == ["winter"]
    summer = anonymous.get("/api/v1/service-areas/?on=2026-07-01").json()["features"]
    assert [f["id"] for f in summer] == ["parks"]
    bad = anonymous.get("/api/v1/service-areas/?on=July")
    assert bad.status_code == 400 and "on" in error_fields(bad)


def test_units_are_listed_for_anyone(anonymous):
    ContractorFactory(code="plow", name="Plogbolaget AB")
    body = anonymous.get("/api/v1/units/").json()
    assert {"code": "plow", "name": "Plogbolaget AB", "kind": "contractor"}.items() <= body[
        0
    ].items()


def test_staff_directory_by_name_and_unit_for_staff_only(agent, anonymous):
    roads = OrganisationUnitFactory(code="roads", name="Trafikkontoret")
    UserFactory(first_name="Anna", last_name="Andersson", unit=roads, phone="08-46500400")
    UserFactory(first_name="Bo", last_name="Berg")

    found = agent.get("/api/v1/staff/", {"q": "anna"}).json()
    assert [person["name"] for person in found] == ["Anna Andersson"]
    assert found[0]["unit"]["code"] == "roads" and found[0]["phone"] == "08-46500400"
    by_unit = agent.get("/api/v1/staff/", {"unit": "roads"}).json()
    assert [person["name"] for person in by_unit] == ["Anna Andersson"]
    unknown = agent.get("/api/v1/staff/", {"unit": "nowhere"})
    assert unknown.status_code == 400 and "unit" in error_fields(unknown)
    response = anonymous.get("/api/v1/staff/", {"q": "anna"})
    assert response.status_code == 401
    assert "Andersson" not in response.content.decode()
