"""A citizen's whole errand in a real browser: report by tapping the map,
report by address only, be offered the case already reported nearby and
follow it, then open the tracking link and say the problem is not fixed.
Screenshots of each page at phone and desktop width go to
``.var/test-artifacts/screenshots``."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from geocases.cases.models import Case

SHOTS = Path(settings.BASE_DIR) / ".var" / "test-artifacts" / "screenshots"
PHONE, DESKTOP = {"width": 360, "height": 780}, {"width": 1280, "height": 900}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=SHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(PHONE)


def report_page(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site + "/")
    page.locator("#report-map .leaflet-overlay-pane path").first.wait_for()


def test_report_by_tapping_the_map_then_follow_and_reopen(page, site, city):
    report_page(page, site)
    shoot(page, "report")
    page.get_by_label("Vad gäller det?").select_option("snow")
    page.locator("#report-map").click(position={"x": 180, "y": 140})
    page.get_by_text("Platsen är markerad på kartan.").wait_for()
    page.get_by_label("Beskriv problemet").fill("Trottoaren är inte plogad")
    page.get_by_label("E-post").fill("anna@example.org")
    page.get_by_role("button", name="Skicka anmälan").click()

    page.get_by_text(re.compile(r"Tack! Ditt ärendenummer är \d{4}-\d{6}")).wait_for()
    shoot(page, "receipt")
    case = Case.objects.get()
    assert case.location is not None and case.responsible_unit.name == "Plogbolaget AB"
    assert page.get_by_text("Plogbolaget AB hanterar det.").is_visible()
    link = page.locator("a.tracking-link").get_attribute("href")

    Case.objects.filter(pk=case.pk).update(status="resolved", resolved_at=timezone.now())
    page.goto(link)
    page.get_by_label("Vad är fortfarande fel?").fill("Fortfarande halt")
    shoot(page, "track")
    page.get_by_role("button", name="Det är inte åtgärdat").click()
    page.get_by_text("Ärendet är öppnat igen").wait_for()
    assert Case.objects.get().status == "reopened"


def test_report_by_address_and_follow_the_case_already_reported(page, site, city):
    report_page(page, site)
    page.get_by_label("Vad gäller det?").select_option("snow")
    page.get_by_label("Adress eller plats").fill("Birger Jarlsgatan 23")
    page.get_by_role("button", name="Birger Jarlsgatan 23, Norrmalm").click()
    page.get_by_role("button", name="Skicka anmälan").click()
    page.get_by_text(re.compile("Tack! Ditt ärendenummer är")).wait_for()
    first = Case.objects.get()
    assert first.address == "Birger Jarlsgatan 23, Norrmalm"

    # A neighbour reports the same thing at the same address, by keyboard only.
    report_page(page, site)
    page.get_by_label("Vad gäller det?").select_option("snow")
    address = page.get_by_label("Adress eller plats")
    address.fill("Birger Jarlsgatan 23")
    page.get_by_role("button", name="Birger Jarlsgatan 23, Norrmalm").wait_for()
    address.press("Enter")  # takes the first suggestion; it does not send the form
    page.locator("#place-status", has_text="Birger Jarlsgatan 23, Norrmalm").wait_for()
    assert Case.objects.count() == 1
    assert page.evaluate("document.activeElement.name") == "address"  # the reader's place kept
    page.get_by_role("button", name="Skicka anmälan").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Redan anmält?").wait_for()
    shoot(page, "already-reported")
    page.get_by_role("button", name=f"Följ {first.number} i stället").click()
    page.get_by_text(f"Du följer nu ärende {first.number}.").wait_for()
    assert Case.objects.count() == 1


def test_the_tracking_look_up_page(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site + "/track/")
    shoot(page, "track-lookup")
    page.get_by_label("Ärendenummer").fill("123")
    page.get_by_role("button", name="Skicka en länk till mig").click()
    page.get_by_text("Skriv numret som på kvittot, t.ex. 2026-000123.", exact=True).wait_for()
    # The reader lands on the summary, which links to the field.
    assert page.evaluate("document.activeElement.id") == "form-errors"
    page.get_by_role("link", name="Ärendenummer").click()
    assert page.evaluate("document.activeElement.name") == "number"


def test_report_an_area_drawn_on_the_map(page, site, city):
    report_page(page, site)
    page.set_viewport_size(DESKTOP)
    page.get_by_label("Vad gäller det?").select_option("snow")
    page.get_by_role("button", name="Rita ett område i stället").click()
    box = page.locator("#report-map").bounding_box()
    corners = [(0.4, 0.4), (0.6, 0.4), (0.6, 0.6), (0.4, 0.6), (0.4, 0.4)]
    for x, y in corners:
        page.mouse.click(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.wait_for_timeout(150)
    page.get_by_text("Området är markerat på kartan.").wait_for()
    page.get_by_role("button", name="Skicka anmälan").click()
    page.get_by_text(re.compile("Tack! Ditt ärendenummer är")).wait_for()
    case = Case.objects.get()
    assert case.location.geom_type == "Polygon" and case.routing["rule"] == "area"


def test_an_area_is_finished_with_its_button_and_a_tap_moves_a_chosen_address_off(page, site, city):
    """On a phone Leaflet.draw often misses the tap on the first corner that
    closes an area: "Finish the area" closes it. While drawing, a tap is a
    corner, not a pin. A tap after an address was chosen takes that address
    away (it no longer says where)."""
    report_page(page, site)
    page.get_by_label("Vad gäller det?").select_option("snow")
    address = page.get_by_label("Adress eller plats")
    address.fill("Birger Jarlsgatan 23")
    page.get_by_role("button", name="Birger Jarlsgatan 23, Norrmalm").click()
    assert address.input_value() == "Birger Jarlsgatan 23, Norrmalm"
    page.locator("#report-map").click(position={"x": 60, "y": 60})
    assert address.input_value() == ""

    page.get_by_role("button", name="Rita ett område i stället").click()
    assert page.get_by_role("button", name="Avsluta området").is_visible()
    box = page.locator("#report-map").bounding_box()
    for x, y in [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7)]:
        page.mouse.click(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.wait_for_timeout(150)
    assert "markerad" not in page.locator("#place-status").inner_text()  # corners, not pins
    page.get_by_role("button", name="Avsluta området").click()
    page.get_by_text("Området är markerat på kartan.").wait_for()
    assert not page.get_by_role("button", name="Avsluta området").is_visible()
    page.get_by_role("button", name="Skicka anmälan").click()
    page.get_by_text(re.compile("Tack! Ditt ärendenummer är")).wait_for()
    assert Case.objects.get().location.geom_type == "Polygon"


def test_the_category_search_finds_by_keyword_and_enter_picks(page, site, city):
    city.keywords = "halka,plogning"
    city.save()
    report_page(page, site)
    search = page.get_by_label("Sök bland kategorierna")
    search.fill("plogning")
    # Said, not only shown: how many match and what Enter does.
    page.locator("#category-status", has_text="1 kategori passar").wait_for(state="attached")
    search.fill("zzzz")
    page.locator("#category-status", has_text="Ingen kategori passar").wait_for(state="attached")
    search.fill("plogning")
    search.press("Enter")
    assert page.get_by_label("Vad gäller det?").input_value() == city.code
    assert Case.objects.count() == 0


def test_sending_without_a_connection_keeps_the_report_on_the_page(page, site, city):
    report_page(page, site)
    page.get_by_label("Vad gäller det?").select_option("snow")
    page.locator("#report-map").click(position={"x": 180, "y": 140})
    page.get_by_label("Beskriv problemet").fill("Trottoaren är inte plogad")
    page.context.set_offline(True)
    page.get_by_role("button", name="Skicka anmälan").click()
    page.get_by_text("Ingen anslutning: inget skickades.").wait_for()
    assert page.get_by_label("Beskriv problemet").input_value() == "Trottoaren är inte plogad"
    page.context.set_offline(False)
    page.get_by_role("button", name="Skicka anmälan").click()
    page.get_by_text(re.compile("Tack! Ditt ärendenummer är")).wait_for()
    assert Case.objects.count() == 1


def test_changing_a_chosen_address_unmarks_its_place_and_sends_the_new_words(page, site, city):
    """A screen-reader user sees no pin: once the words of a chosen address
    are changed, its point is taken away (and said so), and the new words
    are what the report is placed by."""
    report_page(page, site)
    page.get_by_label("Vad gäller det?").select_option("snow")
    address = page.get_by_label("Adress eller plats")
    address.fill("Birger Jarlsgatan 23")
    page.locator("#place-status", has_text="hittades: tryck på pil ned").wait_for()
    page.get_by_role("button", name="Birger Jarlsgatan 23, Norrmalm").click()
    assert page.locator("input[name=lat]").input_value()
    address.fill("Kungsgatan 1")
    page.locator("#place-status", has_text="Platsen är inte längre markerad").wait_for()
    assert page.locator("input[name=lat]").input_value() == ""
    assert page.locator("#report-map .leaflet-marker-icon").count() == 0
    page.get_by_role("button", name="Skicka anmälan").click()
    page.get_by_text(re.compile("Tack! Ditt ärendenummer är")).wait_for()
    assert Case.objects.get().address.startswith("Kungsgatan 1")


def test_escape_while_drawing_leaves_the_map_to_mark_a_point_again(page, site, city):
    report_page(page, site)
    page.get_by_label("Vad gäller det?").select_option("snow")
    page.get_by_role("button", name="Rita ett område i stället").click()
    page.keyboard.press("Escape")  # Leaflet.draw stops drawing
    assert not page.get_by_role("button", name="Avsluta området").is_visible()
    page.locator("#report-map").click(position={"x": 120, "y": 120})
    page.get_by_text("Platsen är markerad på kartan.").wait_for()


def test_the_maps_controls_and_the_map_itself_are_named_in_the_pages_language(page, site, city):
    report_page(page, site)
    assert page.locator("#report-map .leaflet-control-zoom-in").get_attribute("title") == "Zooma in"
    assert page.get_by_role("button", name="Zooma ut").count() == 1
    assert page.locator("#report-map").get_attribute("aria-label") == (
        "Karta: tryck för att markera platsen"
    )
