"""POST /open311/v2/requests.{json,xml}: a report from another system becomes
a case, or is refused in the spec's error format with nothing written."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils import timezone

from geocases.cases.models import Case, CaseEvent
from geocases.categories.models import PlaceKind
from geocases.geocoding.models import Address, Street
from geocases.open311.models import ApiKey, Submission
from tests.factories import (
    CategoryFactory,
    ContractorFactory,
    DistrictFactory,
    ServiceAreaFactory,
    square,
)
from tests.open311.factories import api_key_issued, records

pytestmark = pytest.mark.django_db

FORMATS = ["json", "xml"]


def post(client, fmt, **form):
    return client.post(f"/open311/v2/requests.{fmt}", form)


def valid_form(raw_key, **changes):
    form = {
        "api_key": raw_key,
        "service_code": "pothole",
        "lat": "59.315",
        "long": "18.07",
        "attribute[size]": "large",
        "description": "Ett djupt hål mitt i cykelbanan.",
    }
    form.update(changes)
    return form


def written():
    return Case.objects.count(), CaseEvent.objects.count(), Submission.objects.count()


def errors(response, fmt):
    found = records(response, fmt, root="errors", item="error")
    assert found, "an error response lists at least one error"
    for error in found:
        assert set(error) == {"code", "description"}
        assert str(error["code"]) == str(response.status_code)
    return [error["description"] for error in found]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_becomes_an_api_case_from_the_citizen_with_its_number_returned(
    client, pothole, raw_key, fmt
):
    response = post(
        client,
        fmt,
        **valid_form(
            raw_key,
            **{
                "attribute[hazards][]": ["cyclists", "cars"],
                "attribute[depth-cm]": "12",
                "email": "anna@example.org",
                "first_name": "Anna",
                "last_name": "Svensson",
                "phone": "070-123 45 67",
                "address_string": "Götgatan 1",
                "media_url": "https://photos.example.org/hole.jpg",
                "jurisdiction_id": "stockholm.se",
                "device_id": "abc",
            },
        ),
    )

    assert response.status_code == 200
    [created] = records(response, fmt, root="service_requests", item="request")
    assert list(created) == ["service_request_id", "service_notice", "account_id"]
    case = Case.objects.get()
    assert created["service_request_id"] == case.number
    assert "Trafikkontoret" in created["service_notice"]
    assert created["account_id"] is None
    assert case.channel == "api"
    assert case.events.get(kind="created").actor_kind == "citizen"
    assert (case.location.x, case.location.y) == (18.07, 59.315)
    assert case.address == "Götgatan 1"
    assert case.extra == {"size": "large", "hazards": ["cars", "cyclists"], "depth-cm": 12}
    assert (case.reporter_name, case.reporter_email) == ("Anna Svensson", "anna@example.org")
    assert case.reporter_phone == "070-123 45 67"
    assert case.description == "Ett djupt hål mitt i cykelbanan."
    submission = case.open311_submission
    assert submission.media_url == "https://photos.example.org/hole.jpg"
    assert submission.api_key.name == "FixMyStreet"
    assert submission.api_key.last_used_at is not None


@pytest.fixture
def register():
    """Södermalm with one address and one street of the city's register, and
    a contractor's area over the address."""
    sodermalm = DistrictFactory(
        code="sodermalm", name="Södermalm", geometry=square(18.02, 59.30, 0.09)
    )
    Address.objects.create(
        street="Hornsgatan",
        housenumber="5",
        location=Point(18.0700, 59.3190, srid=4326),
        district=sodermalm,
        source="osm:node/1",
    )
    Street.objects.create(
        name="Götgatan",
        location=Point(18.0730, 59.3150, srid=4326),
        extent=Polygon.from_bbox((18.072, 59.305, 18.074, 59.320)),
    )
    return ServiceAreaFactory(
        unit=ContractorFactory(name="Gatuentreprenad AB"), geometry=square(18.06, 59.31, 0.02)
    )


@pytest.mark.parametrize("sent", ["Hornsgatan 5, Södermalm", "hornsgatan  5"])
def test_address_string_alone_is_looked_up_in_the_address_register(
    client, pothole, raw_key, register, sent
):
    register.categories.set([pothole])
    form = valid_form(raw_key, address_string=sent)
    del form["lat"], form["long"]

    response = post(client, "json", **form)

    assert response.status_code == 200
    case = Case.objects.get()
    assert (case.location.x, case.location.y) == (18.07, 59.319)
    assert case.address == "Hornsgatan 5, Södermalm"  # as the register writes it
    assert case.responsible_unit.name == "Gatuentreprenad AB"  # routed by its place
    assert case.district.code == "sodermalm"  # on the maps


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("sent", ["Nonexistent Road 999", "Götgatan 999"])
def test_an_address_not_in_the_register_is_400_naming_address_string_and_writes_nothing(
    client, pothole, raw_key, register, fmt, sent
):
    form = valid_form(raw_key, address_string=sent)
    del form["lat"], form["long"]
    before = written()

    response = post(client, fmt, **form)

    assert response.status_code == 400
    [error] = errors(response, fmt)
    assert error.startswith(f"address_string: “{sent}”")
    assert "Send lat and long" in error
    assert written() == before


