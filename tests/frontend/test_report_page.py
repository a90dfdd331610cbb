"""/ : the report form, without JavaScript (the server does the work)."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from geocases.cases.models import Case
from geocases.geocoding.services import addresses_load
from geocases.tracking.models import TrackingLink
from tests.cases.test_case_attachment_add import jpeg_with_gps
from tests.factories import (
    CategoryFactory,
    ContractorFactory,
    DistrictFactory,
    ServiceAreaFactory,
    UserFactory,
    case_in_status,
    square,
)
from tests.notifications.helpers import outbox_deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def snow():
    category = CategoryFactory(code="snow", name_sv="Snö och is", place_kind="any")
    ServiceAreaFactory(
        unit=ContractorFactory(name="Plogbolaget AB"),
        categories=[category],
        geometry=square(18.0, 59.3, 0.1),
    )
    return category


def test_the_page_is_swedish_with_grouped_categories_and_local_assets(client, snow):
    page = client.get("/").content.decode()
    assert '<html lang="sv">' in page and "Felanmälan i staden" in page
    assert f'<optgroup label="{snow.group.name}">' in page and "Snö och is" in page
    assert "/static/leaflet/leaflet.js" in page and "frontend/js/report.js" in page
    assert "https://" not in page.split("<footer")[0]
    assert "Så hanterar vi dina uppgifter" in page  # the privacy notice


def test_a_report_by_map_point_goes_to_the_contractor_and_shows_the_receipt(
    client, snow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/",
            {
                "category": "snow",
                "lat": "59.35",
                "lon": "18.05",
                "description": "Inte plogat",
                "email": "anna@example.org",
            },
        )
    assert response.status_code == 302 and "/track/" in response["Location"]
    case = Case.objects.get()
    assert (case.channel, case.reporter_email) == ("web", "anna@example.org")
    assert case.responsible_unit.name == "Plogbolaget AB"
    receipt = client.get(response["Location"]).content.decode()
    assert case.number in receipt and "Plogbolaget AB" in receipt
    assert outbox_deliver() >= 1  # the receipt waited in the outbox
    assert len(mail.outbox) == 1 and case.number in mail.outbox[0].body
    assert "/track/" in mail.outbox[0].body


def test_the_same_report_sent_twice_makes_one_case_and_one_receipt(
    client, snow, django_capture_on_commit_callbacks
):
    page = client.get("/").content.decode()
    key = page.split('name="submission" value="')[1].split('"')[0]
    assert len(key) == 32 and key not in client.get("/").content.decode()  # one per form shown
    report = {
        "category": "snow",
        "lat": "59.35",
        "lon": "18.05",
        "description": "Inte plogat",
        "email": "anna@example.org",
        "submission": key,
    }
    photo = jpeg_with_gps()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/", {**report, "photos": SimpleUploadedFile("a.jpg", photo)})
        # Not "reported nearby already?" (its own case is nearby now): its receipt.
        again = client.post("/", {**report, "photos": SimpleUploadedFile("a.jpg", photo)})
    case = Case.objects.get()  # a double tap, or a resend after a lost answer
    assert case.attachments.count() == 1
    assert first["Location"] != again["Location"]  # a link each, to the one case
    assert case.number in client.get(again["Location"]).content.decode()
    assert outbox_deliver() >= 1 and len(mail.outbox) == 1

    # Back, changed and sent: a report of its own (after the nearby one is offered).
    changed = {**report, "description": "Också halt"}
    assert case.number in client.post("/", changed).content.decode()
    anyway = client.post("/", {**changed, "duplicates_seen": "on"})
    assert anyway.status_code == 302 and Case.objects.count() == 2
    # ... and that one sent twice is still one.
    assert client.post("/", {**changed, "duplicates_seen": "on"}).status_code == 302
    assert Case.objects.count() == 2


def test_a_form_with_a_key_that_is_not_one_still_reports(client, snow):
    report = {"category": "snow", "lat": "59.35", "lon": "18.05", "submission": "x"}
    assert client.post("/", report).status_code == 302
    assert Case.objects.count() == 1


def test_a_report_by_address_only(client, snow):
    DistrictFactory(
        name="Norrmalm",
        geometry=MultiPolygon(Polygon.from_bbox((18.03, 59.33, 18.09, 59.345)), srid=4326),
    )
    addresses_load(
        path=settings.BASE_DIR / "fixtures/stockholm/stockholm_central_addresses_osm.csv"
    )
    response = client.post("/", {"category": "snow", "address": "Birger Jarlsgatan 23"})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.address == "Birger Jarlsgatan 23, Norrmalm"
    assert case.location.distance(Point(18.0712, 59.3366, srid=4326)) < 0.001


def test_a_house_number_not_in_the_register_offers_the_street_to_choose(client, snow):
    addresses_load(
        path=settings.BASE_DIR / "fixtures/stockholm/stockholm_central_addresses_osm.csv"
    )
    from geocases.geocoding.services import streets_load

    streets_load(path=settings.BASE_DIR / "fixtures/stockholm/stockholm_central_streets_osm.csv")
    page = client.post("/", {"category": "snow", "address": "Birger Jarlsgatan 9999"})
    text = page.content.decode()
    assert page.status_code == 200 and "Flera platser passar: välj en." in text
    choice = text.split('name="place_choice" value="')[1].split('"')[0]
    assert choice.startswith("59.") and choice.endswith("|Birger Jarlsgatan")  # not "59,34…"
    assert not Case.objects.exists()
    # Chosen (without JavaScript, the Swedish page): the report is made there.
    response = client.post("/", {"category": "snow", "address": "", "place_choice": choice})
    assert response.status_code == 302
    assert Case.objects.get().address == "Birger Jarlsgatan"


def test_an_address_that_cannot_be_found_is_said_next_to_the_field(client, snow):
    page = client.post("/", {"category": "snow", "address": "Ingenstansgatan 99"}).content.decode()
    assert "Ingenstansgatan 99" in page and 'class="errorlist' in page
    assert not Case.objects.exists()


def test_already_reported_cases_nearby_are_offered_first(client, snow):
    earlier = case_in_status("assigned", category=snow, location=Point(18.05, 59.35, srid=4326))
    page = client.post("/", {"category": "snow", "lat": "59.3502", "lon": "18.0501"}).content
    assert earlier.number in page.decode() and Case.objects.count() == 1
    assert re.search(r"\(2\d m bort;", page.decode())  # how far: is it the same problem?
    # Sending again, having seen them, files the report.
    response = client.post(
        "/", {"category": "snow", "lat": "59.3502", "lon": "18.0501", "duplicates_seen": "on"}
    )
    assert response.status_code == 302 and Case.objects.count() == 2


def test_reports_nearby_about_a_home_show_neither_address_nor_distance(client, snow):
    snow.concerns_home = True
    snow.save()
    earlier = case_in_status(
        "assigned", category=snow, location=Point(18.05, 59.35, srid=4326), address="Storgatan 5"
    )
    page = client.post("/", {"category": "snow", "lat": "59.3502", "lon": "18.0501"}).content
    assert earlier.number in page.decode()
    assert "Storgatan 5" not in page.decode() and " m bort" not in page.decode()


def test_following_an_existing_case_instead(client, snow):
    earlier = case_in_status("assigned", category=snow, location=Point(18.05, 59.35, srid=4326))
    response = client.post(f"/follow/{earlier.number}/")
    assert response.status_code == 302
    assert TrackingLink.objects.filter(case=earlier).count() == 1
    assert earlier.number in client.get(response["Location"]).content.decode()


def test_following_with_an_e_mail_address_tells_of_each_change_once_confirmed(client, snow):
    from geocases.cases.services import case_transition
    from geocases.notifications.models import Notification
    from tests.factories import staff_actor

    earlier = case_in_status(
        "assigned",
        category=snow,
        location=Point(18.05, 59.35, srid=4326),
        reporter_email="anna@example.org",
    )
    report = {"category": "snow", "lat": "59.3502", "lon": "18.0501", "email": "bo@example.org"}
    page = client.post("/", report).content.decode()
    assert 'name="email" value="bo@example.org"' in page  # carried by "follow … instead"
    assert "mejlar vi dig när dess status ändras" in page
    response = client.post(f"/follow/{earlier.number}/", {"email": "bo@example.org"})
    tracking = client.get(response["Location"]).content.decode()
    assert "bekräfta där" in tracking
    assert "Ja, mejla mig" not in tracking  # whoever typed the address need not own it
    client.post(f"/follow/{earlier.number}/", {"email": "BO@example.org"})  # once is enough
    assert earlier.followers.get().email == "bo@example.org"

    def to_bo():
        return Notification.objects.filter(recipients=["bo@example.org"]).order_by("pk")

    (asked,) = to_bo()
    assert earlier.number in asked.subject

    contractor = staff_actor("contractor", earlier.responsible_unit)
    case_transition(case=earlier, actor=contractor, to="acknowledged")
    assert to_bo().count() == 1  # not confirmed: nothing about the case
    mailed = asked.body_text.split("http://127.0.0.1:8000")[1].split()[0]
    assert "Ja, mejla mig" in client.get(mailed).content.decode()
    client.post(mailed, {"action": "confirm"})
    assert earlier.followers.get().confirmed_at is not None

    case_transition(case=earlier, actor=contractor, to="feedback_given", message="Hej Anna!")
    case_transition(case=earlier, actor=contractor, to="resolved", resolution="Plogat, Anna")
    told = to_bo().exclude(pk=asked.pk)
    assert [mail.subject.split(": ")[1] for mail in told] == ["Återkoppling lämnad", "Åtgärdat"]
    assert all("Anna" not in mail.body_text for mail in told)  # no words written to her
    assert Case.objects.count() == 1  # following is not reporting

    # The link in the mail: what became of the case, not what staff wrote to
    # the reporter, and no reopening someone else's case; it stops the mails.
    link = told.last().body_text.split("http://127.0.0.1:8000")[1].split()[0]
    page = client.get(link).content.decode()
    assert "Status: Åtgärdat" in page and "Anna" not in page
    assert "Inte åtgärdat?" not in page
    assert client.post(link, {"reason": "Jag vill öppna"}).status_code == 302
    assert Case.objects.get(pk=earlier.pk).status == "resolved"
    client.post(link, {"action": "unfollow"})
    assert not earlier.followers.exists()
    case_transition(case=earlier, actor=staff_actor("agent"), to="closed")
    assert to_bo().count() == 3  # nothing since


def test_following_without_an_address_or_with_a_bad_one_only_gives_the_link(client, snow):
    earlier = case_in_status("assigned", category=snow, location=Point(18.05, 59.35, srid=4326))
    for given in ({}, {"email": "not an address"}):
        response = client.post(f"/follow/{earlier.number}/", given)
        assert response.status_code == 302 and "following=1" in response["Location"]
    assert not earlier.followers.exists()


def test_photos_are_kept_without_position_and_a_bad_photo_writes_nothing(client, snow):
    good = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    bad = SimpleUploadedFile("b.jpg", b"not a photo", content_type="image/jpeg")
    page = client.post(
        "/", {"category": "snow", "lat": "59.35", "lon": "18.05", "photos": [good, bad]}
    ).content.decode()
    assert "b.jpg" in page and not Case.objects.exists()
    good.seek(0)
    response = client.post(
        "/", {"category": "snow", "lat": "59.35", "lon": "18.05", "photos": [good]}
    )
    assert response.status_code == 302 and Case.objects.get().attachments.count() == 1


def test_required_extra_fields_and_missing_place_are_said_in_words(client):
    category = CategoryFactory(code="bins", place_kind="point")
    category.fields.create(
        code="count", label_sv="Antal", label_en="Count", datatype="number", required=True, order=1
    )
    page = client.post("/", {"category": "bins"}).content.decode()
    assert "Markera platsen på kartan eller skriv en adress." in page
    page = client.post("/", {"category": "bins", "lat": "59.3", "lon": "18.0"}).content.decode()
    assert "”Antal” måste fyllas i." in page and 'aria-invalid="true"' in page
    # The summary names the question and leads to it.
    assert '<a href="#extra-bins-count">Om ”' in page
    assert not Case.objects.exists()


def test_a_category_without_place_needs_none(client):
    CategoryFactory(code="invoice", place_kind="none")
    response = client.post("/", {"category": "invoice", "description": "Fel belopp"})
    assert response.status_code == 302
    assert Case.objects.get().location is None


def test_a_question_without_a_place_needs_its_words(client):
    CategoryFactory(code="question", place_kind="none")
    page = client.post("/", {"category": "question", "description": "  "}).content.decode()
    assert "Skriv din fråga eller vad den gäller." in page
    assert not Case.objects.exists()


def test_a_place_outside_the_city_is_refused_in_words(client, snow):
    DistrictFactory(
        name="Norrmalm",
        geometry=MultiPolygon(Polygon.from_bbox((18.0, 59.3, 18.1, 59.4)), srid=4326),
    )
    gothenburg = {"category": "snow", "lat": "57.7089", "lon": "11.9746", "description": "Halt"}
    page = client.post("/", gothenburg).content.decode()
    assert "Platsen ligger utanför staden" in page and 'class="errorlist' in page
    assert not Case.objects.exists()
    inside = {**gothenburg, "lat": "59.35", "lon": "18.05"}
    assert client.post("/", inside).status_code == 302 and Case.objects.count() == 1


def _field_value(page: str, name: str) -> str:
    return page.split(f'name="{name}" value="')[1].split('"')[0]


def test_photos_chosen_are_kept_while_reports_nearby_are_shown(client, snow):
    earlier = case_in_status("assigned", category=snow, location=Point(18.05, 59.35, srid=4326))
    key = _field_value(client.get("/").content.decode(), "submission")
    report = {"category": "snow", "lat": "59.3502", "lon": "18.0501", "submission": key}
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    page = client.post("/", {**report, "photos": photo}).content.decode()
    assert earlier.number in page
    assert "Ditt foto sparas i 15 minuter och skickas med anmälan." in page
    # The browser sends the page's fields again, without the file.
    held = _field_value(page, "photos_held")
    response = client.post("/", {**report, "duplicates_seen": "on", "photos_held": held})
    assert response.status_code == 302
    assert Case.objects.exclude(pk=earlier.pk).get().attachments.count() == 1


def test_the_place_chosen_from_the_list_is_kept_past_reports_nearby(client, snow):
    earlier = case_in_status("assigned", category=snow, location=Point(18.05, 59.35, srid=4326))
    page = client.post(
        "/",
        {
            "submission": _field_value(client.get("/").content.decode(), "submission"),
            "category": "snow",
            "address": "vägen",
            "place_choice": "59.3502|18.0501|Sveavägen 1, Norrmalm",
        },
    ).content.decode()
    assert earlier.number in page
    again = {
        name: _field_value(page, name)
        for name in ("address", "lat", "lon", "duplicates_seen", "submission")
    }
    assert again["address"] == "Sveavägen 1, Norrmalm"
    assert client.post("/", {"category": "snow", **again}).status_code == 302
    assert Case.objects.exclude(pk=earlier.pk).get().address == "Sveavägen 1, Norrmalm"


@pytest.fixture
def register():
    addresses_load(
        path=settings.BASE_DIR / "fixtures/stockholm/stockholm_central_addresses_osm.csv"
    )


def test_an_address_changed_after_one_was_chosen_is_looked_up_not_the_old_point(
    client, snow, register
):
    """The point of a suggestion chosen stands for its words: changed words
    (a screen-reader user sees no pin) are looked up, not sent as the old place."""
    chosen = {"category": "snow", "lat": "59.3366", "lon": "18.0712"}
    response = client.post(
        "/", {**chosen, "placed_for": "Birger Jarlsgatan 23", "address": "Sveavägen 68"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.address.startswith("Sveavägen 68")
    assert case.location.distance(Point(18.0712, 59.3366, srid=4326)) > 0.003
    # A point of its own (a tap, a position) stays with whatever words are beside it.
    tap = {**chosen, "placed_for": "", "address": "vid busshållplatsen", "duplicates_seen": "on"}
    response = client.post("/", tap)
    assert response.status_code == 302
    tapped = Case.objects.latest("created_at")
    assert tapped.location.distance(Point(18.0712, 59.3366, srid=4326)) < 0.0001


def test_the_places_to_choose_from_are_named_and_the_summary_links_to_them(client, snow, register):
    from geocases.geocoding.services import streets_load

    streets_load(path=settings.BASE_DIR / "fixtures/stockholm/stockholm_central_streets_osm.csv")
    page = client.post("/", {"category": "snow", "address": "Birger Jarlsgatan 9999"})
    text = page.content.decode()
    assert '<a href="#id_place_choice">Välj plats</a>' in text
    assert 'id="id_place_choice" tabindex="-1"' in text  # where the link lands


def test_an_address_that_cannot_be_found_may_be_sent_in_words(client, snow):
    """Without the map: customer service places it from the words."""
    assert 'name="place_in_words"' not in client.get("/").content.decode()
    page = client.post("/", {"category": "snow", "address": "Ingenstansgatan 99"})
    text = page.content.decode()
    assert page.status_code == 200 and 'name="place_in_words"' in text
    assert "skicka anmälan med platsen som du skrev den" in text
    assert not Case.objects.exists()
    response = client.post(
        "/", {"category": "snow", "address": "Ingenstansgatan 99", "place_in_words": "on"}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.address, case.location) == ("Ingenstansgatan 99", None)


def test_photos_kept_too_long_are_said_to_be_gone_not_silently_dropped(client, snow):
    from django.core.cache import cache

    earlier = case_in_status("assigned", category=snow, location=Point(18.05, 59.35, srid=4326))
    key = _field_value(client.get("/").content.decode(), "submission")
    report = {"category": "snow", "lat": "59.3502", "lon": "18.0501", "submission": key}
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    page = client.post("/", {**report, "photos": photo}).content.decode()
    assert _field_value(page, "photos_held") == "1"
    cache.delete(f"report-photos:{key}")  # a quarter of an hour later
    again = client.post("/", {**report, "duplicates_seen": "on", "photos_held": "1"})
    text = again.content.decode()
    assert again.status_code == 200 and "finns inte längre kvar: välj dem igen" in text
    assert 'aria-invalid="true"' in text.split('id="photos"')[1].split(">")[0]
    assert not Case.objects.exclude(pk=earlier.pk).exists()
    # Sent again as the page now is (it keeps no photos): without them.
    response = client.post(
        "/", {**report, "duplicates_seen": "on", "photos_held": _field_value(text, "photos_held")}
    )
    assert response.status_code == 302
    assert Case.objects.exclude(pk=earlier.pk).get().attachments.count() == 0


def test_only_reports_sent_count_against_the_limit_and_a_refusal_keeps_the_report(
    client, snow, settings
):
    import random

    settings.GEOCASES_RATE_LIMITS = {"report": "2/d", "lookup": "600/m"}
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"  # noqa: S311
    incomplete = {"category": "snow", "description": "Halt"}  # no place
    for _ in range(3):
        assert client.post("/", incomplete, REMOTE_ADDR=address).status_code == 200
    whole = {
        **incomplete,
        **{"lat": "59.35", "lon": "18.05", "email": "anna@example.org", "duplicates_seen": "on"},
    }
    for _ in range(2):
        assert client.post("/", whole, REMOTE_ADDR=address).status_code == 302
    refused = client.post("/", {**whole, "description": "Mycket halt"}, REMOTE_ADDR=address)
    text = refused.content.decode()
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 86400
    assert "Din anmälan finns kvar här" in text and "Mycket halt" in text
    assert 'value="anna@example.org"' in text
    assert Case.objects.count() == 2


def test_the_citizens_own_details_may_be_filled_in_by_the_browser(client, snow, django_user_model):
    page = client.get("/").content.decode()
    assert re.search(r'<input type="email" name="email"[^>]*autocomplete="email"', page)
    assert re.search(r'<input type="tel" name="phone"[^>]*autocomplete="tel"', page)
    assert re.search(r'<input type="text" name="name"[^>]*autocomplete="name"', page)
    # The call console's are the caller's, not the agent's own.
    client.force_login(UserFactory(role="agent"))
    desk = client.get("/desk/").content.decode()
    assert 'autocomplete="name"' not in desk and 'autocomplete="email"' not in desk


def test_the_map_tools_speak_swedish_too(client, snow):
    """django-leaflet's drawing tools have no Swedish of their own: ours."""
    page = client.get("/").content.decode()
    assert (
        json.dumps("Klicka där områdets första hörn ska vara.") in page
    )  # as json_script writes it
    assert "Click to start drawing shape." not in page


def test_photos_chosen_with_a_refused_form_are_kept_for_the_next_sending(client, snow):
    """Errors may come back a round at a time; the photos are not to be
    chosen again each round (a browser does not send files twice)."""
    key = _field_value(client.get("/").content.decode(), "submission")
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    page = client.post(
        "/", {"category": "snow", "submission": key, "email": "inte-en-adress", "photos": photo}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "Ditt foto sparas i 15 minuter" in text
    assert "<title>Fel: Anmäl ett problem" in text  # the step, first thing read
    again = client.post("/", {"category": "snow", "submission": key, "photos_held": "1"})
    text = again.content.decode()  # the place is still missing: kept again
    assert _field_value(text, "photos_held") == "1"
    response = client.post(
        "/",
        {"category": "snow", "submission": key, "photos_held": "1", "lat": "59.35", "lon": "18.05"},
    )
    assert response.status_code == 302
    assert Case.objects.get().attachments.count() == 1


def test_the_case_number_is_not_broken_at_its_hyphen(client, snow):
    response = client.post("/", {"category": "snow", "lat": "59.35", "lon": "18.05"})
    page = client.get(response["Location"]).content.decode()
    number = Case.objects.get().number
    assert f'<span class="case-number">{number}</span>' in page
