"""/insights/: the planners' dashboard and its exports — figures that match
the cases, filters in the address, aggregates and anonymised lists only."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from geocases.cases.actors import SYSTEM
from geocases.cases.models import Case
from geocases.cases.services import case_create
from tests.factories import CategoryFactory, ContractorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    snow_co = ContractorFactory(code="snow-co", name="Snö AB")
    snow = CategoryFactory(code="snow", name_sv="Snö", place_kind="any", default_unit=snow_co)
    bins = CategoryFactory(code="bins", name_sv="Sopor", place_kind="any")
    made = [
        case_create(
            actor=SYSTEM,
            channel=channel,
            category=category,
            location=Point(18.0612345 + i / 1000, 59.3298765, srid=4326),
            reporter_name="Karin Hemlig",
            reporter_email="karin.hemlig@example.org",
        )
        for i, (category, channel) in enumerate([(snow, "web"), (snow, "phone"), (bins, "web")])
    ]
    old = timezone.now() - dt.timedelta(days=800)  # outside the default twelve months
    Case.objects.filter(pk=made[2].pk).update(created_at=old)
    return made


@pytest.fixture
def planner(client):
    client.force_login(UserFactory(role="planner"))
    return client


def test_the_dashboard_shows_the_last_twelve_months(planner, cases):
    page = planner.get("/insights/").content.decode()
    assert '<dd id="kpi-cases">2</dd>' in page
    assert "insights-map" in page and "chart-month" in page and "district-map" in page
    assert timezone.localdate().strftime("%Y-%m") in page  # a row of the month table
    assert "Karin" not in page and "example.org" not in page  # no person


def test_filters_and_grouping_live_in_the_address(planner, cases):
    page = planner.get("/insights/?category=snow&channel=web&group_by=category").content.decode()
    assert '<dd id="kpi-cases">1</dd>' in page
    assert '<th scope="row">Snö</th>' in page
    first = (timezone.localdate() - dt.timedelta(days=900)).strftime("%Y-%m")
    everything = planner.get(f"/insights/?first_month={first}").content.decode()
    assert '<dd id="kpi-cases">3</dd>' in everything


@pytest.mark.parametrize(
    "query",
    [
        "first_month=2026-05&last_month=2026-01",
        "category=nope",
        "group_by=reporter",
        "first_month=x",
        "last_month=9999-12",
        "first_month=0001-01",
    ],
)
def test_bad_filters_are_refused_with_the_field_named(planner, cases, query):
    response = planner.get(f"/insights/?{query}")
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert "kpi-cases" not in response.content.decode()


def test_a_last_month_alone_reports_the_thirteen_months_up_to_it(planner, cases):
    old = Case.objects.get(pk=cases[2].pk).created_at
    month = timezone.localtime(old).strftime("%Y-%m")
    page = planner.get(f"/insights/?last_month={month}").content.decode()
    assert '<dd id="kpi-cases">1</dd>' in page  # not an empty report starting after its end
    export = planner.get(f"/insights/export.csv?last_month={month}")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 2


def test_a_contractor_sees_only_its_own_organisation(client, cases):
    client.force_login(UserFactory(role="contractor", unit=cases[0].category.default_unit))
    page = client.get("/insights/").content.decode()
    assert '<dd id="kpi-cases">2</dd>' in page
    other = ContractorFactory(code="other-co")
    assert client.get(f"/insights/?unit={other.code}").status_code == 400  # not a choice


def test_only_staff_may_see_the_dashboard(client, cases):
    assert client.get("/insights/").status_code == 302
    client.force_login(UserFactory(role=""))
    assert client.get("/insights/").status_code == 403


def test_csv_streams_the_anonymised_cases(planner, cases):
    first = (timezone.localdate() - dt.timedelta(days=900)).strftime("%Y-%m")
    response = planner.get(f"/insights/export.csv?first_month={first}")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # as Swedish Excel reads it
    assert rows[0][0] == "Ärendenummer" and len(rows) == 4
    assert {row[0] for row in rows[1:]} == {case.number for case in cases}
    assert "Karin" not in text and "example.org" not in text
    # About 100 m, not the exact spot (18.0612345, 59.3298765 and so on).
    assert {tuple(row[12:14]) for row in rows[1:]} == {
        ("18,061", "59,330"),
        ("18,062", "59,330"),
        ("18,063", "59,330"),
    }


def test_xlsx_holds_the_same_cases(planner, cases):
    response = planner.get("/insights/export.xlsx?category=snow")
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as workbook:
        xml = "".join(
            workbook.read(name).decode() for name in workbook.namelist() if name.endswith(".xml")
        )
    assert cases[0].number in xml and cases[1].number in xml and cases[2].number not in xml
    assert "Karin" not in xml


def test_an_unknown_export_is_not_found(planner, cases):
    assert planner.get("/insights/export.pdf").status_code == 404


def test_planners_land_on_the_dashboard(planner):
    assert planner.get("/staff/")["Location"] == "/insights/"


def test_a_department_counts_the_cases_of_its_teams(planner, cases):
    """The traffic office's own planner filters on the office: its cases
    are held by its teams."""
    from tests.factories import OrganisationUnitFactory

    office = OrganisationUnitFactory(code="office", name="Trafikkontoret")
    snow_co = Case.objects.get(pk=cases[0].pk).responsible_unit
    snow_co.parent = office
    snow_co.save()
    page = planner.get("/insights/?unit=office").content.decode()
    assert '<dd id="kpi-cases">2</dd>' in page
