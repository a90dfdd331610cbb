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
    darkest = page.locator("#district-map path[fill='#063262']").count()
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
    assert marker.first.get_attribute("aria-label") == label  # said on focus too

    page.evaluate("window.maps['insights-map'].setZoom(17)")  # clusters again
    page.locator("#insights-map .cluster").first.wait_for()


def chart_ticks(page, name: str) -> dict:
    """What Chart.js drew on a chart's axis of names: every label it shows
    and every name it has."""
    return page.evaluate(
        """name => {
          const chart = Chart.getChart(document.getElementById('chart-' + name));
          const axis = chart.options.indexAxis === 'y' ? chart.scales.y : chart.scales.x;
          return {shown: axis.ticks.map(t => t.label), names: chart.data.labels};
        }""",
        name,
    )


def test_every_bar_is_labelled_and_long_names_are_shortened(page, site, city):
    from tests.factories import CategoryFactory, ContractorFactory

    long_name = "Trafikkontoret, vinterväghållning och gatudrift"
    unit = ContractorFactory(name=long_name)
    for n in range(12):
        category = CategoryFactory(
            code=f"c{n}", name_sv=f"Kategori nummer {n}", place_kind="any", default_unit=unit
        )
        for _ in range(n + 1):
            case_create(
                actor=SYSTEM,
                channel="web",
                category=category,
                location=Point(18.06, 59.33, srid=4326),
            )
    log_in(page, site)
    page.locator("#insights-map .cluster").first.wait_for()
    categories = chart_ticks(page, "category")
    assert len(categories["names"]) == 12
    assert categories["shown"] == categories["names"]  # none skipped
    units = chart_ticks(page, "unit")
    assert long_name in units["names"]
    assert "Trafikkontoret, vinterv\u2026" in units["shown"]
    assert len(units["shown"]) == len(units["names"])
    # The whole name where the bar is pointed at.
    page.locator("#chart-unit").scroll_into_view_if_needed()
    box = page.locator("#chart-unit").bounding_box()
    bar = page.evaluate(
        """name => {
          const chart = Chart.getChart(document.getElementById('chart-unit'));
          const i = chart.data.labels.indexOf(name);
          const element = chart.getDatasetMeta(0).data[i];
          return {x: element.x - 5, y: element.y};
        }""",
        long_name,
    )
    page.mouse.move(box["x"] + bar["x"], box["y"] + bar["y"])
    page.wait_for_function(
        "n => Chart.getChart(document.getElementById('chart-unit')).tooltip.title[0] === n",
        arg=long_name,
    )
    shoot(page, "insights-bars")


def test_the_maps_layer_month_and_view_live_in_the_address(page, site, city):
    seed(city, count=12)
    log_in(page, site)
    page.locator("#insights-map .cluster").first.wait_for()
    page.get_by_label("Värmekarta").check()
    page.get_by_label("Hela perioden").uncheck()
    page.locator("#month-slider").fill("11")  # the month before this one
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    page.wait_for_url(re.compile(f"map_layer=heatmap.*map_month={month}"))
    assert "map=11/" in page.url
    # A change of language keeps the map too.
    kept = page.locator(".language-switch input[name=next]").input_value()
    assert f"map_layer=heatmap&map_month={month}" in kept

    shared = page.context.new_page()
    shared.add_init_script(
        "window.addEventListener('map:init', function (e) {"
        " (window.maps = window.maps || {})[e.detail.map.getContainer().id] = e.detail.map; });"
    )
    shared.goto(page.url.replace("map=11/", "map=13/"))
    shared.locator("#insights-map canvas.leaflet-heatmap-layer").wait_for()
    assert shared.get_by_label("Värmekarta").is_checked()
    assert not shared.get_by_label("Hela perioden").is_checked()
    assert shared.locator("#month-slider").input_value() == "11"
    assert shared.evaluate("window.maps['insights-map'].getZoom()") == 13
    # "Show" keeps the map as it is.
    shared.locator("#id_channel").select_option("web")
    shared.get_by_role("button", name="Visa").click()
    shared.wait_for_url(re.compile("channel=web"))
    assert "map_layer=heatmap" in shared.url and f"map_month={month}" in shared.url
    shared.goto("about:blank")


def test_the_month_slider_names_its_month(page, site, city):
    seed(city, count=4)
    log_in(page, site)
    page.locator("#insights-map .cluster").first.wait_for()
    page.get_by_label("Hela perioden").uncheck()
    slider = page.locator("#month-slider")
    slider.fill("12")
    swedish = [
        "januari", "februari", "mars", "april", "maj", "juni",
        "juli", "augusti", "september", "oktober", "november", "december",
    ]  # fmt: skip
    today = timezone.localdate()
    expected = f"{swedish[today.month - 1]} {today.year}"
    assert slider.get_attribute("aria-valuetext") == expected
    assert page.locator("#month-shown").inner_text() == expected


