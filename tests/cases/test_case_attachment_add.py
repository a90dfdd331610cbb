import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from geocases.cases.actors import CITIZEN
from geocases.cases.lifecycle import TransitionError
from geocases.cases.models import Attachment
from geocases.cases.services import case_attachment_add
from geocases.core.errors import ApplicationError
from tests.factories import ContractorFactory, case_in_status, staff_actor

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def jpeg_with_gps(size=(1200, 900), orientation=None) -> bytes:
    """A real JPEG as a phone writes it: EXIF with camera, time and GPS position."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:01:15 08:12:00"  # DateTime
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (59.0, 19.0, 58.8), 3: "E", 4: (18.0, 4.0, 7.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at Drottninggatan 5")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


def test_gps_and_all_other_metadata_are_stripped_from_a_real_jpeg():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the premise

    attachment = case_attachment_add(
        case=case_in_status("new"),
        actor=CITIZEN,
        upload=io.BytesIO(original),
        filename="IMG_0001.jpg",
    )

    stored = stored_bytes(attachment.image.name)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert "exif" not in image.info and "comment" not in image.info
    assert b"PhoneMaker" not in stored and b"Drottninggatan" not in stored
    assert (attachment.width, attachment.height) == (1200, 900)
    assert attachment.content_type == "image/jpeg"


def test_a_thumbnail_is_made():
    attachment = case_attachment_add(
        case=case_in_status("new"), actor=CITIZEN, upload=io.BytesIO(jpeg_with_gps())
    )
    thumbnail = Image.open(io.BytesIO(stored_bytes(attachment.thumbnail.name)))
    assert max(thumbnail.size) == 320
    assert len(thumbnail.getexif()) == 0


def test_the_camera_orientation_is_applied_before_the_tag_is_dropped():
    attachment = case_attachment_add(
        case=case_in_status("new"),
        actor=CITIZEN,
        upload=io.BytesIO(jpeg_with_gps((1200, 900), orientation=6)),
    )
    assert (attachment.width, attachment.height) == (900, 1200)


def test_large_photos_are_scaled_down():
    attachment = case_attachment_add(
        case=case_in_status("new"), actor=CITIZEN, upload=io.BytesIO(jpeg_with_gps((4000, 3000)))
    )
    assert (attachment.width, attachment.height) == (2560, 1920)


def test_png_keeps_its_format_without_text_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "hemma hos Kalle")
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 255, 128)).save(out, format="PNG", pnginfo=info)
    attachment = case_attachment_add(
        case=case_in_status("new"), actor=CITIZEN, upload=io.BytesIO(out.getvalue())
    )
    stored = stored_bytes(attachment.image.name)
    assert Image.open(io.BytesIO(stored)).format == "PNG"
    assert b"Kalle" not in stored


def test_adding_writes_one_history_event():
    case = case_in_status("new")
    attachment = case_attachment_add(
        case=case, actor=CITIZEN, upload=io.BytesIO(jpeg_with_gps()), filename="hal.jpg"
    )
    event = case.events.get(kind="attachment")
    assert event.new_value == {"token": attachment.token, "name": "hal.jpg"}
    assert event.is_public


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a photo", "not a photo"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "not a photo"),  # a JPEG header, then nothing
        ("gif", "Only JPEG, PNG and WebP"),
        ("bomb", "too many pixels"),
        ("huge", "larger than"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(settings, media, data, message):
    settings.GEOCASES_MAX_ATTACHMENT_BYTES = 200_000
    if data == "gif":
        out = io.BytesIO()
        Image.new("RGB", (10, 10)).save(out, format="GIF")
        data = out.getvalue()
    elif data == "bomb":
        out = io.BytesIO()
        # Compresses to a few kB, decodes to 10,000 by 10,000 pixels.
        Image.new("L", (10_000, 10_000)).save(out, format="PNG", optimize=True)
        data = out.getvalue()
        assert len(data) < settings.GEOCASES_MAX_ATTACHMENT_BYTES
    elif data == "huge":
        data = b"\xff" * 200_001
    case = case_in_status("new")

    with pytest.raises(ApplicationError, match=message) as raised:
        case_attachment_add(case=case, actor=CITIZEN, upload=io.BytesIO(data))

    assert "image" in raised.value.fields
    assert not Attachment.objects.exists()
    assert not case.events.filter(kind="attachment").exists()
    assert not any(media.rglob("*.*"))


def test_a_contractor_cannot_add_photos_to_another_contractors_case(media):
    case = case_in_status("assigned")
    with pytest.raises(TransitionError):
        case_attachment_add(
            case=case,
            actor=staff_actor("contractor", ContractorFactory()),
            upload=io.BytesIO(jpeg_with_gps()),
        )
    assert not Attachment.objects.exists()
    assert not any(media.rglob("*.*"))
