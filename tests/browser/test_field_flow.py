"""A contractor on a phone (390 x 844): log in, acknowledge, give feedback
while offline (queued, sent once when back online), resolve; never see
another contractor's case; no WCAG 2.1 A/AA violations."""

import time

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import Error as BrowserError

from geocases.cases.models import Case
from tests.browser.test_accessibility import violations
from tests.browser.test_report_flow import shoot
from tests.factories import ContractorFactory, UserFactory, case_in_status

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def cases():
    ours, theirs = ContractorFactory(name="Plogbolaget AB"), ContractorFactory(name="Andra AB")
    UserFactory(username="plog", role="contractor", unit=ours)
    mine = case_in_status(
        "assigned", location=Point(18.06, 59.33, srid=4326), address="Kungsgatan 1"
    )
    other = case_in_status("assigned", location=Point(18.07, 59.33, srid=4326))
    Case.objects.filter(pk=mine.pk).update(responsible_unit=ours)
    Case.objects.filter(pk=other.pk).update(responsible_unit=theirs)
    return mine, other


def log_in(page, site, username="plog"):
    page.set_viewport_size(PHONE)
    page.goto(site + "/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("secret-password")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Mina ärenden").wait_for()


def test_a_contractor_works_a_case_partly_offline(page, site, cases):
    mine, other = cases
    log_in(page, site)
    page.get_by_role("link", name=mine.number).wait_for(timeout=10000)
    assert page.get_by_text(other.number).count() == 0
    assert violations(page) == []
    shoot(page, "field-list")

    page.get_by_role("link", name=mine.number).click()
    page.get_by_role("button", name="Kvittera").click()
    page.get_by_role("button", name="Skicka återkoppling").wait_for()
    assert Case.objects.get(pk=mine.pk).status == "acknowledged"
    page.evaluate("navigator.serviceWorker ? navigator.serviceWorker.ready : null")

    page.context.set_offline(True)
    page.get_by_label("Meddelande till invånaren").fill("Vi plogar i kväll")
    page.get_by_role("button", name="Skicka återkoppling").click()
    page.get_by_text("Ingen anslutning: sparat i telefonen").wait_for()
    assert Case.objects.get(pk=mine.pk).status == "acknowledged"

    page.context.set_offline(False)
    # Sent, and the card shown again as it is now.
    page.locator("dd.status", has_text="Återkoppling lämnad").wait_for(timeout=15000)
    case = Case.objects.get(pk=mine.pk)
    assert case.status == "feedback_given"
    assert case.events.filter(kind="status", new_value="feedback_given").count() == 1
    assert violations(page) == []
    shoot(page, "field-case")

    page.get_by_label("Vad som gjordes").fill("Plogat och sandat")
    page.get_by_role("button", name="Åtgärdat").click()
    page.get_by_label("Vad som gjordes").wait_for(state="detached")
    assert Case.objects.get(pk=mine.pk).status == "resolved"


def test_another_contractors_case_is_out_of_reach_on_page_and_api(page, site, cases):
    _mine, other = cases
    log_in(page, site)
    assert page.goto(site + f"/field/{other.number}/").status == 404
    assert page.goto(site + f"/api/v1/cases/{other.number}/").status == 404
    listed = page.goto(site + "/api/v1/cases/?page_size=100").json()
    assert other.number not in [feature["id"] for feature in listed["features"]]


