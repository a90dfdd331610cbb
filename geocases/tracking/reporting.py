"""A citizen's report from the web: the case, its photos and the private link
to follow it — all or nothing — and the receipt by e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils.translation import gettext as _

from geocases.cases.actors import CITIZEN
from geocases.cases.models import Case, Channel
from geocases.cases.services import case_create
from geocases.cases.services.attachments import CleanPhoto, case_photo_attach, image_clean
from geocases.categories.models import Category
from geocases.core.errors import ApplicationError
from geocases.tracking.services import tracking_link_issue


@dataclass(frozen=True)
class Photo:
    name: str
    clean: CleanPhoto


@dataclass(frozen=True)
class Receipt:
    case: Case
    token: str


def photos_read(uploads: list[BinaryIO]) -> list[Photo]:
    """Read, check and clean every photo before anything is written (each is
    decoded and re-encoded once: what is stored is what was checked)."""
    limit, most = settings.GEOCASES_MAX_ATTACHMENT_BYTES, settings.GEOCASES_MAX_PHOTOS
    if len(uploads) > most:
        raise ApplicationError.for_field("photos", _("At most %(n)s photos, please.") % {"n": most})
    photos = []
    for upload in uploads:
        data = upload.read(limit + 1)
        name = getattr(upload, "name", "") or ""
        if len(data) > limit:
            raise ApplicationError.for_field(
                "photos",
                _("“%(name)s” is larger than %(mb).0f MB.")
                % {"name": name, "mb": limit / (1024 * 1024)},
            )
        try:
            clean = image_clean(data)
        except ApplicationError as error:
            raise ApplicationError.for_field("photos", f"“{name}”: {error.message}") from None
        photos.append(Photo(name, clean))
    return photos


def citizen_report_submit(
    *,
    category: Category,
    location: GEOSGeometry | None,
    address: str = "",
    description: str = "",
    extra: dict[str, Any] | None = None,
    photos: list[Photo] = (),
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    language: str = "sv",
) -> Receipt:
    """Register the case with its photos and issue its tracking link, in one
    transaction; e-mail the receipt once it is committed (when an e-mail was
    given: the outbox sends it, see ``geocases.notifications.citizens``)."""
    with transaction.atomic():
        case = case_create(
            actor=CITIZEN,
            channel=Channel.WEB,
            category=category,
            description=description,
            extra=extra,
            location=location,
            address=address,
            reporter_name=reporter_name,
            reporter_email=reporter_email,
            reporter_phone=reporter_phone,
            reporter_language=language,
        )
        for photo in photos:
            case_photo_attach(case=case, actor=CITIZEN, photo=photo.clean, filename=photo.name)
        token = tracking_link_issue(case=case)
    return Receipt(case, token)
