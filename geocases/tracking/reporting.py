"""A citizen's report from the web: the case, its photos and the private link
to follow it — all or nothing — and the receipt by e-mail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from geocases.cases.actors import CITIZEN
from geocases.cases.models import Case, Channel
from geocases.cases.services import case_create
from geocases.cases.services.attachments import CleanPhoto, case_photo_attach, image_clean
from geocases.categories.models import Category
from geocases.core.cache import GuardedCache
from geocases.core.errors import ApplicationError
from geocases.core.idempotency import (
    KEY,
    form_submission_key,
    form_write_once,
    idempotency_result,
)
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
            # The citizen was not told their photo would be published (it may
            # show people, number plates, a home): for staff and contractors.
            case_photo_attach(
                case=case, actor=CITIZEN, photo=photo.clean, filename=photo.name, public=False
            )
        token = tracking_link_issue(case=case)
    return Receipt(case, token)


# The report form sends a key per form shown ("submission"); with what was
# sent it names one report, so that the same report sent twice (a double tap,
# a resend after a lost answer) makes one case, while the form changed and
# sent again is a report of its own.
SUBMISSIONS = "web:report"


def citizen_report_sent_before(*, submission: str, fingerprint: str) -> Case | None:
    """The case this very report made when it was sent before, if it was."""
    key = form_submission_key(submission, fingerprint)
    kept = idempotency_result(scope=SUBMISSIONS, key=key, fingerprint=fingerprint) if key else None
    return Case.objects.filter(pk=kept["case"]).first() if kept else None


def citizen_report_submit_once(
    *, submission: str, fingerprint: str, submit: Callable[[], Receipt]
) -> str:
    """``submit()`` once per report (see ``SUBMISSIONS``); the tracking token
    to send the citizen to. Sent again, also two at once: the case made the
    first time, with a new link to it (links are kept only as digests)."""
    made: list[Receipt] = []

    def write() -> dict:
        made.append(submit())
        return {"case": made[0].case.pk}

    result = form_write_once(
        scope=SUBMISSIONS, submission=submission, fingerprint=fingerprint, write=write
    )
    if made:
        return made[0].token
    return tracking_link_issue(case=Case.objects.get(pk=result["case"]))


# Photos of a report that is first shown "already reported?": a browser does
# not send chosen files again with the next page, so they are held here (for
# the report's form key) until the citizen sends the report anyway.
HELD_PHOTOS_SECONDS = 900  # a quarter of an hour: Redis keeps sessions and limits too
_held = GuardedCache(cache, "report photos")


def _held_key(submission: str) -> str:
    return f"report-photos:{submission}"


def citizen_report_photos_hold(*, submission: str, photos: list[Photo]) -> bool:
    """Hold ``photos`` for the report with this form key; False when they
    could not be held (no key, or Redis unavailable: choose them again)."""
    if not photos or not KEY.match(submission or ""):
        return False
    return _held.keep(_held_key(submission), list(photos), HELD_PHOTOS_SECONDS)


def citizen_report_photos_held(*, submission: str) -> list[Photo]:
    """The photos held for the report with this form key (none: []). They
    stay held until they expire: a resend of the same report, or the form
    shown again with an error, still finds them."""
    if not KEY.match(submission or ""):
        return []
    return _held.get(_held_key(submission)) or []