def test_what_the_phone_kept_waits_for_a_log_in_and_a_refusal_stops_nothing(page, site, cases):
    """Queued offline: a resolution, then a note on the same case. Logged out
    meanwhile, both wait; logged in again, the resolution is done, and the
    note (its case has left the list) is refused and kept in view with what
    was written — neither blocking the queue nor lost unseen."""
    mine, _other = cases
    Case.objects.filter(pk=mine.pk).update(status="feedback_given")
    log_in(page, site)
    page.get_by_role("link", name=mine.number).click()
    page.get_by_role("button", name="Åtgärdat").wait_for()
    page.evaluate("navigator.serviceWorker ? navigator.serviceWorker.ready : null")

    page.context.set_offline(True)
    page.get_by_label("Vad som gjordes").fill("Plogat")
    page.get_by_role("button", name="Åtgärdat").click()
    page.get_by_text("Ingen anslutning: sparat i telefonen").wait_for()
    page.get_by_role("textbox", name="Anteckning").fill("Sandat också")
    page.get_by_role("button", name="Lägg till anteckningen").click()
    queued = "JSON.parse(localStorage.getItem('geocases-field-queue')).length"
    assert page.evaluate(queued) == 2

    session = page.context.cookies()
    page.context.clear_cookies()  # the session ended while the phone was offline
    page.context.set_offline(False)
    page.get_by_text("Logga in igen för att skicka").wait_for(timeout=15000)
    assert page.evaluate(queued) == 2
    assert Case.objects.get(pk=mine.pk).status == "feedback_given"

    page.context.add_cookies(session)  # logged in again
    page.context.set_offline(True)
    page.context.set_offline(False)
    page.get_by_role("heading", name="Mina ärenden").wait_for(timeout=15000)  # to the list
    refused = page.locator("#offline-refused li")
    refused.wait_for()
    assert "Ärendet finns inte längre bland din organisations öppna ärenden" in refused.inner_text()
    assert "Sandat också" in refused.inner_text()
    assert refused.get_by_role("link").count() == 0  # the case has left the list
    case = Case.objects.get(pk=mine.pk)
    assert case.status == "resolved"
    assert case.events.filter(kind="status", new_value="resolved").count() == 1
    assert not case.events.filter(kind="note").exists()
    assert page.evaluate(queued) == 0
    assert violations(page) == []
    shoot(page, "field-refused")

    refused.get_by_role("button", name="Ta bort").click()
    assert page.locator("#offline-refused").is_hidden()


def test_many_cases_close_together_are_counted_on_the_map_and_open_when_tapped(page, site, cases):
    ours = Case.objects.get(pk=cases[0].pk).responsible_unit
    for n in range(30):  # a street's worth of reports on a snowy morning
        case = case_in_status("assigned", location=Point(18.06 + n * 2e-5, 59.33, srid=4326))
        Case.objects.filter(pk=case.pk).update(responsible_unit=ours)
    far = case_in_status("assigned", location=Point(18.2, 59.4, srid=4326))
    Case.objects.filter(pk=far.pk).update(responsible_unit=ours)
    log_in(page, site)
    clusters = page.locator("#field-map .cluster")
    clusters.first.wait_for()
    counted = sum(int(n) for n in clusters.locator("span").all_inner_texts())
    singles = page.locator("#field-map path.leaflet-interactive").count()
    assert counted + singles == 32 and clusters.count() < 5
    shoot(page, "field-list-many")

    before = clusters.count() + singles
    clusters.first.dispatch_event("click")  # as a tap; it may lie under another
    page.wait_for_timeout(800)
    after = clusters.count() + page.locator("#field-map path.leaflet-interactive").count()
    assert after > before  # opened onto its cases


def kept_offline(page, url: str) -> str:
    """Open ``url`` as the phone would without a connection: what the
    service worker serves, or "" when it serves nothing."""
    page.context.set_offline(True)
    try:
        page.goto(url)
        return page.content()
    except BrowserError:
        return ""
    finally:
        page.context.set_offline(False)


KEPT = "url => caches.match(url, { ignoreVary: true }).then(Boolean)"