def test_the_keyboard_reaches_the_clusters_and_zooms_in_on_them(page, site, city):
    seed(city, count=12)
    log_in(page, site)
    cluster = page.locator("#insights-map .cluster").first
    cluster.wait_for()
    assert re.fullmatch(r"\d+ ärenden här: zooma in", cluster.get_attribute("aria-label"))
    zoom = int(re.search(r"map=(\d+)", page.url).group(1))
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(f"map={zoom + 2}/"))
    page.wait_for_function("document.activeElement.closest('#insights-map') !== null")


def test_the_districts_shapes_are_no_tab_stops(page, site, city):
    """117 nameless stops help no one: from the district map, Tab goes past
    its controls to the table of the same figures."""
    seed(city, count=4)
    log_in(page, site)
    page.locator("#district-map path.leaflet-interactive").first.wait_for()
    page.locator("#district-map").focus()
    stops = []
    for _ in range(10):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            "document.activeElement.closest('#district-map') ? document.activeElement.tagName : ''"
        )
        if not stop:
            break
        stops.append(stop.lower())
    assert stops == ["a", "a", "a"]  # zoom in, zoom out, Leaflet's attribution


def test_with_districts_chosen_the_map_says_it_counts_all_districts(page, site, city):
    seed(city, count=4)
    log_in(page, site)
    page.goto(site + "/insights/?district=norrmalm")
    page.wait_for_function("document.getElementById('map-status').textContent !== ''")
    assert page.locator("#map-status").inner_text() == (
        "4 ärenden i kartvyn, i alla stadsdelar: kartan filtreras inte på stadsdel"
    )
    assert page.locator("#insights-showing").is_visible()


def test_the_maps_counts_are_written_in_the_pages_language(page, site, city):
    seed(city, count=2)
    body = (
        '{"type": "FeatureCollection", "total": 12345, "truncated": false, "features": ['
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [18.02, 59.33]},'
        ' "properties": {"count": 12345}}]}'
    )
    page.route(
        "**/api/v1/insights/clusters/**",
        lambda route: route.fulfill(status=200, body=body, content_type="application/json"),
    )
    log_in(page, site)
    page.locator("#insights-map .cluster").first.wait_for()
    assert page.locator("#map-status").inner_text() == "12\u00a0345 ärenden i kartvyn"
    assert page.locator("#insights-map .cluster").inner_text() == "12\u00a0345"


def test_a_touch_screen_is_not_told_to_hold_ctrl(browser, site, city):
    context = browser.new_context(
        locale="sv-SE", has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    UserFactory(username="planner1", role="planner")
    page.goto(site + "/login/")
    page.get_by_label("Användarnamn").fill("planner1")
    page.get_by_label("Lösenord").fill("secret-password")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile("/insights/"))
    assert not page.get_by_text("Håll ned Ctrl").is_visible()
    assert page.get_by_text("Inget valt betyder alla.").is_visible()
    page.goto("about:blank")
    context.close()


def test_a_mouse_user_is_told_to_hold_ctrl(page, site, city):
    log_in(page, site)
    assert page.get_by_text("Håll ned Ctrl (eller ⌘) för att välja flera.").is_visible()


def contrast(rgb: str) -> float:
    """WCAG's contrast ratio of a CSS ``rgb(r, g, b)`` against white."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(n) for n in re.findall(r"\d+", rgb)[:3])
    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (luminance + 0.05)


def test_every_shade_of_the_choropleth_stands_out_from_no_cases(page, site):
    """WCAG 1.4.11: 3:1 against white, the shade of a district without cases."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from tests.factories import CategoryFactory, DistrictFactory

    snow = CategoryFactory(code="snow", name_sv="Snö och is", place_kind="any")
    for n in range(6):  # the first without cases, then 1 to 5: five classes
        west = 18.0 + n * 0.02
        box = MultiPolygon(Polygon.from_bbox((west, 59.30, west + 0.01, 59.31)), srid=4326)
        DistrictFactory(code=f"d{n}", name=f"Distrikt {n}", geometry=box, land_geometry=box)
        for _ in range(n):
            case_create(
                actor=SYSTEM,
                channel="web",
                category=snow,
                location=Point(west + 0.005, 59.305, srid=4326),
            )
    log_in(page, site)
    page.locator("#district-legend li").nth(5).wait_for()
    shades = page.locator("#district-legend .swatch").evaluate_all(
        "swatches => swatches.map(s => getComputedStyle(s).backgroundColor)"
    )
    assert shades[0] == "rgb(255, 255, 255)"  # no cases
    assert len(shades) == 6 and min(contrast(shade) for shade in shades[1:]) >= 3
