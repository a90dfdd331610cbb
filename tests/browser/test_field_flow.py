"""A contractor on a phone (390 x 844): log in, acknowledge, give feedback
while offline (queued, sent once when back online), resolve; never see
another contractor's case; no WCAG 2.1 A/AA violations."""

import pytest
from django.contrib.gis.geos import Point

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


def log_in(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site + "/login/")
    page.get_by_label("Användarnamn").fill("plog")
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
    page.get_by_role("button", name="Åtgärdat").wait_for(timeout=15000)  # sent, page reloaded
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
