"""The planners' dashboard in Chromium: figures, charts, clusters and heat
on the map with the month slider, the district choropleth, a report shared
by its address — and no WCAG violation."""

import datetime as dt
import math
import re

from django.contrib.gis.geos import Point
from django.utils import timezone

from geocases.cases.actors import SYSTEM
from geocases.cases.models import Case
from geocases.cases.services import case_create
from tests.browser.test_accessibility import violations
from tests.browser.test_public_map import assert_count_centred
from tests.browser.test_report_flow import DESKTOP, shoot
from tests.factories import UserFactory


def seed(snow, count: int = 40) -> None:
    now = timezone.now()
    for i in range(count):
        case = case_create(
            actor=SYSTEM,
            channel="web" if i % 3 else "phone",
            category=snow,
            location=Point(18.0 + (i % 10) * 0.01, 59.30 + (i // 10) * 0.01, srid=4326),
        )
        Case.objects.filter(pk=case.pk).update(created_at=now - dt.timedelta(days=31 * (i % 4)))


def log_in(page, site) -> None:
    UserFactory(username="planner1", role="planner")
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/login/")
    page.get_by_label("Användarnamn").fill("planner1")
    page.get_by_label("Lösenord").fill("secret-password")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile("/insights/"))


def test_the_dashboard_draws_its_map_charts_and_choropleth(page, site, city):
    seed(city)
    log_in(page, site)
    assert page.locator("#kpi-cases").inner_text() == "40"
    page.locator("#insights-map .cluster").first.wait_for()
    assert "40" in page.locator("#map-status").inner_text()
    assert_count_centred(page.locator("#insights-map .cluster").first)
    counted = sum(int(n) for n in page.locator("#insights-map .cluster span").all_inner_texts())
    assert counted == 40
    page.locator("#district-map .leaflet-interactive").first.wait_for()
    # Shaded in classes of about as many districts each, with a legend.
    counts = page.evaluate("JSON.parse(document.getElementById('insights-charts').textContent)")
    counts = sorted(n for n in counts["districts"].values() if n)
    uppers = []  # each class ends at a fifth, two fifths … of the districts with cases
    for step in range(1, 6):
        upper = counts[math.ceil(step / 5 * len(counts)) - 1]
        uppers += [] if upper in uppers else [upper]
    lowers = [1] + [upper + 1 for upper in uppers[:-1]]
    expected = [f"{a}\u2013{b}" if a != b else str(b) for a, b in zip(lowers, uppers, strict=True)]
    legend = page.locator("#district-legend li").all_inner_texts()
    assert legend == ["inga ärenden", *expected]
    darkest = page.locator("#district-map path[fill='#0b5cad']").count()
    assert darkest == sum(1 for n in counts if n >= lowers[-1])
    for chart in ("month", "category", "channel", "unit"):
        width = page.evaluate(f"document.getElementById('chart-{chart}').width")
        assert width > 0, chart
    assert violations(page) == []
    shoot(page, "insights")

    page.get_by_label("Värmekarta").check()
    page.locator("#insights-map canvas.leaflet-heatmap-layer").wait_for()
    page.get_by_label("Hela perioden").uncheck()
    slider = page.locator("#month-slider")
    assert slider.is_enabled()
    slider.fill(str(int(slider.get_attribute("max"))))  # this month: 10 of the 40
    page.wait_for_function("document.getElementById('map-status').textContent.startsWith('10 ')")


def test_a_report_is_shared_by_its_address(page, site, city):
    seed(city, count=12)
    log_in(page, site)
    page.goto(site + "/insights/?channel=phone&group_by=channel")
    assert page.locator("#kpi-cases").inner_text() == "4"
    assert page.locator("#id_channel option[value=phone]").evaluate("o => o.selected")
    assert page.locator(".insights-table tbody th").all_inner_texts() == ["Telefon"]


def test_at_street_level_the_map_shows_the_cases_one_by_one(page, site, city):
    seed(city, count=12)
    page.add_init_script(
        "window.addEventListener('map:init', function (e) {"
        " (window.maps = window.maps || {})[e.detail.map.getContainer().id] = e.detail.map; });"
    )
    log_in(page, site)
    page.locator("#insights-map .cluster").first.wait_for()
    page.evaluate("window.maps['insights-map'].setView([59.30, 18.0], 18)")
    marker = page.locator("#insights-map path.leaflet-interactive")
    marker.first.wait_for()
    assert marker.count() == 1 and page.locator("#insights-map .cluster").count() == 0
    assert page.locator("#map-status").inner_text() == "1 ärenden i kartvyn"
    marker.first.hover()
    label = page.locator(".leaflet-tooltip").inner_text()
    month = timezone.localdate().strftime("%Y-%m")
    assert label == f"Snö och is · Registrerat · {month} · Telefon"  # the first, by phone

    page.evaluate("window.maps['insights-map'].setZoom(17)")  # clusters again
    page.locator("#insights-map .cluster").first.wait_for()