def controlled(page):
    """Wait until the field view's service worker looks after the page, and
    has kept it for reading offline."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _ in range(50):
        if page.evaluate("!!navigator.serviceWorker.controller"):
            break
        page.wait_for_timeout(200)
    page.reload()
    for _ in range(50):
        if page.evaluate(KEPT, page.url):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{page.url} was not kept for reading offline")


def test_after_log_out_no_case_is_served_offline_to_anyone(page, site, cases):
    mine, other = cases
    theirs = Case.objects.get(pk=other.pk).responsible_unit
    UserFactory(username="sand", role="contractor", unit=theirs)
    log_in(page, site)
    page.get_by_role("link", name=mine.number).click()
    controlled(page)
    url = site + f"/field/{mine.number}/"

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(site + "/")
    assert mine.number not in kept_offline(page, url)

    log_in(page, site, "sand")  # another contractor on the same phone
    controlled(page)
    assert page.evaluate(KEPT, url) is False
    assert mine.number not in kept_offline(page, url)
    assert mine.number not in kept_offline(page, site + "/field/")


def test_what_one_user_saved_is_neither_sent_nor_shown_under_another(page, site, cases):
    """A's note waits on the phone when A's session ends; B logs in on the
    same phone: the note is not sent as B's, not shown to B, and A's case is
    not served to B offline. A logs in again: it is sent."""
    mine, other = cases
    theirs = Case.objects.get(pk=other.pk).responsible_unit
    UserFactory(username="sand", role="contractor", unit=theirs)
    log_in(page, site)
    page.get_by_role("link", name=mine.number).click()
    controlled(page)
    page.context.set_offline(True)
    page.get_by_role("textbox", name="Anteckning").fill("Nyckeln ligger under mattan")
    page.get_by_role("button", name="Lägg till anteckningen").click()
    page.get_by_text("Ingen anslutning: sparat i telefonen").wait_for()
    page.context.clear_cookies()  # A's session ended, without logging out
    page.context.set_offline(False)
    page.get_by_text("Logga in igen för att skicka").wait_for(timeout=15000)

    log_in(page, site, "sand")
    controlled(page)
    page.wait_for_timeout(1500)  # time enough to send what it should not
    assert "Nyckeln ligger under mattan" not in page.content()
    assert page.locator("#offline-status").inner_text() == ""
    assert not mine.events.filter(kind="note").exists()
    assert mine.number not in kept_offline(page, site + f"/field/{mine.number}/")

    page.context.clear_cookies()
    log_in(page, site)  # A again: A's note goes now, once
    deadline = time.monotonic() + 15
    while not mine.events.filter(kind="note").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    note = mine.events.get(kind="note")
    assert note.text == "Nyckeln ligger under mattan" and note.actor.username == "plog"


def test_offline_a_saved_step_shows_as_waiting_and_the_next_steps_can_be_saved(page, site, cases):
    mine, _other = cases
    log_in(page, site)
    page.get_by_role("link", name=mine.number).click()
    controlled(page)
    page.context.set_offline(True)
    acknowledge = page.get_by_role("button", name="Kvittera")
    acknowledge.click()
    page.get_by_text("Ingen anslutning: sparat i telefonen").wait_for()
    assert acknowledge.is_disabled()
    assert page.locator("form:has(input[value=acknowledge]) .waiting").is_visible()
    # A second tap (forced past the disabled button) saves nothing more.
    page.locator("form:has(input[value=acknowledge])").evaluate("form => form.requestSubmit()")
    queued = "JSON.parse(localStorage.getItem('geocases-field-queue')).length"
    assert page.evaluate(queued) == 1

    page.get_by_label("Meddelande till invånaren").fill("Vi plogar i kväll")
    page.get_by_role("button", name="Skicka återkoppling").click()
    page.get_by_label("Vad som gjordes").fill("Plogat")
    page.get_by_role("button", name="Åtgärdat").click()
    assert page.evaluate(queued) == 3
    assert Case.objects.get(pk=mine.pk).status == "assigned"

    page.context.set_offline(False)
    # All three sent in order; resolved, the case has left: to the list.
    page.get_by_role("heading", name="Mina ärenden").wait_for(timeout=15000)
    case = Case.objects.get(pk=mine.pk)
    assert (case.status, case.resolution) == ("resolved", "Plogat")
    for status in ("acknowledged", "feedback_given", "resolved"):
        assert case.events.filter(kind="status", new_value=status).count() == 1
    assert page.locator("#offline-refused").is_hidden()


def test_nearest_first_says_why_it_cannot_and_is_kept_after_opening_a_case(page, site, cases):
    mine, _other = cases
    near = case_in_status("assigned", location=Point(18.0705, 59.3301, srid=4326))
    Case.objects.filter(pk=near.pk).update(
        responsible_unit=Case.objects.get(pk=mine.pk).responsible_unit
    )
    log_in(page, site)
    rows = page.locator("#field-list li strong")
    assert rows.all_inner_texts() == [mine.number, near.number]  # by deadline

    page.get_by_role("button", name="Närmast först").click()  # location not allowed
    page.wait_for_function("document.getElementById('sort-status').textContent.length > 20")
    assert rows.all_inner_texts() == [mine.number, near.number]

    page.context.grant_permissions(["geolocation"], origin=site)
    page.context.set_geolocation({"latitude": 59.3301, "longitude": 18.071})
    page.get_by_role("button", name="Närmast först").click()
    page.wait_for_function("document.getElementById('sort-status').textContent.endsWith('✓')")
    assert rows.all_inner_texts() == [near.number, mine.number]

    page.get_by_role("link", name=near.number).click()
    page.get_by_role("link", name="Mina ärenden").click()
    page.wait_for_function("document.getElementById('sort-status').textContent.endsWith('✓')")
    assert rows.all_inner_texts() == [near.number, mine.number]
    assert page.locator("#field-list .distance").first.inner_text().endswith(" m")

    page.locator("#sort-deadline").click()
    assert rows.all_inner_texts() == [mine.number, near.number]


def box(locator) -> tuple[float, float]:
    found = locator.bounding_box()
    return found["width"], found["height"]


def test_field_tap_targets_take_a_gloved_finger(page, site, cases):
    mine, _other = cases
    log_in(page, site)
    page.set_viewport_size({"width": 360, "height": 640})
    marker = page.locator("#field-map path.leaflet-interactive").first
    marker.wait_for()
    middle = page.evaluate(
        "el => { const r = el.getBoundingClientRect(); "
        "return [r.x + r.width / 2, r.y + r.height / 2]; }",
        marker.element_handle(),
    )
    # 21 px from the middle is still the marker: a 44-pixel target.
    hit = "([x, y]) => document.elementFromPoint(x, y).classList.contains('case-marker')"
    assert page.evaluate(hit, [middle[0] + 21, middle[1]])
    assert page.evaluate(hit, [middle[0], middle[1] - 21])
    for zoom in page.locator("#field-map .leaflet-bar a").all():
        assert min(box(zoom)) >= 44
    marker.dispatch_event("click")
    assert box(page.locator("#field-map .leaflet-popup-content a"))[1] >= 44

    page.goto(site + f"/field/{mine.number}/")
    for target in (
        page.get_by_role("link", name="Mina ärenden"),
        page.locator("a.maps"),
        page.locator("label[for=id_note_public]"),
        page.locator("label[for=id_note_photo_public]"),
    ):
        assert min(box(target)) >= 44, target


def test_counts_on_the_map_never_overlap_one_another(page, site, cases):
    ours = Case.objects.get(pk=cases[0].pk).responsible_unit
    for n in range(60):  # reports all over a part of town: counts side by side
        where = Point(18.0 + (n % 10) * 0.01, 59.30 + (n // 10) * 0.01, srid=4326)
        case = case_in_status("assigned", location=where)
        Case.objects.filter(pk=case.pk).update(responsible_unit=ours)
    log_in(page, site)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#field-map .cluster").first.wait_for()
    page.wait_for_timeout(800)  # the map settles (a count drawn again after its zoom)
    boxes = page.evaluate(
        "Array.from(document.querySelectorAll('#field-map .cluster'), c => {"
        " const r = c.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; })"
    )
    assert len(boxes) > 2
    for i, a in enumerate(boxes):
        assert a["width"] >= 44 and a["height"] >= 44
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"]
                or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"]
                or b["y"] + b["height"] <= a["y"]
            )
            assert apart, (a, b)
