"""The public endpoints under hostile input: the citizen's report form ("/"),
the API's case registration (POST /api/v1/cases/) and routing preview, and
Open311's POST requests.json, each sent real requests through the test client.

What every test here proves, whatever was sent:

- no answer is a server error; a refusal is a 4xx (the form: its page again
  with the message) in the endpoint's own error format, with a message;
- a place that was stored is sane (a 2D point or valid polygon in SRID 4326,
  finite and within -180..180/-90..90), checked per case and, at the end of
  each test, over the whole ``cases_case`` table in SQL;
- a GeoJSON ``crs`` member never reaches GDAL (ours is older than 3.9, which
  would open files and URLs named there);
- a refused photo leaves nothing behind (no case, no attachment, no file), and
  a stored one carries no metadata;
- text is stored as sent and shown escaped on every page that shows it.
"""

from __future__ import annotations

import io
import json
import math
import re
from types import SimpleNamespace
from urllib.parse import urlsplit
from xml.etree import ElementTree

import hypothesis
import pytest
from django.conf import settings as django_settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils.html import escape
from django.utils.text import normalize_newlines
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from PIL import Image

from geocases.cases.models import Attachment, Case
from geocases.categories.models import CategoryField, FieldType, PlaceKind
from geocases.tracking.selectors import tracking_case
from geocases.tracking.services import tracking_link_issue
from tests.factories import (
    CategoryFactory,
    ContractorFactory,
    ServiceAreaFactory,
    UserFactory,
    square,
)
from tests.fuzz import hostile
from tests.open311.factories import api_key_issued

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LIMIT = django_settings.GEOCASES_MAX_PLACE_VERTICES
NAMED_PLACES = hostile.named_places(LIMIT)


def fuzz(examples: int) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same examples on every run
        database=None,
    )


# ---------------------------------------------------------------- the world


@pytest.fixture
def world(db, settings, tmp_path):
    """One public category taking any place, with an extra field of each kind,
    covered in central Stockholm by a contractor's service area; an Open311
    key; photos stored under ``tmp_path``; no rate limits."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GEOCASES_RATE_LIMITS = {}
    contractor = ContractorFactory(code="plow", name="Plogbolaget AB")
    category = CategoryFactory(code="snow", name_sv="Snö", name_en="Snow", place_kind=PlaceKind.ANY)
    choices = [{"key": "small", "name_sv": "Litet"}, {"key": "large", "name_sv": "Stort"}]
    for order, (code, datatype) in enumerate(
        [
            ("note", FieldType.STRING),
            ("details", FieldType.TEXT),
            ("count", FieldType.NUMBER),
            ("when", FieldType.DATETIME),
            ("size", FieldType.SINGLE_CHOICE),
            ("hazards", FieldType.MULTIPLE_CHOICE),
        ]
    ):
        CategoryField.objects.create(
            category=category,
            code=code,
            label_sv=code.title(),
            label_en=code.title(),
            datatype=datatype,
            order=order,
            choices=choices if datatype.endswith("valuelist") else [],
        )
    ServiceAreaFactory(unit=contractor, categories=[category], geometry=square(17.9, 59.2, 0.4))
    return SimpleNamespace(
        category=category,
        contractor=contractor,
        api_key=api_key_issued()[1],
        media=settings.MEDIA_ROOT,
    )


def logged_in(**user) -> Client:
    client = Client()
    client.force_login(UserFactory(**user))
    return client


@pytest.fixture
def gdal_calls(monkeypatch) -> list[str]:
    """The text every GDAL geometry and spatial reference was made from during
    the test (GEOS from WKB, as our parsing uses, never gets here)."""
    from django.contrib.gis.gdal import OGRGeometry, SpatialReference

    calls: list[str] = []

    def spy(original):
        def record(*args, **kwargs):
            calls.extend(
                value.decode(errors="replace") if isinstance(value, bytes) else value
                for value in (*args, *kwargs.values())
                if isinstance(value, str | bytes)
            )
            return original(*args, **kwargs)

        return record

    monkeypatch.setattr(OGRGeometry, "__init__", spy(OGRGeometry.__init__))
    monkeypatch.setattr(OGRGeometry, "_from_json", staticmethod(spy(OGRGeometry._from_json)))
    monkeypatch.setattr(SpatialReference, "__init__", spy(SpatialReference.__init__))
    return calls


def assert_no_crs_reached_gdal(calls: list[str]) -> None:
    for text in calls:
        assert not any(marker in text for marker in hostile.CRS_MARKERS), text[:300]


# ---------------------------------------------------------------- the checks


def assert_places_sane() -> int:
    """Every stored place, asked of PostGIS itself: a valid, non-empty 2D point
    or polygon in SRID 4326 with at most the allowed corners, every position
    finite and within -180..180/-90..90. Returns how many places there are."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT number, GeometryType(location), ST_SRID(location), ST_NDims(location),
                   ST_IsValid(location), ST_IsEmpty(location), ST_NPoints(location)
            FROM cases_case WHERE location IS NOT NULL
            """
        )
        places = cursor.fetchall()
        cursor.execute(
            """
            SELECT c.number, ST_X(p.geom), ST_Y(p.geom)
            FROM cases_case c, LATERAL ST_DumpPoints(c.location) AS p
            """
        )
        positions = cursor.fetchall()
    for number, kind, srid, dimensions, valid, empty, corners in places:
        assert kind in ("POINT", "POLYGON"), (number, kind)
        assert (srid, dimensions, valid, empty) == (4326, 2, True, False), (number, srid)
        assert corners <= LIMIT, (number, corners)
    for number, x, y in positions:
        assert math.isfinite(x) and math.isfinite(y), (number, x, y)
        assert -180 <= x <= 180 and -90 <= y <= 90, (number, x, y)
    return len(places)


def two_d(coordinates):
    """GeoJSON coordinates as GEOS gives them back: tuples, without altitude."""
    if coordinates and isinstance(coordinates[0], int | float):
        return tuple(float(c) for c in coordinates[:2])
    return tuple(two_d(c) for c in coordinates)


def api_refused(response) -> str:
    """The API's one error shape, with a message; returns the message."""
    assert 400 <= response.status_code < 500, response.status_code
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    assert body["error"]["message"].strip(), body
    return body["error"]["message"]


