"""GET /open311/v2/requests.{json,xml}: public cases as GeoReport v2 requests."""

import datetime as dt
import io

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.utils import timezone

from geocases.cases.actors import CITIZEN
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case
from geocases.cases.services import case_attachment_add, case_note_add, case_transition
from geocases.categories.models import PlaceKind
from tests.cases.test_case_attachment_add import jpeg_with_gps
from tests.factories import CategoryFactory, OrganisationUnitFactory, staff_actor
from tests.open311.factories import (
    REQUEST_FIELDS,
    SODERMALM,
    case_dated,
    element_dict,
    records,
    reported_case,
)

pytestmark = pytest.mark.django_db

FORMATS = ["json", "xml"]


def get_requests(client, fmt="json", **query):
    response = client.get(f"/open311/v2/requests.{fmt}", query)
    assert response.status_code == 200, response.content
    return records(response, fmt, root="service_requests", item="request")


def numbers(found):
    return [r["service_request_id"] for r in found]


def days_ago(days):
    return timezone.now() - dt.timedelta(days=days)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_request_has_the_spec_fields_in_order(client, pothole, fmt):
    case = reported_case(pothole, description="Djupt hål", address="Götgatan 1")

    [found] = get_requests(client, fmt)

    assert list(found) == REQUEST_FIELDS
    assert found["service_request_id"] == case.number
    assert found["status"] == "open"
    assert found["service_code"] == "pothole"
    assert found["service_name"] == "Pothole"  # the language asked for (Accept-Language)
    assert found["description"] in (None, "")  # free text is not published
    assert found["agency_responsible"] == "Trafikkontoret"
    assert "Trafikkontoret handles this request" in found["service_notice"]
    assert found["address"] == "Götgatan 1"
    assert found["requested_datetime"] == timezone.localtime(case.created_at).isoformat(
        timespec="seconds"
    )
    assert found["expected_datetime"] == timezone.localtime(case.resolve_by).isoformat(
        timespec="seconds"
    )
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        parsed = dt.datetime.fromisoformat(found[name])
        assert parsed.utcoffset() is not None, f"{name} carries its offset"
    if fmt == "json":
        assert (found["lat"], found["long"]) == (59.315, 18.07)
        assert found["address_id"] is None and found["zipcode"] is None
        assert found["status_notes"] == f"The case is now “{Status.NEW.label}”."
        assert found["media_url"] is None
    else:
        assert (found["lat"], found["long"]) == ("59.315", "18.07")
        assert found["address_id"] is None and found["zipcode"] is None  # empty elements


@pytest.mark.parametrize(
    ("status", "open311"),
    [
        ("new", "open"),
        ("assigned", "open"),
        ("acknowledged", "open"),
        ("feedback_given", "open"),
        ("parked", "open"),
        ("reopened", "open"),
        ("resolved", "closed"),
        ("closed", "closed"),
    ],
)
def test_status_is_open_or_closed_from_the_lifecycle(client, pothole, status, open311):
    case = reported_case(pothole)
    Case.objects.filter(pk=case.pk).update(
        status=status, parked_until=dt.date(2099, 1, 1) if status == "parked" else None
    )

    [found] = get_requests(client)

    assert found["status"] == open311
    assert (found["service_notice"] is None) == (open311 == "closed")


def test_a_merged_duplicate_is_closed_with_its_reason_as_status_notes(client, pothole):
    from geocases.cases.services import case_merge

    original, duplicate = reported_case(pothole), reported_case(pothole)
    agent = staff_actor("agent")
    case_transition(
        case=duplicate, actor=agent, to=Status.ASSIGNED, responsible_unit=agent.user.unit
    )
    case_merge(duplicate=duplicate, into=original, actor=agent)

    found = {r["service_request_id"]: r for r in get_requests(client)}

    assert found[duplicate.number]["status"] == "closed"
    assert found[duplicate.number]["status_notes"] == f"Duplicate of {original.number}."


def test_status_notes_names_the_status_never_words_staff_wrote(client, pothole):
    case = reported_case(pothole)
    agent = staff_actor("agent")
    case_note_add(case=case, actor=agent, text="Vi tittar på det i morgon, Rita.", public=True)
    case_note_add(case=case, actor=agent, text="Internt: ring entreprenören", public=False)

    [found] = get_requests(client, locale="en")

    assert found["status_notes"] == f"The case is now “{Status.NEW.label}”."


def test_only_public_categories_are_listed(client, pothole):
    private = CategoryFactory(code="home-care", is_public=False, place_kind=PlaceKind.NONE)
    reported_case(private, location=None)
    public = reported_case(pothole)

    assert numbers(get_requests(client)) == [public.number]


def test_a_polygon_case_gives_a_point_inside_it(client, pothole):
    ring = (
        (18.0, 59.3),
        (18.01, 59.3),
        (18.01, 59.31),
        (18.005, 59.301),
        (18.0, 59.31),
        (18.0, 59.3),
    )
    area = Polygon(ring, srid=4326)
    reported_case(pothole, location=area)

    [found] = get_requests(client)

    assert area.contains(Point(found["long"], found["lat"], srid=4326))


