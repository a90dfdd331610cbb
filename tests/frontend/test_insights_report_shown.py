"""/insights/ says what its figures are of: every month of the period, the
period and filters actually used (also when a shared link left them out),
each chart's figures as a table, numbers in the reader's language, clear
words for a bad month — and staff find the page from their other pages."""

import datetime as dt
import json
import re

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils import timezone, translation

from geocases.cases.actors import SYSTEM
from geocases.cases.models import Case
from geocases.cases.services import case_create
from tests.factories import CategoryFactory, ContractorFactory, DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db


def months_ago(count: int) -> dt.date:
    month = timezone.localdate().replace(day=1)
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


@pytest.fixture
def cases():
    """Two snow cases this month, by web and phone, and a pothole three
    months ago, all in Norrmalm; no case in the two months between."""
    box = MultiPolygon(Polygon.from_bbox((18.0, 59.3, 18.1, 59.4)), srid=4326)
    DistrictFactory(code="norrmalm", name="Norrmalm", geometry=box, land_geometry=box)
    DistrictFactory(code="akalla", name="Akalla")
    DistrictFactory(code="zinkensdamm", name="Zinkensdamm")
    snow_co = ContractorFactory(code="snow-co", name="Snö AB")
    snow = CategoryFactory(code="snow", name_sv="Snö", place_kind="any", default_unit=snow_co)
    holes = CategoryFactory(code="holes", name_sv="Potthål", place_kind="any")
    made = [
        case_create(
            actor=SYSTEM,
            channel=channel,
            category=category,
            location=Point(18.06 + i / 1000, 59.33, srid=4326),
        )
        for i, (category, channel) in enumerate([(snow, "web"), (snow, "phone"), (holes, "web")])
    ]
    three_months_ago = timezone.now() - dt.timedelta(days=92)
    Case.objects.filter(pk=made[2].pk).update(created_at=three_months_ago)
    return made


@pytest.fixture
def planner(client):
    client.force_login(UserFactory(role="planner"))
    return client