def form_refused(response) -> str:
    """The report form again, saying what is wrong; returns the page."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert 'role="alert"' in page and "errorlist" in page, _errors_of(page)
    return page


def _errors_of(page: str) -> str:
    """What a form page says is wrong (or its start, when it says nothing)."""
    found = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</', page, re.S)
    return " | ".join(found) or page[page.find("<main") :][:1500]


def open311_refused(response) -> list[dict]:
    assert 400 <= response.status_code < 500, response.status_code
    errors = response.json()
    assert errors and all(e["code"] == response.status_code for e in errors), errors
    assert all(e["description"].strip() for e in errors), errors
    return errors


def case_of_api(response) -> Case | None:
    """The case an API registration made, or None for a refusal (checked)."""
    assert response.status_code < 500, response.content[:500]
    if response.status_code == 201:
        return Case.objects.get(number=response.json()["id"])
    api_refused(response)
    return None


def case_of_form(response) -> Case | None:
    assert response.status_code < 500, response.content[:500]
    if response.status_code == 302:
        return tracking_case(token=token_of(response["Location"]))
    form_refused(response)
    return None


def case_of_open311(response) -> Case | None:
    assert response.status_code < 500, response.content[:500]
    if response.status_code == 200:
        return Case.objects.get(number=response.json()[0]["service_request_id"])
    open311_refused(response)
    return None


def token_of(url: str) -> str:
    match = re.fullmatch(r"/track/([^/]+)/", urlsplit(url).path)
    assert match, url
    return match[1]


def assert_place_sane(case: Case) -> None:
    place = case.location
    if place is None:
        return
    assert place.geom_type in ("Point", "Polygon") and place.srid == 4326
    assert not place.hasz and place.valid and not place.empty
    assert place.num_coords <= LIMIT
    for x, y in (
        [place.coords] if place.geom_type == "Point" else [p for r in place.coords for p in r]
    ):
        assert math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90


# ---------------------------------------------------------------- senders


def api_body(**fields) -> str:
    """A JSON body; ``place`` given as JSON text (it may hold NaN or be nested
    deeper than ``json.dumps`` goes)."""
    place = fields.pop("place", None)
    body = json.dumps({"category": "snow", **fields}, allow_nan=True)
    return body if place is None else body[:-1] + f', "place": {place}}}'


def place_text(place) -> str:
    if place is hostile.DEEP_DOCUMENT:
        return "[" * 5000 + "]" * 5000
    return hostile.json_text(place)


def send_api_place(client, text: str):
    return client.post("/api/v1/cases/", api_body(place=text), content_type="application/json")


def send_form_area(client, text: str):
    return client.post("/", {"category": "snow", "area": text, "duplicates_seen": "on"})


def send_preview_place(client, text: str):
    return client.post(
        "/api/v1/routing/preview/", api_body(place=text), content_type="application/json"
    )


def send_api_lat_lon(client, lat, lon):
    return client.post(
        "/api/v1/cases/",
        json.dumps({"category": "snow", "lat": lat, "lon": lon}, allow_nan=True),
        content_type="application/json",
    )


def send_form_lat_lon(client, lat, lon):
    return client.post("/", {"category": "snow", "lat": lat, "lon": lon, "duplicates_seen": "on"})


def send_open311(client, world, **fields):
    return client.post(
        "/open311/v2/requests.json",
        {"api_key": world.api_key, "service_code": "snow", **fields},
    )


# ---------------------------------------------------------------- 1. places


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # shapely, on NaN
@pytest.mark.parametrize("name", NAMED_PLACES)
@pytest.mark.parametrize("endpoint", ["api", "form", "preview"])
def test_a_named_hostile_place(client, world, gdal_calls, endpoint, name):
    """Each hostile place by name, as the API's ``place``, the report form's
    ``area`` and the routing preview's ``place``: refused with the endpoint's
    error, or stored with exactly the coordinates sent (a ``crs`` member
    ignored, an altitude dropped), never a server error, never near GDAL."""
    place, expected = NAMED_PLACES[name]
    text = place_text(place)
    if endpoint == "preview":
        response = send_preview_place(client, text)
        assert response.status_code < 500
        if expected == "refused" or response.status_code != 200:
            assert expected != "stored", response.content[:500]
            api_refused(response)
    else:
        send, case_of = {
            "api": (send_api_place, case_of_api),
            "form": (send_form_area, case_of_form),
        }[endpoint]
        case = case_of(send(client, text))
        if expected == "refused":
            assert case is None
        if expected == "stored":
            assert case is not None and case.location is not None
            assert case.location.coords == two_d(place["coordinates"])
        if case is not None:
            assert_place_sane(case)
    assert_no_crs_reached_gdal(gdal_calls)
    assert_places_sane()


@pytest.mark.parametrize("name", hostile.NAMED_LAT_LONS)
@pytest.mark.parametrize("endpoint", ["api", "form", "open311"])
def test_a_named_hostile_lat_lon(client, world, endpoint, name):
    """Each hostile latitude/longitude pair by name, as the API's ``lat`` and
    ``lon`` (JSON numbers where they are numbers), the report form's hidden
    fields and Open311's ``lat``/``long``."""
    lat, lon, expected = hostile.NAMED_LAT_LONS[name]
    if endpoint == "api":
        case = case_of_api(send_api_lat_lon(client, _json_number(lat), _json_number(lon)))
    elif endpoint == "form":
        case = case_of_form(send_form_lat_lon(client, lat, lon))
    else:
        case = case_of_open311(send_open311(client, world, lat=lat, long=lon))
    if expected == "refused":
        assert case is None
    if expected == "stored":
        assert case is not None
        assert case.location.coords == (float(lon), float(lat))
    if case is not None:
        assert_place_sane(case)
    assert_places_sane()