def test_an_address_outside_the_city_is_400(client, pothole, raw_key, register):
    Address.objects.create(
        street="Kungsportsavenyen",
        housenumber="1",
        location=Point(11.9746, 57.7089, srid=4326),
        source="osm:node/2",
    )
    form = valid_form(raw_key, address_string="Kungsportsavenyen 1")
    del form["lat"], form["long"]

    response = post(client, "json", **form)

    assert response.status_code == 400
    assert errors(response, "json")[0].startswith("address_string: This place is outside the city")
    assert Case.objects.count() == 0


def test_lat_and_long_win_over_an_address_string_which_is_kept_as_sent(
    client, pothole, raw_key, register
):
    response = post(client, "json", **valid_form(raw_key, address_string="Nonexistent Road 1"))

    assert response.status_code == 200
    case = Case.objects.get()
    assert (case.location.x, case.location.y) == (18.07, 59.315)
    assert case.address == "Nonexistent Road 1"


def test_a_category_taking_an_area_keeps_the_address_found_without_a_place(
    client, raw_key, register
):
    CategoryFactory(code="park", place_kind=PlaceKind.AREA)
    form = {"api_key": raw_key, "service_code": "park", "address_string": "Hornsgatan 5"}

    found = post(client, "json", **form)
    unknown = post(client, "json", **{**form, "address_string": "Nonexistent Road 999"})

    assert found.status_code == 200
    case = Case.objects.get()
    assert case.location is None and case.address == "Hornsgatan 5, Södermalm"
    assert unknown.status_code == 400
    assert errors(unknown, "json")[0].startswith("address_string: ")


def test_a_category_without_a_place_does_not_look_the_address_up(client, raw_key, register):
    CategoryFactory(code="question", place_kind=PlaceKind.NONE)

    response = post(
        client,
        "json",
        api_key=raw_key,
        service_code="question",
        description="Hej",
        address_string="Nonexistent Road 999",
    )

    assert response.status_code == 200
    assert Case.objects.get().location is None


def test_the_reporter_language_follows_locale(client, pothole, raw_key):
    post(client, "json", **valid_form(raw_key, locale="en"))

    assert Case.objects.get().reporter_language == "en"


def test_a_form_without_a_session_is_not_stopped_by_csrf(pothole, raw_key):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    assert post(strict, "json", **valid_form(raw_key)).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("api_key", "status"),
    [("", 403), ("not-a-key", 403)],
)
def test_a_missing_or_wrong_api_key_is_403_and_writes_nothing(
    client, pothole, raw_key, fmt, api_key, status
):
    before = written()

    response = post(client, fmt, **valid_form(raw_key, api_key=api_key))

    assert response.status_code == status
    assert "api_key" in errors(response, fmt)[0]
    assert written() == before


def test_a_wrong_api_key_is_refused_in_the_locale_asked_for(client, pothole, raw_key):
    """The key is looked up before the rate limit, outside the locale: the
    refusal is still said in the language ``locale`` names."""
    form = valid_form(raw_key, api_key="not-a-key", locale="sv")
    response = client.post("/open311/v2/requests.json", form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "inte giltig" in response.json()[0]["description"]


def test_a_withdrawn_api_key_is_refused(client, pothole):
    api_key, raw_key = api_key_issued(name="Old app")
    ApiKey.objects.filter(pk=api_key.pk).update(is_active=False)

    response = post(client, "json", **valid_form(raw_key))

    assert response.status_code == 403
    assert Case.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_code_is_404_as_the_spec_lists_it(client, pothole, raw_key, fmt):
    before = written()

    response = post(client, fmt, **valid_form(raw_key, service_code="no-such-thing"))

    assert response.status_code == 404
    assert "no-such-thing" in errors(response, fmt)[0]
    assert written() == before


def test_a_missing_service_code_is_400(client, pothole, raw_key):
    response = post(client, "json", **valid_form(raw_key, service_code=""))

    assert response.status_code == 400
    assert errors(response, "json") == ["service_code: service_code is required."]


@pytest.mark.parametrize(
    "category_kwargs", [{"is_public": False}, {"is_active": False}], ids=["private", "inactive"]
)
def test_private_and_inactive_categories_are_not_services(client, raw_key, category_kwargs):
    CategoryFactory(code="invoice", place_kind=PlaceKind.NONE, **category_kwargs)

    response = post(client, "json", api_key=raw_key, service_code="invoice", description="x")

    assert response.status_code == 404
    assert Case.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("changes", "parameter"),
    [
        ({"lat": "91", "long": "18.07"}, "lat, long"),
        ({"lat": "59.3", "long": "-181"}, "lat, long"),
        ({"lat": "north", "long": "18.07"}, "lat, long"),
        ({"lat": "59.3", "long": ""}, "lat, long"),
        ({"attribute[size]": "enormous"}, "attribute[size]"),
        ({"attribute[size]": ""}, "attribute[size]"),
        ({"attribute[depth-cm]": "deep"}, "attribute[depth-cm]"),
        ({"attribute[hazards][]": ["cyclists", "trains"]}, "attribute[hazards]"),
        ({"attribute[colour]": "red"}, "attribute[colour]"),
        ({"description": "x" * 4001}, "description"),
        ({"email": "not an address"}, "email"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"first_name": "A" * 150, "last_name": "B" * 100}, "first_name, last_name"),
    ],
)
def test_bad_input_is_400_naming_the_parameter_and_writes_nothing(
    client, pothole, raw_key, fmt, changes, parameter
):
    before = written()

    response = post(client, fmt, **valid_form(raw_key, **changes))

    assert response.status_code == 400
    assert any(d.startswith(f"{parameter}: ") for d in errors(response, fmt))
    assert written() == before
    assert ApiKey.objects.get().last_used_at is None


