"""Photos on cases: checked, re-encoded without metadata, thumbnailed."""

from __future__ import annotations

import io
import secrets
import warnings
from typing import BinaryIO, NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from geocases.cases.actors import Actor
from geocases.cases.lifecycle import TransitionError
from geocases.cases.models import Attachment, Case, EventKind
from geocases.cases.services.history import event_record
from geocases.cases.services.transitions import actor_may_work_on, case_lock
from geocases.core.errors import ApplicationError

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is refused before decoding
STORED_LONG_SIDE = 2560
THUMBNAIL_LONG_SIDE = 320


def _refuse(message: str) -> ApplicationError:
    return ApplicationError.for_field("image", message)


def _too_many_pixels() -> ApplicationError:
    return _refuse(_("The photo has too many pixels (at most 40 megapixels)."))


class CleanPhoto(NamedTuple):
    """A photo as we keep it: re-encoded without metadata, and its thumbnail."""

    stored: bytes
    thumbnail: bytes
    image_format: str
    size: tuple[int, int]


def image_clean(data: bytes) -> CleanPhoto:
    """Check the bytes are a photo we take; return it re-encoded without any
    metadata (EXIF with GPS, XMP, comments), upright, at most 2560 px long, and
    a JPEG thumbnail. Nothing of the original file is kept."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data))
            if source.format not in ACCEPTED_FORMATS:
                raise _refuse(_("Only JPEG, PNG and WebP photos are accepted."))
            width, height = source.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            source.load()
    except ApplicationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _refuse(_("The file is not a photo that can be read.")) from None

    image_format = source.format
    upright = _upright(source)  # keep what the camera meant; the tag goes with all metadata
    upright.thumbnail((STORED_LONG_SIDE, STORED_LONG_SIDE))
    stored = _encode(upright, image_format)
    thumbnail = upright.copy()
    thumbnail.thumbnail((THUMBNAIL_LONG_SIDE, THUMBNAIL_LONG_SIDE))
    return CleanPhoto(stored, _encode(thumbnail, "JPEG"), image_format, upright.size)


# EXIF orientation -> the transposition that makes the photo upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
ORIENTATION = 0x0112


def _upright(image: Image.Image) -> Image.Image:
    """The photo turned as its EXIF orientation says. Not ``ImageOps.exif_transpose``:
    that writes the rest of the EXIF back, and fails on a malformed tag (say a
    GPS altitude given as text), which is no reason to refuse the photo."""
    try:
        orientation = image.getexif().get(ORIENTATION)
    except Exception:  # metadata about to be dropped anyway: unreadable means none
        orientation = None
    method = _UPRIGHT.get(orientation) if isinstance(orientation, int) else None
    return image.transpose(method) if method is not None else image


def _encode(image: Image.Image, image_format: str) -> bytes:
    """Pixels only, copied into a fresh image: Pillow carries some of a source's
    ``info`` (ICC profile, for one) into saves, and the copy has none."""
    if image_format == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    options = {"quality": 85, "optimize": True} if image_format in ("JPEG", "WEBP") else {}
    clean.save(out, format=image_format, **options)
    return out.getvalue()


def case_attachment_add(
    *, case: Case, actor: Actor, upload: BinaryIO, filename: str = "", public: bool = True
) -> Attachment:
    """Add a photo to the case; the history says who added which."""
    limit = settings.GEOCASES_MAX_ATTACHMENT_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(_("The photo is larger than %(mb).0f MB.") % {"mb": limit / (1024 * 1024)})
    if not data:
        raise _refuse(_("The file is empty."))
    return case_photo_attach(
        case=case, actor=actor, photo=image_clean(data), filename=filename, public=public
    )


def case_photo_attach(
    *, case: Case, actor: Actor, photo: CleanPhoto, filename: str = "", public: bool = True
) -> Attachment:
    """Store a photo already cleaned (``image_clean``) on the case."""
    stored, thumbnail, image_format, (width, height) = photo

    token = secrets.token_hex(16)
    folder = f"cases/{case.number[:4]}/{case.number}"
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    image_name = default_storage.save(f"{folder}/{token}.{extension}", ContentFile(stored))
    thumbnail_name = default_storage.save(f"{folder}/{token}-thumb.jpg", ContentFile(thumbnail))
    try:
        with transaction.atomic():
            locked = case_lock(case)
            if actor.user is not None and not actor_may_work_on(locked, actor):
                raise TransitionError(_("This case is the responsibility of another unit."))
            now = timezone.now()
            attachment = Attachment.objects.create(
                case=locked,
                token=token,
                image=image_name,
                thumbnail=thumbnail_name,
                content_type=ACCEPTED_FORMATS[image_format],
                size=len(stored),
                width=width,
                height=height,
                original_name=filename[-200:],
                is_public=public,
                uploaded_by=actor.user,
                created_at=now,
            )
            event_record(
                case=locked,
                actor=actor,
                kind=EventKind.ATTACHMENT,
                field="attachments",
                new={"token": token, "name": attachment.original_name},
                public=public,
                at=now,
            )
    except Exception:
        default_storage.delete(image_name)
        default_storage.delete(thumbnail_name)
        raise
    return attachment
