"""Doing a write once per client key."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from geocases.core.errors import ApplicationError
from geocases.core.models import IdempotencyKey

KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")


def idempotency_claim(*, scope: str, key: str) -> bool:
    """Claim ``key`` within ``scope`` in the caller's transaction: True the
    first time (go ahead and write), False if it was claimed before (the
    write was done). If the caller's transaction rolls back, so does the
    claim, so a failed write can be retried with the same key."""
    if not KEY.match(key):
        raise ApplicationError.for_field(
            "idempotency_key", _("A key is 8 to 100 letters, digits or - _ . :")
        )
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(scope=scope[:100], key=key)
    except IntegrityError:
        return False
    return True