def test_a_case_without_a_place_has_no_coordinates(client, pothole):
    reported_case(pothole, location=None, address="Götgatan 1")

    [found] = get_requests(client)

    assert (found["lat"], found["long"]) == (None, None)


def test_places_that_may_concern_a_home_are_coarse_and_without_address(client):
    bins = CategoryFactory(code="waste-bins", concerns_home=True)
    reported_case(bins, location=Point(18.071234, 59.315678, srid=4326), address="Hemgatan 3")

    [found] = get_requests(client)

    assert (found["lat"], found["long"]) == (59.316, 18.071)
    assert found["address"] == ""


def test_media_url_is_the_submitted_link_or_a_public_photo(client, pothole, settings, tmp_path):
    from geocases.open311.models import Submission
    from tests.open311.factories import api_key_issued

    settings.MEDIA_ROOT = tmp_path
    linked, photographed, bare = (
        reported_case(pothole),
        reported_case(pothole),
        reported_case(pothole),
    )
    Submission.objects.create(
        case=linked,
        api_key=api_key_issued()[0],
        token="t1",
        media_url="https://photos.example.org/1.jpg",
        created_at=timezone.now(),
    )
    case_attachment_add(case=photographed, actor=CITIZEN, upload=io.BytesIO(jpeg_with_gps()))

    found = {r["service_request_id"]: r for r in get_requests(client)}

    assert found[linked.number]["media_url"] == "https://photos.example.org/1.jpg"
    assert found[photographed.number]["media_url"].startswith("http://testserver/media/cases/")
    assert found[bare.number]["media_url"] is None


def test_no_photo_of_a_case_about_a_home_and_no_citizens_photo_is_published(
    client, pothole, settings, tmp_path
):
    from geocases.tracking.reporting import citizen_report_submit, photos_read
    from tests.factories import CategoryFactory

    settings.MEDIA_ROOT = tmp_path
    bins = CategoryFactory(code="bins", concerns_home=True, place_kind="point")
    home = reported_case(bins)
    case_attachment_add(case=home, actor=CITIZEN, upload=io.BytesIO(jpeg_with_gps()))  # public
    receipt = citizen_report_submit(  # the web form's report with its photo
        category=pothole,
        location=home.location,
        extra={"size": "small"},
        photos=photos_read([io.BytesIO(jpeg_with_gps())]),
    )

    found = {r["service_request_id"]: r for r in get_requests(client)}

    assert found[home.number]["media_url"] is None
    assert found[receipt.case.number]["media_url"] is None
    assert receipt.case.attachments.count() == 1  # kept, for staff


@pytest.mark.parametrize("fmt", FORMATS)
def test_extensions_add_detailed_status_and_media_urls_but_no_title(
    client, pothole, fmt, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = reported_case(pothole, title="Hål vid busshållplatsen")
    case_attachment_add(case=case, actor=CITIZEN, upload=io.BytesIO(jpeg_with_gps()))
    case_attachment_add(case=case, actor=CITIZEN, upload=io.BytesIO(jpeg_with_gps()), public=False)

    [plain] = get_requests(client, fmt)
    [found] = get_requests(client, fmt, extensions="true")

    assert "extended_attributes" not in plain
    assert list(found) == [*REQUEST_FIELDS, "extended_attributes"]
    extended = found["extended_attributes"]
    if fmt == "xml":
        urls = [e.text for e in extended.find("media_urls")]
        assert [e.tag for e in extended.find("media_urls")] == ["media_url"]
        extended = element_dict(extended)
    else:
        urls = extended["media_urls"]
    assert "title" not in extended  # typed freely by agents: not published
    assert extended["detailed_status"] == case.status
    assert extended["detailed_status_name"] == Status(case.status).label
    assert len(urls) == 1 and urls[0] == found["media_url"]


def test_locale_picks_the_language_of_service_names(client, pothole):
    reported_case(pothole)

    assert get_requests(client, locale="sv")[0]["service_name"] == "Potthål"
    assert get_requests(client, locale="en")[0]["service_name"] == "Pothole"


def test_the_default_window_is_the_last_90_days_newest_first(client, pothole):
    old = case_dated(reported_case(pothole), created_at=days_ago(91))
    recent = case_dated(reported_case(pothole), created_at=days_ago(89))
    newest = reported_case(pothole)

    assert numbers(get_requests(client)) == [newest.number, recent.number]
    assert old.number not in numbers(get_requests(client))


def test_at_most_1000_requests_are_returned_the_most_recent(client, pothole):
    template = reported_case(pothole)
    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            number=f"2001-{n:06d}",
            channel="web",
            category=pothole,
            title="Hål",
            location=SODERMALM,
            responsible_unit=template.responsible_unit,
            created_at=now - dt.timedelta(minutes=n),
            updated_at=now - dt.timedelta(minutes=n),
        )
        for n in range(1, 1002)
    )

    found = get_requests(client)

    assert len(found) == 1000
    assert numbers(found)[:2] == [template.number, "2001-000001"]
    assert "2001-001000" not in numbers(found)