def _json_number(text: str):
    """The text as a JSON number where it reads as one (so NaN, 1e999 and
    400-digit integers arrive as numbers), else as the string."""
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text or None


def fuzz_reports(examples: int, strategy: st.SearchStrategy, report) -> list[bool]:
    """``report`` (a generated value -> the case it made, or None when refused)
    run on ``examples`` values; each case made is checked sane. Returns, per
    example, whether a case was made."""
    made: list[bool] = []

    @fuzz(examples)
    @given(value=strategy)
    def run(value):
        case = report(value)
        if case is not None:
            assert_place_sane(case)
        made.append(case is not None)

    run()
    return made


def assert_stored_and_refused(made: list[bool]) -> None:
    """The fuzzing reached both sides (not only the first refusal), and every
    refused report left no case behind."""
    assert made.count(True) >= len(made) // 10 and made.count(False) >= len(made) // 10, (
        made.count(True),
        made.count(False),
    )
    assert Case.objects.count() == made.count(True)


def test_any_place_through_the_api(client, world, gdal_calls):
    """Generated GeoJSON, right, nearly right and wrong, as the API's ``place``."""
    made = fuzz_reports(
        160,
        hostile.geojson_places(),
        lambda place: case_of_api(send_api_place(client, hostile.json_text(place))),
    )
    assert_stored_and_refused(made)
    assert_no_crs_reached_gdal(gdal_calls)
    assert_places_sane()


def test_any_area_through_the_report_form(client, world, gdal_calls):
    """The same places as the report form's ``area`` (JSON text, NaN and all)."""
    made = fuzz_reports(
        100,
        hostile.geojson_places(),
        lambda place: case_of_form(send_form_area(client, hostile.json_text(place))),
    )
    assert_stored_and_refused(made)
    assert_no_crs_reached_gdal(gdal_calls)
    assert_places_sane()


def test_any_place_through_the_routing_preview(client, world, gdal_calls):
    """The same places asked of the public routing preview, which creates nothing."""
    statuses: list[int] = []

    @fuzz(60)
    @given(place=hostile.geojson_places())
    def ask(place):
        response = send_preview_place(client, hostile.json_text(place))
        assert response.status_code in (200, 400), response.content[:500]
        if response.status_code == 400:
            api_refused(response)
        statuses.append(response.status_code)

    ask()
    assert statuses.count(200) >= 6 and statuses.count(400) >= 6, statuses
    assert_no_crs_reached_gdal(gdal_calls)
    assert not Case.objects.exists()
    assert_places_sane()


def test_any_lat_lon_through_the_api(client, world):
    """Generated JSON values (numbers of every size, NaN, text, lists…) as
    ``lat``/``lon``: stored exactly as sent, or refused."""

    def report(lat_lon):
        lat, lon = lat_lon
        case = case_of_api(send_api_lat_lon(client, lat, lon))
        if case is not None:
            assert case.location.coords == (float(lon), float(lat))
        return case

    pairs = st.one_of(
        st.tuples(hostile.coordinate_values(), hostile.coordinate_values()),
        st.tuples(hostile.lats, hostile.lons),
    )
    assert_stored_and_refused(fuzz_reports(80, pairs, report))
    assert_places_sane()


