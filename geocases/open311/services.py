"""Writes through Open311: issuing API keys, and posting service requests."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.areas.services import place_in_city_check
from geocases.cases.actors import CITIZEN
from geocases.cases.models import Channel
from geocases.cases.services import case_create
from geocases.categories.models import PlaceKind
from geocases.core.errors import ApplicationError
from geocases.core.geometry import place_from_lat_lon
from geocases.geocoding.selectors import place_search_one
from geocases.open311.errors import ApiKeyRefused
from geocases.open311.models import ApiKey, Submission
from geocases.open311.selectors import service_get

# GeoReport v2: "free form text limited to 4,000 characters".
MAX_DESCRIPTION = 4000
MAX_MEDIA_URL = 500

# Where a case's own input names come back as the Open311 parameters the
# client sent, so that every error names something the client knows.
_PARAMETERS = {
    "location": "lat, long",
    "address": "address_string",
    "description": "description",
    "reporter_email": "email",
    "reporter_name": "first_name, last_name",
    "reporter_phone": "phone",
    "reporter_language": "locale",
    "category": "service_code",
}


def api_key_digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_key_issue(*, api_key: ApiKey) -> str:
    """Give a new (unsaved) key its secret and save it; return the secret.

    The secret is returned this once and never stored: only its digest and
    its first characters are kept.
    """
    raw_key = secrets.token_urlsafe(32)
    api_key.prefix = raw_key[:8]
    api_key.key_hash = api_key_digest(raw_key)
    api_key.created_at = timezone.now()
    api_key.full_clean()
    api_key.save(force_insert=True)
    return raw_key


def api_key_check(*, raw_key: str) -> ApiKey:
    """The active key whose secret this is; ApiKeyRefused if there is none."""
    raw_key = raw_key.strip()
    if not raw_key:
        raise ApiKeyRefused(
            _("An api_key is required to post a service request; the city issues them.")
        )
    api_key = ApiKey.objects.filter(key_hash=api_key_digest(raw_key), is_active=True).first()
    if api_key is None:
        raise ApiKeyRefused(_("The api_key is not valid: it is unknown or has been withdrawn."))
    return api_key


@transaction.atomic
def service_request_create(
    *,
    api_key: ApiKey,
    service_code: str,
    lat: str = "",
    long: str = "",
    address_string: str = "",
    address_id: str = "",
    attributes: dict[str, str | list[str]] | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    description: str = "",
    media_url: str = "",
    language: str = "sv",
) -> Submission:
    """Register a case from a GeoReport v2 "POST Service Request", as the
    citizen's own report on the API channel, sent by ``api_key``'s system.

    The parameters are the spec's, as the client sent them (text). Everything
    is checked before anything is written: a refused request leaves no case,
    no submission, and the key's last use unchanged.
    """
    category = service_get(code=service_code)  # NotFound for unknown and private codes
    location = None
    errors: dict[str, list[str]] = {}
    if lat.strip() or long.strip():
        if not (lat.strip() and long.strip()):
            errors["lat, long"] = [_("Send both lat and long, or neither.")]
        else:
            try:
                location = place_from_lat_lon(lat, long)
                place_in_city_check(location=location, field="lat, long")
            except ApplicationError as error:
                errors["lat, long"] = [error.message]
    elif address_id.strip() and not address_string.strip():
        errors["address_id"] = [
            _("address_id is not supported here; send lat and long, or address_string.")
        ]
    elif category.place_kind != PlaceKind.NONE and not address_string.strip():
        errors["lat, long"] = [_("A place is required: send lat and long, or address_string.")]
    elif category.place_kind != PlaceKind.NONE:
        # An address alone is looked up in the city's address register, so
        # that the case is routed by its place and shows on the maps. An
        # address is a point: a category that takes only areas keeps the
        # address found as text, without a place.
        try:
            found, address_string = _address_place(address_string)
            place_in_city_check(location=found, field="address_string")
        except ApplicationError as error:
            errors["address_string"] = [error.message]
        else:
            if category.place_kind != PlaceKind.AREA:
                location = found
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = [
            _("The description may be at most %(limit)d characters; it has %(length)d.")
            % {"limit": MAX_DESCRIPTION, "length": len(description)}
        ]
    media_url = media_url.strip()
    if media_url and not _is_web_url(media_url):
        errors["media_url"] = [
            _("media_url must be an http or https address of at most %(limit)d characters.")
            % {"limit": MAX_MEDIA_URL}
        ]
    if errors:
        raise ApplicationError(_("The service request is not valid."), fields=errors)

    try:
        case = case_create(
            actor=CITIZEN,
            channel=Channel.API,
            category=category,
            description=description.strip(),
            extra=attributes or {},
            location=location,
            address=address_string,
            reporter_name=f"{first_name.strip()} {last_name.strip()}".strip(),
            reporter_email=email,
            reporter_phone=phone,
            reporter_language=language,
        )
    except ApplicationError as error:
        raise ApplicationError(error.message, fields=_as_parameters(error.fields)) from None
    now = timezone.now()
    submission = Submission.objects.create(
        case=case,
        api_key=api_key,
        token=secrets.token_hex(16),
        media_url=media_url,
        created_at=now,
    )
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return submission


def _address_place(address_string: str) -> tuple[Point, str]:
    """The point of ``address_string`` in the city's address register and the
    address as the register writes it, taken as the report form takes a typed
    address: the one address found, or the place whose name begins with the
    words sent. ApplicationError (naming address_string) otherwise."""
    address = " ".join(address_string.split())
    found, hits = place_search_one(query=address)
    if found is not None:
        return found.point, found.label
    if not hits:
        raise ApplicationError.for_field(
            "address_string",
            _(
                "“%(address)s” is not in the city's address register. Send lat and long, "
                "or the address as street, number and district (“Drottninggatan 63, Norrmalm”)."
            )
            % {"address": address},
        )
    raise ApplicationError.for_field(
        "address_string",
        _(
            "“%(address)s” is not one place: it may be %(places)s. "
            "Send lat and long, or one of them."
        )
        % {"address": address, "places": "; ".join(f"“{hit.label}”" for hit in hits)},
    )


def _is_web_url(value: str) -> bool:
    if len(value) > MAX_MEDIA_URL:
        return False
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True


def _as_parameters(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    renamed: dict[str, list[str]] = {}
    for name, messages in fields.items():
        if name.startswith("extra."):
            parameter = f"attribute[{name.removeprefix('extra.')}]"
        else:
            parameter = _PARAMETERS.get(name, name)
        renamed.setdefault(parameter, []).extend(messages)
    return renamed
