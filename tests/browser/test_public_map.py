"""The public map in a real browser: counts when zoomed out, cases when in."""

from django.contrib.gis.geos import Point

from tests.browser.test_report_flow import shoot
from tests.factories import case_in_status


def test_the_map_counts_and_then_shows_each_case(page, site):
    for n in range(4):
        case_in_status("new", location=Point(18.06 + n * 2e-4, 59.33, srid=4326))
    page.goto(site + "/map/")
    summary = page.locator("#map-summary")
    page.get_by_text("4 ärenden i kartvyn. Zooma in för att se varje ärende.").wait_for()
    shoot(page, "public-map")
    assert_count_centred(page.locator(".cluster").first)
    assert page.locator("#map-list li").count() == 0  # counts only: nothing to list yet
    assert page.locator(".cluster").first.get_attribute("title") == "4 ärenden här: zooma in"
    for _ in range(4):  # each count zooms in two steps, from the keyboard too
        if "Zooma in" not in summary.inner_text():
            break
        cluster = page.locator(".cluster").first
        cluster.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(600)
    page.get_by_text("4 ärenden i kartvyn.", exact=True).wait_for()
    assert page.locator("#public-map .leaflet-overlay-pane path.leaflet-interactive").count() == 4
    # The same cases as a list, for readers who do not use the map; the
    # keyboard's place is kept there, not lost to the page.
    assert page.locator("#map-list li").count() == 4
    assert page.evaluate("document.activeElement.id") == "map-list"


def test_a_failed_fetch_is_said_not_shown_as_an_empty_city(page, site):
    page.route("**/api/v1/cases/map/**", lambda route: route.fulfill(status=503, body="{}"))
    page.goto(site + "/map/")
    page.get_by_text("Kartans ärenden kunde inte hämtas just nu.").wait_for()


def assert_count_centred(cluster) -> None:
    """The number sits in the middle of its circle (Leaflet's stylesheet
    once overrode ours and put it in the top left corner)."""
    circle, number = cluster.bounding_box(), cluster.locator("span").bounding_box()
    for axis, size in (("x", "width"), ("y", "height")):
        middle = circle[axis] + circle[size] / 2
        assert abs(number[axis] + number[size] / 2 - middle) < 2, (circle, number)


def test_the_public_maps_zoom_buttons_speak_the_pages_language(page, site):
    page.goto(site + "/map/")
    page.locator("#public-map .leaflet-control-zoom-in").wait_for()
    assert page.locator("#public-map .leaflet-control-zoom-in").get_attribute("title") == "Zooma in"
    assert page.locator("[id=map-text]").count() == 1