def charts(page: str) -> dict:
    found = re.search(r'<script id="insights-charts" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def table_rows(page: str) -> list[str]:
    table = page.split('class="cases insights-table">')[-1].split("</tbody>")[0]
    return re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td>', table)


def test_every_month_of_the_period_is_charted_and_tabled_with_0_where_there_were_none(
    planner, cases
):
    page = planner.get("/insights/?group_by=month").content.decode()
    months = [months_ago(n).strftime("%Y-%m") for n in range(12, -1, -1)]
    assert charts(page)["month"]["labels"] == months
    by_month = dict(zip(months, charts(page)["month"]["cases"], strict=True))
    assert [by_month[months_ago(n).strftime("%Y-%m")] for n in (3, 2, 1, 0)] == [1, 0, 0, 2]
    assert [label for label, _cases in table_rows(page)] == months
    assert dict(table_rows(page))[months_ago(2).strftime("%Y-%m")] == "0"


def test_a_link_without_months_shows_the_period_it_reports(planner, cases):
    page = planner.get("/insights/?category=snow").content.decode()
    first, last = months_ago(12).strftime("%Y-%m"), months_ago(0).strftime("%Y-%m")
    assert f'name="first_month" value="{first}"' in page
    assert f'name="last_month" value="{last}"' in page


def test_a_line_above_the_figures_names_the_period_and_the_filters(planner, cases):
    page = planner.get(
        "/insights/?district=zinkensdamm&district=norrmalm&unit=snow-co"
        "&first_month=2026-02&last_month=2026-11"
    ).content.decode()
    assert "Visar: februari 2026\u2013november 2026 · Snö AB · Zinkensdamm, Norrmalm" in page
    everything = planner.get("/insights/?first_month=2026-03&last_month=2026-03").content.decode()
    assert "Visar: mars 2026 · alla ärenden" in everything


def test_a_contractors_summary_names_its_own_organisation(client, cases):
    client.force_login(UserFactory(role="contractor", unit=cases[0].category.default_unit))
    page = client.get("/insights/").content.decode()
    assert re.search(r"Visar: [^<]* · Snö AB</p>", page)


def test_the_chosen_values_are_listed_first(planner, cases):
    page = planner.get("/insights/?district=zinkensdamm&district=norrmalm").content.decode()
    districts = page.split('name="district"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)"', districts)[:3] == [
        "norrmalm",
        "zinkensdamm",
        "akalla",
    ]


def test_the_map_says_it_is_not_filtered_by_district_only_when_a_district_is_chosen(planner, cases):
    assert "data-all-districts" in planner.get("/insights/?district=akalla").content.decode()
    assert "data-all-districts" not in planner.get("/insights/").content.decode()


def test_each_chart_has_its_figures_as_a_table(planner, cases):
    page = planner.get("/insights/").content.decode()
    for name in ("month", "category", "channel", "unit", "district"):
        assert f'<details class="chart-data" id="chart-{name}-data">' in page, name
    category = page.split('id="chart-category-data"')[1].split("</details>")[0]
    assert '<tr><th scope="row">Snö</th><td>2</td></tr>' in category
    channel = page.split('id="chart-channel-data"')[1].split("</details>")[0]
    assert '<tr><th scope="row">Telefon</th><td>1</td></tr>' in channel
    district = page.split('id="chart-district-data"')[1].split("</details>")[0]
    assert '<tr><th scope="row">Norrmalm</th><td>3</td></tr>' in district


def test_no_cases_says_so_instead_of_empty_charts(planner, cases):
    page = planner.get("/insights/?first_month=2030-01&last_month=2030-02").content.decode()
    assert '<dd id="kpi-cases">0</dd>' in page
    assert 'id="insights-no-cases">Inga ärenden matchar.</p>' in page
    assert "<canvas" not in page


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "januari"])
def test_a_bad_month_is_refused_in_words_and_shown_as_given(planner, cases, month):
    response = planner.get(f"/insights/?first_month={month}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ange en månad som ÅÅÅÅ-MM, t.ex. 2026-01." in page
    # As text: a month input would show it empty and hide what was wrong.
    assert f'<input type="text" name="first_month" value="{month}"' in page


def test_an_empty_filter_is_no_filter(planner, cases):
    response = planner.get("/insights/?unit=&category=&group_by=")
    assert response.status_code == 200
    assert '<dd id="kpi-cases">3</dd>' in response.content.decode()


def test_figures_are_written_in_the_readers_language():
    from frontend.pages.insights import _count, _hours

    with translation.override("sv"):
        assert (_count(22676), _hours(17.14 * 24), _hours(2.34)) == ("22\xa0676", "17,1 d", "2,3 h")
    with translation.override("en"):
        assert (_count(22676), _hours(17.14 * 24), _hours(2.34)) == ("22,676", "17.1 d", "2.3 h")


def test_a_reset_link_leaves_every_filter(planner, cases):
    assert 'id="insights-reset"' not in planner.get("/insights/").content.decode()
    page = planner.get("/insights/?category=snow").content.decode()
    assert '<a href="/insights/" id="insights-reset">Återställ filtren</a>' in page


def test_the_export_links_carry_the_filters_but_not_the_maps_state(planner, cases):
    page = planner.get(
        "/insights/?category=snow&map=14/59.33/18.06&map_layer=heatmap&map_month=2026-01"
    ).content.decode()
    assert 'href="/insights/export.csv?category=snow"' in page


@pytest.mark.parametrize("role", ["planner", "agent", "contractor"])
def test_the_header_links_staff_to_the_dashboard(client, role):
    client.force_login(UserFactory(role=role))
    page = client.get("/").content.decode()
    assert '<nav class="staff-nav"' in page and 'href="/insights/"' in page


def test_the_header_has_no_dashboard_link_for_anyone_else(client):
    assert 'class="staff-nav"' not in client.get("/").content.decode()
    client.force_login(UserFactory(role=""))
    assert 'class="staff-nav"' not in client.get("/").content.decode()


def test_the_dashboard_link_says_it_is_the_page_shown(planner, cases):
    page = planner.get("/insights/").content.decode()
    assert '<a href="/insights/" aria-current="page">Analys</a>' in page


def test_the_field_view_links_to_the_dashboard(client):
    client.force_login(UserFactory(role="contractor", unit=ContractorFactory()))
    assert '<a href="/insights/">Analys</a>' in client.get("/field/").content.decode()