def test_start_and_end_date_choose_the_window(client, pothole):
    inside = case_dated(reported_case(pothole), created_at=days_ago(200))
    case_dated(reported_case(pothole), created_at=days_ago(230))
    reported_case(pothole)

    found = get_requests(
        client,
        start_date=days_ago(210).isoformat(),
        end_date=days_ago(190).isoformat(),
    )

    assert numbers(found) == [inside.number]


def test_start_date_alone_covers_the_90_days_after_it(client, pothole):
    inside = case_dated(reported_case(pothole), created_at=days_ago(150))
    case_dated(reported_case(pothole), created_at=days_ago(50))

    assert numbers(get_requests(client, start_date=days_ago(160).isoformat())) == [inside.number]


def test_dates_in_w3_format_with_z_are_understood(client, pothole):
    case_dated(reported_case(pothole), created_at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC))

    found = get_requests(client, start_date="2026-05-01T00:00:00Z", end_date="2026-05-03T00:00:00Z")

    assert len(found) == 1


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        {"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"},
        {"start_date": "yesterday"},
        {"status": "pending"},
        {"lat": "59.3", "long": "200"},
        {"lat": "59.3"},
        {"lat": "59.3", "long": "18.0", "radius": "-5"},
        {"extensions": "maybe"},
        {"locale": "de"},
    ],
)
def test_bad_queries_are_400_in_the_spec_error_format(client, fmt, query):
    response = client.get(f"/open311/v2/requests.{fmt}", query)

    assert response.status_code == 400
    [error] = records(response, fmt, root="errors", item="error")
    assert str(error["code"]) == "400"
    assert error["description"]


def test_service_code_and_status_filter_and_take_comma_lists(client, pothole):
    graffiti = CategoryFactory(code="graffiti")
    lights = CategoryFactory(code="lights")
    hole, tag, lamp = reported_case(pothole), reported_case(graffiti), reported_case(lights)
    Case.objects.filter(pk=tag.pk).update(status="resolved")

    assert set(numbers(get_requests(client, service_code="pothole,graffiti"))) == {
        hole.number,
        tag.number,
    }
    assert numbers(get_requests(client, service_code="lights")) == [lamp.number]
    assert numbers(get_requests(client, status="closed")) == [tag.number]
    assert set(numbers(get_requests(client, status="open"))) == {hole.number, lamp.number}
    assert len(get_requests(client, status="open,closed")) == 3


def test_service_request_id_list_overrides_every_other_argument(client, pothole):
    old = case_dated(reported_case(pothole), created_at=days_ago(400))
    closed = reported_case(pothole)
    Case.objects.filter(pk=closed.pk).update(status="closed")
    reported_case(pothole)

    found = get_requests(
        client,
        service_request_id=f"{old.number},{closed.number},2000-999999",
        status="open",
        service_code="graffiti",
        start_date="2026-01-01T00:00:00Z",
        end_date="2026-01-02T00:00:00Z",
        lat="not even a number",
    )

    assert set(numbers(found)) == {old.number, closed.number}


def test_service_request_id_never_reveals_a_private_case(client):
    private = CategoryFactory(code="invoice", is_public=False, place_kind=PlaceKind.NONE)
    case = reported_case(private, location=None)

    assert get_requests(client, service_request_id=case.number) == []


def test_updated_after_and_before_follow_changes_of_older_cases(client, pothole):
    changed = case_dated(reported_case(pothole), created_at=days_ago(300), updated_at=days_ago(1))
    case_dated(reported_case(pothole), created_at=days_ago(300), updated_at=days_ago(10))

    assert numbers(get_requests(client, updated_after=days_ago(2).isoformat())) == [changed.number]
    assert changed.number not in numbers(
        get_requests(client, updated_before=days_ago(5).isoformat())
    )


def test_lat_long_radius_finds_the_requests_nearby(client, pothole):
    near = reported_case(pothole, location=Point(18.0700, 59.3150, srid=4326))
    reported_case(pothole, location=Point(18.0900, 59.3150, srid=4326))  # 1.1 km east

    found = get_requests(client, lat="59.3150", long="18.0710", radius="200")

    assert numbers(found) == [near.number]
    assert len(get_requests(client, lat="59.3150", long="18.0710")) == 1  # 1000 m by default
    assert len(get_requests(client, lat="59.3150", long="18.0710", radius="2000")) == 2


def test_the_number_of_queries_does_not_grow_with_the_cases(
    client, pothole, django_assert_max_num_queries
):
    unit = OrganisationUnitFactory()
    for _ in range(6):
        case = reported_case(pothole)
        case_note_add(case=case, actor=staff_actor("agent", unit=unit), text="Ok", public=True)

    # The cases, the categories, the session.
    with django_assert_max_num_queries(3):
        assert len(get_requests(client, extensions="true")) == 6