def test_any_lat_lon_through_the_report_form(client, world):
    """Generated text as the report form's ``lat``/``lon``."""
    pairs = st.tuples(hostile.coordinate_texts(), hostile.coordinate_texts())
    made = fuzz_reports(
        60, pairs, lambda p: case_of_form(send_form_lat_lon(client, lat=p[0], lon=p[1]))
    )
    assert_stored_and_refused(made)
    assert_places_sane()


def test_any_lat_long_through_open311(client, world):
    """Generated text as Open311's ``lat``/``long``."""
    pairs = st.tuples(hostile.coordinate_texts(), hostile.coordinate_texts())
    made = fuzz_reports(
        60, pairs, lambda p: case_of_open311(send_open311(client, world, lat=p[0], long=p[1]))
    )
    assert_stored_and_refused(made)
    assert_places_sane()


def test_a_crs_member_is_ignored_not_resolved(client, world, gdal_calls):
    """A ``crs`` naming SWEREF 99 TM does not make the API, the form or the
    preview read the coordinates as metres: they are taken as WGS84 as GeoJSON
    (RFC 7946) says, and the name never reaches GDAL or PROJ."""
    place = {"type": "Point", "coordinates": [18.05, 59.35], "crs": hostile.CRS_MEMBERS["urn"]}
    api_case = case_of_api(send_api_place(client, json.dumps(place)))
    form_case = case_of_form(send_form_area(client, json.dumps(place)))
    preview = send_preview_place(client, json.dumps(place))
    assert api_case.location.coords == form_case.location.coords == (18.05, 59.35)
    assert preview.status_code == 200 and preview.json()["unit"]["name"] == "Plogbolaget AB"
    assert_no_crs_reached_gdal(gdal_calls)
    assert assert_places_sane() == 2
    # The spy does see what it looks for: GEOSGeometry on GeoJSON text (what
    # we must never do with people's places) hands the text, crs and all, to GDAL.
    GEOSGeometry(json.dumps(place))
    with pytest.raises(AssertionError):
        assert_no_crs_reached_gdal(gdal_calls)


# ---------------------------------------------------------------- 2. uploads