def test_every_bad_parameter_is_listed(client, pothole, raw_key):
    response = post(
        client, "json", **valid_form(raw_key, lat="99", description="x" * 5000, media_url="ftp://x")
    )

    assert response.status_code == 400
    described = errors(response, "json")
    assert [d.split(":")[0] for d in described] == ["lat, long", "description", "media_url"]


def test_a_place_is_required_when_the_category_takes_one(client, pothole, raw_key):
    form = valid_form(raw_key)
    del form["lat"], form["long"]

    response = post(client, "json", **form)

    assert response.status_code == 400
    assert errors(response, "json")[0].startswith("lat, long: A place is required")
    assert Case.objects.count() == 0


def test_address_id_alone_is_refused_as_we_have_no_address_register(client, pothole, raw_key):
    form = valid_form(raw_key, address_id="545483")
    del form["lat"], form["long"]

    response = post(client, "json", **form)

    assert response.status_code == 400
    assert errors(response, "json")[0].startswith("address_id: ")


def test_a_category_without_a_place_needs_none(client, raw_key):
    CategoryFactory(code="question", place_kind=PlaceKind.NONE)

    response = post(client, "json", api_key=raw_key, service_code="question", description="Hej")

    assert response.status_code == 200
    assert Case.objects.get().location is None


def test_errors_come_in_the_language_of_locale(client, pothole, raw_key):
    response = post(client, "json", **valid_form(raw_key, locale="sv", **{"attribute[size]": ""}))

    assert errors(response, "json") == ["attribute[size]: ”Hur stort?” måste fyllas i."]


def test_an_unknown_locale_is_400(client, pothole, raw_key):
    response = post(client, "json", **valid_form(raw_key, locale="fi"))

    assert response.status_code == 400
    assert errors(response, "json") == ["locale: locale must be one of: sv, en."]
    assert Case.objects.count() == 0


def test_other_methods_get_the_spec_error_format(client):
    response = client.delete("/open311/v2/requests.json")

    assert response.status_code == 400
    assert "GET, POST" in errors(response, "json")[0]


def test_the_key_last_used_time_is_set_by_a_successful_post(client, pothole, raw_key):
    before = timezone.now()

    post(client, "json", **valid_form(raw_key))

    assert ApiKey.objects.get().last_used_at >= before


def test_a_retry_with_the_same_idempotency_key_gets_the_same_request_id(client, pothole, raw_key):
    form = valid_form(raw_key)
    first = client.post("/open311/v2/requests.json", form, HTTP_IDEMPOTENCY_KEY="retry-0000-1")
    again = client.post("/open311/v2/requests.json", form, HTTP_IDEMPOTENCY_KEY="retry-0000-1")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert Case.objects.count() == 1
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    changed = client.post(
        "/open311/v2/requests.json",
        valid_form(raw_key, description="Another hole"),
        HTTP_IDEMPOTENCY_KEY="retry-0000-1",
    )
    assert changed.status_code == 422 and Case.objects.count() == 1  # as the case API


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_place_outside_the_city_is_400_and_writes_nothing(client, pothole, raw_key, fmt):
    DistrictFactory(geometry=MultiPolygon(Polygon.from_bbox((18.0, 59.2, 18.2, 59.4)), srid=4326))
    before = written()
    response = post(client, fmt, **valid_form(raw_key, lat="57.7089", long="11.9746"))
    assert response.status_code == 400
    assert errors(response, fmt)[0].startswith("lat, long: This place is outside the city")
    assert written() == before
    assert post(client, fmt, **valid_form(raw_key)).status_code == 200  # 59.315, 18.07