def files_under(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def report_with_photos(client, *photos):
    return client.post(
        "/",
        {
            "category": "snow",
            "lat": "59.35",
            "lon": "18.05",
            "duplicates_seen": "on",
            "photos": list(photos),
        },
    )


def assert_stored_without_metadata(attachment: Attachment) -> None:
    """The stored photo and its thumbnail: readable, and with no EXIF (GPS
    included), comment, XMP, ICC profile or text chunk left."""
    for name in (attachment.image.name, attachment.thumbnail.name):
        assert ".." not in name and name.startswith("cases/")
        with default_storage.open(name) as handle:
            data = handle.read()
        image = Image.open(io.BytesIO(data))
        image.load()
        assert len(image.getexif()) == 0
        assert not image.getexif().get_ifd(hostile.GPS_IFD)
        assert not {"exif", "comment", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(image.info)
        assert not getattr(image, "text", {})
        for trace in (b"Exif", b"PhoneMaker", b"Drottninggatan", b"<script", b"alert("):
            assert trace not in data, trace


@pytest.mark.parametrize("name", hostile.refused_uploads())
def test_a_file_that_is_not_a_photo_we_take_leaves_nothing(client, world, name):
    """Not an image, a truncated one, a decompression bomb, an unsupported
    format, an image extension on something else: the form says so next to the
    photos (escaping the file's name), and no case, attachment or file remains."""
    filename, data, content_type = hostile.refused_uploads()[name]
    page = form_refused(report_with_photos(client, upload(filename, data, content_type)))
    assert 'id="photos-error"' in page
    assert escape(filename.rsplit("/", 1)[-1]) in page  # Django keeps the name after any "/"
    for fragment in hostile.DANGEROUS:
        assert fragment not in page, fragment
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert files_under(world.media) == []
    assert_places_sane()


def test_a_photo_over_the_size_limit_leaves_nothing(client, world, settings):
    """A real photo one byte over the limit (lowered here) is refused as too
    large before it is decoded; at the limit it is taken."""
    settings.GEOCASES_MAX_ATTACHMENT_BYTES = 64 * 1024
    big = hostile.noise_jpeg(64 * 1024 + 1)
    page = form_refused(report_with_photos(client, upload("big.jpg", big)))
    assert 'id="photos-error"' in page and "big.jpg" in page
    assert not Case.objects.exists() and files_under(world.media) == []
    settings.GEOCASES_MAX_ATTACHMENT_BYTES = len(big)
    assert case_of_form(report_with_photos(client, upload("big.jpg", big))) is not None
    assert Attachment.objects.count() == 1
    assert_places_sane()


def test_one_photo_too_many_leaves_nothing(client, world, settings):
    """More photos than allowed: refused as a whole, the good ones not kept either."""
    photos = [
        upload(f"{n}.jpg", hostile.jpeg_with_gps()) for n in range(settings.GEOCASES_MAX_PHOTOS + 1)
    ]
    form_refused(report_with_photos(client, *photos))
    assert not Case.objects.exists() and files_under(world.media) == []
    assert_places_sane()


def test_one_bad_photo_among_good_ones_leaves_nothing(client, world):
    """All or nothing: a good photo next to a truncated one stores neither."""
    good = upload("good.jpg", hostile.jpeg_with_gps())
    bad = upload("bad.png", hostile.png()[:40], "image/png")
    form_refused(report_with_photos(client, good, bad))
    assert not Case.objects.exists() and files_under(world.media) == []
    assert_places_sane()


@pytest.mark.parametrize(
    "name, data",
    [
        ("gps.jpg", hostile.jpeg_with_gps()),
        ("turned.jpg", hostile.jpeg_with_gps(orientation=6)),
        ("malformed-exif.jpg", hostile.jpeg_with_malformed_exif()),
        ("text-chunks.png", hostile.png_with_text("<script>alert(1)</script> 59.33N 18.06E")),
        ("polyglot.jpg", hostile.jpeg_with_gps() + hostile.HTML_SCRIPT),
        ("<img src=x onerror=alert(2)>.jpg", hostile.jpeg_with_gps()),
    ],
)
def test_a_photo_is_kept_without_metadata_or_trailing_payload(client, world, name, data):
    """A photo with EXIF GPS, a camera orientation, a malformed EXIF tag, PNG
    text chunks, or HTML appended after the image data is accepted and stored
    re-encoded with none of that left; its name is shown escaped in the
    administration."""
    case = case_of_form(report_with_photos(client, upload(name, data)))
    assert case is not None
    attachment = case.attachments.get()
    assert attachment.original_name == name
    assert_stored_without_metadata(attachment)
    if name in ("turned.jpg", "malformed-exif.jpg"):  # orientation 6: turned upright
        assert attachment.width < attachment.height
    admin = logged_in(role="administrator", is_staff=True, is_superuser=True)
    page = admin.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert escape(name) in page and "<img src=x onerror" not in page
    assert_places_sane()


@pytest.mark.filterwarnings("ignore:Truncated File Read:UserWarning")  # Pillow, on bad EXIF
def test_a_damaged_photo_is_refused_or_stored_clean(client, world):
    """Photos with bytes changed, cut or inserted (camera orientation and GPS
    EXIF, PNG text chunks): either refused with no case, attachment or file
    left behind, or stored readable and without metadata."""

    def report(data: bytes) -> Case | None:
        files = len(files_under(world.media))
        case = case_of_form(report_with_photos(client, upload("damaged.jpg", data)))
        if case is None:
            assert len(files_under(world.media)) == files
        else:
            assert_stored_without_metadata(case.attachments.get())
        return case

    damaged = st.one_of(
        hostile.mutations(hostile.jpeg_with_gps((48, 32), orientation=6)),
        hostile.mutations(hostile.png((40, 30))),
        hostile.mutations(hostile.png_with_text("x" * 40)),
    )
    assert_stored_and_refused(fuzz_reports(60, damaged, report))
    assert Attachment.objects.count() == Case.objects.count()
    assert len(files_under(world.media)) == 2 * Attachment.objects.count()  # photo, thumbnail
    assert_places_sane()


def test_attachments_cannot_be_added_anonymously(client, world):
    """The API's attachment upload is for staff: anonymous uploads are refused
    before anything is read or stored; Open311's media_url is only ever an
    http(s) address, never a file or a script."""
    case = case_of_api(send_api_lat_lon(client, 59.35, 18.05))
    response = client.post(
        f"/api/v1/cases/{case.number}/attachments/",
        {"file": upload("x.jpg", hostile.jpeg_with_gps())},
    )
    assert response.status_code in (401, 403)
    api_refused(response)
    assert not Attachment.objects.exists() and files_under(world.media) == []
    for url in ("file:///etc/passwd", "javascript:alert(1)", "gopher://x", "http://" + "a" * 600):
        errors = open311_refused(
            send_open311(client, world, lat="59.35", long="18.05", media_url=url)
        )
        assert any("media_url" in e["description"] for e in errors)
    assert Case.objects.count() == 1
    assert_places_sane()


# ---------------------------------------------------------------- 3. text

API_TEXTS = {
    "title": f"{hostile.SCRIPT} {hostile.SQL_DROP}",
    "description": "\n".join(
        [hostile.SCRIPT, hostile.IMG, hostile.SQL_SLEEP, hostile.RTL, hostile.CONTROL]
    ),
    "address": f"{hostile.SVG} {hostile.SQL_OR}",
    "name": f"{hostile.IMG} {hostile.ZALGO}",
    "email": hostile.EMAIL_SCRIPT,
    "phone": "<b onmouseover=alert(5)>",
    "note": hostile.SCRIPT_END,
    "details": f"{hostile.TEMPLATE}\n{hostile.BOLD}",
}


def create_hostile_case(client, world, endpoint: str) -> tuple[Case, str, dict]:
    """A case with hostile text in every text field the endpoint has; returns
    it, its tracking token and the texts sent by field."""
    texts = dict(API_TEXTS)
    if endpoint == "api":
        response = client.post(
            "/api/v1/cases/",
            {
                "category": "snow",
                "lat": 59.35,
                "lon": 18.05,
                "title": texts["title"],
                "description": texts["description"],
                "address": texts["address"],
                "extra": {"note": texts["note"], "details": texts["details"]},
                "reporter": {
                    "name": texts["name"],
                    "email": texts["email"],
                    "phone": texts["phone"],
                },
            },
            content_type="application/json",
        )
        case = case_of_api(response)
        token = token_of(response.json()["properties"]["tracking_url"])
    elif endpoint == "form":
        texts["title"] = ""
        response = client.post(
            "/",
            {
                "category": "snow",
                "lat": "59.35",
                "lon": "18.05",
                "description": texts["description"],
                "address": texts["address"],
                "name": texts["name"],
                "email": texts["email"],
                "phone": texts["phone"],
                "extra-snow-note": texts["note"],
                "extra-snow-details": texts["details"],
            },
        )
        case = case_of_form(response)
        token = token_of(response["Location"])
    else:
        texts["title"] = ""
        first, last = texts["name"].split(" ", 1)
        response = send_open311(
            client,
            world,
            lat="59.35",
            long="18.05",
            description=texts["description"],
            address_string=texts["address"],
            first_name=first,
            last_name=last,
            email=texts["email"],
            phone=texts["phone"],
            **{"attribute[note]": texts["note"], "attribute[details]": texts["details"]},
        )
        case = case_of_open311(response)
        token = tracking_link_issue(case=case)
    assert case is not None
    return case, token, texts


def assert_escaped(page: str, shown: dict[str, str], *, linebreaks: tuple[str, ...] = ()) -> None:
    """Each value is in the page escaped (newlines as <br> where the page
    breaks lines), and no dangerous markup is there raw."""
    for field, value in shown.items():
        expected = escape(normalize_newlines(value))
        if field in linebreaks:
            expected = expected.replace("\n", "<br>")
        assert expected in page, (field, value)
    for fragment in hostile.DANGEROUS:
        assert fragment not in page, fragment


@pytest.mark.parametrize("endpoint", ["api", "form", "open311"])
def test_hostile_text_is_stored_verbatim_and_shown_escaped(client, world, endpoint):
    """Script, SQL, bidirectional overrides, combining marks, emoji and control
    characters in every text field of each public create endpoint: stored as
    sent (the SQL harmless), then shown escaped on the citizen's tracking page,
    the customer-service case page, the contractor's field page, the
    administration, the public map and case APIs and Open311's JSON and XML."""
    case, token, texts = create_hostile_case(client, world, endpoint)
    title = texts["title"] or "Snö"
    stored = {
        "title": case.title,
        "description": case.description,
        "address": case.address,
        "name": case.reporter_name,
        "email": case.reporter_email,
        "phone": case.reporter_phone,
        "note": case.extra["note"],
        "details": case.extra["details"],
    }
    assert stored == {**texts, "title": title}
    with connection.cursor() as cursor:  # the table the SQL text names is still there
        cursor.execute(
            "SELECT count(*) FROM cases_case WHERE description = %s", [texts["description"]]
        )
        assert cursor.fetchone() == (1,)

    page = client.get(f"/track/{token}/").content.decode()
    assert_escaped(page, {"title": title, "address": texts["address"]})

    desk = logged_in(role="agent")
    page = desk.get(f"/desk/cases/{case.number}/").content.decode()
    assert_escaped(
        page,
        {k: stored[k] for k in ("title", "description", "address", "name", "email", "phone")},
        linebreaks=("description",),
    )

    field = logged_in(role="contractor", unit=world.contractor)
    page = field.get(f"/field/{case.number}/").content.decode()
    assert_escaped(
        page,
        {k: stored[k] for k in ("title", "description", "address")},
        linebreaks=("description",),
    )
    assert_escaped(field.get("/field/").content.decode(), {"address": texts["address"]})

    admin = logged_in(role="administrator", is_staff=True, is_superuser=True)
    page = admin.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert_escaped(page, {k: v for k, v in stored.items() if k not in ("description", "details")})
    assert escape(texts["description"]) in page  # in a textarea, newlines kept

    response = client.get("/api/v1/cases/map/?bbox=17.9,59.2,18.3,59.5&zoom=16")
    assert response["Content-Type"] == "application/json"
    (feature,) = response.json()["features"]
    # The public reads a typed title, and one that is the category's name,
    # as "": the map shows the category's name in the reader's language.
    assert (feature["properties"]["title"], feature["properties"]["address"]) == (
        "",
        texts["address"],
    )
    response = client.get(f"/api/v1/cases/{case.number}/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["properties"]["title"] == "Snö"

    (record,) = client.get(f"/open311/v2/requests.json?service_request_id={case.number}").json()
    # Open311 publishes no free text (the description), the address as stored.
    assert (record["description"], record["address"]) == (None, texts["address"])
    xml = client.get(f"/open311/v2/requests.xml?service_request_id={case.number}").content
    element = ElementTree.fromstring(xml).find("request")  # noqa: S314 - our own output
    not_xml = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    assert element.findtext("address") == not_xml.sub("", texts["address"])
    assert not element.findtext("description")
    assert_places_sane()


def test_very_long_text_is_kept_to_the_limit_and_refused_beyond(client, world):
    """Every text field at its length limit is stored whole; one character
    more is refused with a message, never cut silently or a server error."""
    limits = {"title": 200, "description": 5000, "address": 300}
    at_limit = {name: "<" * (n - 1) + "x" for name, n in limits.items()}
    case = case_of_api(
        client.post(
            "/api/v1/cases/",
            {"category": "snow", **at_limit, "reporter": {"name": "&" * 200, "phone": "9" * 40}},
            content_type="application/json",
        )
    )
    assert (case.title, case.description, case.address) == tuple(at_limit.values())
    assert (case.reporter_name, case.reporter_phone) == ("&" * 200, "9" * 40)
    for name, n in limits.items():
        assert (
            case_of_api(
                client.post(
                    "/api/v1/cases/",
                    {"category": "snow", name: "x" * (n + 1)},
                    content_type="application/json",
                )
            )
            is None
        )
    for name, n in (("description", 5000), ("address", 300), ("name", 200), ("phone", 40)):
        page = form_refused(
            client.post(
                "/", {"category": "snow", "lat": "59.3", "lon": "18.1", name: "y" * (n + 1)}
            )
        )
        assert "y" * (n + 1) in page  # given back to correct, not lost
    for name, n in (("description", 4000), ("phone", 40), ("address_string", 300)):
        open311_refused(
            send_open311(client, world, lat="59.35", long="18.05", **{name: "z" * (n + 1)})
        )
    assert (
        case_of_api(
            client.post(
                "/api/v1/cases/",
                {"category": "snow", "extra": {"note": "n" * 201}},
                content_type="application/json",
            )
        )
        is None
    )
    assert Case.objects.count() == 1
    assert_places_sane()


# Text PostgreSQL cannot store, by the way it is sent: (how, body).
UNSTORABLE_REQUESTS = {
    "api-json-nul": ("api-json", '{"category": "snow", "extra": {"note": "a\\u0000b"}}'),
    "api-json-surrogate-extra": ("api-json", '{"category": "snow", "extra": {"note": "\\ud800"}}'),
    "api-json-surrogate-extra-code": ("api-json", '{"category": "snow", "extra": {"\\ud800": 1}}'),
    "api-json-surrogate-choice": ("api-json", '{"category": "snow", "priority": "\\udfff"}'),
    "api-json-surrogate-language": (
        "api-json",
        '{"category": "snow", "reporter": {"language": "\\ud800"}}',
    ),
    "api-json-surrogate-place-type": (
        "api-json",
        '{"category": "snow", "place": {"type": "\\ud800", "coordinates": [1, 2]}}',
    ),
    "api-multipart-nul-extra": ("api-multipart", {"category": "snow", "extra.note": "a\x00b"}),
    "form-multipart-nul-extra": (
        "form",
        {"category": "snow", "lat": "59.3", "lon": "18.1", "extra-snow-note": "a\x00b"},
    ),
    "form-multipart-nul-details": (
        "form",
        {"category": "snow", "lat": "59.3", "lon": "18.1", "extra-snow-details": "\x00"},
    ),
    "form-urlencoded-nul": ("form-urlencoded", "category=snow&lat=59.3&lon=18.1&name=a%00b"),
    "open311-nul-attribute": (
        "open311",
        {"lat": "59.35", "long": "18.05", "attribute[note]": "a\x00b"},
    ),
}


@pytest.mark.parametrize("name", UNSTORABLE_REQUESTS)
def test_text_the_database_cannot_store_is_refused(client, world, name):
    """NUL characters (PostgreSQL stores none) and unpaired UTF-16 surrogates
    (which JSON can escape but no text holds), in any field, encoding and
    place, even one whose refusal would echo it: refused in the endpoint's
    format (the form: its page with the message), nothing stored."""
    how, body = UNSTORABLE_REQUESTS[name]
    if how == "api-json":
        api_refused(client.post("/api/v1/cases/", body, content_type="application/json"))
    elif how == "api-multipart":
        api_refused(client.post("/api/v1/cases/", body))
    elif how == "form":
        form_refused(client.post("/", body))
    elif how == "form-urlencoded":
        response = client.post("/", body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400 and response.content.strip()
    else:
        open311_refused(send_open311(client, world, **body))
    assert not Case.objects.exists()
    assert_places_sane()


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def test_any_text_through_the_api_is_stored_verbatim_and_shown_escaped(client, world):
    """Generated text (any code point, surrogates included, the known payloads
    mixed in) in the API's text fields: refused only when it cannot be stored
    at all (a NUL, an unpaired surrogate, over a limit), else stored as sent
    (trimmed) and shown escaped on the tracking page and the customer-service
    case page."""
    desk = logged_in(role="agent")

    def report(texts: dict[str, str]) -> Case | None:
        title, description, address, name, note = texts.values()
        body = {
            "category": "snow",
            "lat": 59.35,
            "lon": 18.05,
            "title": title,
            "description": description,
            "address": address,
            "reporter": {"name": name},
            "extra": {"note": note},
        }
        response = client.post("/api/v1/cases/", json.dumps(body), content_type="application/json")
        case = case_of_api(response)
        if case is None:
            unstorable = any(_UNSTORABLE.search(text) for text in texts.values())
            assert unstorable or len(note.strip()) > 200, (texts, response.json())
            return None
        assert (case.title, case.description, case.address, case.reporter_name) == (
            title.strip() or "Snö",
            description.strip(),
            address.strip(),
            name.strip(),
        )
        assert case.extra.get("note", "") == note.strip()
        token = token_of(response.json()["properties"]["tracking_url"])
        page = client.get(f"/track/{token}/").content.decode()
        assert_escaped(page, {"title": case.title, "address": case.address})
        page = desk.get(f"/desk/cases/{case.number}/").content.decode()
        assert_escaped(
            page,
            {"title": case.title, "description": case.description, "name": case.reporter_name},
            linebreaks=("description",),
        )
        return case

    text = hostile.hostile_texts(surrogates=True)
    texts = st.fixed_dictionaries(
        {"title": text, "description": text, "address": text, "name": text, "note": text}
    )
    assert_stored_and_refused(fuzz_reports(50, texts, report))
    assert_places_sane()


def test_any_text_through_the_report_form_is_stored_or_given_back_escaped(client, world):
    """Generated text in the report form's fields: stored as sent (trimmed),
    or (no place, a NUL, over a limit) the form again with every value given
    back escaped, inputs, textareas and extra fields alike, and nothing stored."""

    def report(given: dict) -> Case | None:
        texts = {k: given[k] for k in ("description", "name", "address", "extra-snow-note")}
        data = {"category": "snow", "duplicates_seen": "on", **texts}
        if given["place"]:
            data.update(lat="59.35", lon="18.05")
        response = client.post("/", data)
        case = case_of_form(response)
        if case is None:
            page = response.content.decode()
            for value in texts.values():
                assert escape(value) in page, value
            for fragment in hostile.DANGEROUS:
                assert fragment not in page, fragment
            return None
        assert (case.description, case.reporter_name, case.address) == (
            texts["description"].strip(),
            texts["name"].strip(),
            texts["address"].strip(),
        )
        assert case.extra.get("note", "") == texts["extra-snow-note"].strip()
        return case

    text = hostile.hostile_texts()
    given = st.fixed_dictionaries(
        {
            "description": text,
            "name": text,
            "address": text,
            "extra-snow-note": text,
            "place": st.booleans(),
        }
    )
    assert_stored_and_refused(fuzz_reports(50, given, report))
    assert_places_sane()


def test_hostile_text_given_back_by_the_report_form_is_escaped(client, world):
    """A report refused (no place) gives every value back to correct: in
    inputs, textareas and the category's extra fields, escaped."""
    page = form_refused(
        client.post(
            "/",
            {
                "category": "snow",
                "description": hostile.SCRIPT,
                "name": hostile.IMG,
                "email": hostile.SVG,
                "phone": hostile.BOLD,
                "address": hostile.SCRIPT_END,
                "extra-snow-note": hostile.SCRIPT,
                "extra-snow-details": hostile.SCRIPT_END,
            },
        )
    )
    for value in (hostile.SCRIPT, hostile.IMG, hostile.SVG, hostile.BOLD, hostile.SCRIPT_END):
        assert escape(value) in page, value
    for fragment in hostile.DANGEROUS:
        assert fragment not in page, fragment
    assert not Case.objects.exists()
    assert_places_sane()


def test_already_reported_cases_are_listed_escaped(client, world):
    """Another reporter's title and address, shown to the next citizen as
    "already reported?", are escaped: one citizen cannot script another's page."""
    first = case_of_api(
        client.post(
            "/api/v1/cases/",
            {
                "category": "snow",
                "lat": 59.35,
                "lon": 18.05,
                "title": hostile.SCRIPT,
                "address": hostile.IMG,
            },
            content_type="application/json",
        )
    )
    page = client.post(
        "/", {"category": "snow", "lat": "59.3501", "lon": "18.0501"}
    ).content.decode()
    assert first.number in page
    assert_escaped(page, {"address": hostile.IMG})
    assert escape(hostile.SCRIPT) not in page  # a typed title is not shown to the public
    assert Case.objects.count() == 1
    assert_places_sane()


def test_json_in_pages_cannot_end_its_script_element(world):
    """Text given to a page as JSON in a script element (``json_script``)
    cannot close the element: the desk's work queue from the URL comes back
    as the same string, its ``<`` written as ``\\u003C``."""
    page = logged_in(role="agent").get("/desk/", {"queue": hostile.SCRIPT_END}).content.decode()
    for fragment in hostile.DANGEROUS:
        assert fragment not in page, fragment
    match = re.search(r'<script id="desk-queue" type="application/json">(.*?)</script>', page)
    assert match and json.loads(match[1]) == hostile.SCRIPT_END
    assert "\\u003C/script\\u003E" in match[1]
    assert_places_sane()
