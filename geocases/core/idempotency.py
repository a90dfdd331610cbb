"""Doing a write once per client key."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
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


def idempotency_claimed(*, scope: str, key: str) -> bool:
    """Whether ``key`` was claimed within ``scope`` by a committed write."""
    return IdempotencyKey.objects.filter(scope=scope[:100], key=key).exists()


def idempotency_result(*, scope: str, key: str, fingerprint: str) -> dict | None:
    """What ``idempotent_write`` kept for this key and the same request, if
    it was written (None: not written, or written for another request)."""
    kept = (
        IdempotencyKey.objects.filter(scope=scope[:100], key=key)
        .values_list("result", flat=True)
        .first()
    )
    if not kept or kept.get("fingerprint") != fingerprint:
        return None
    return {name: value for name, value in kept.items() if name != "fingerprint"}


def form_fingerprint(request, *, leave_out: tuple[str, ...] = ()) -> str:
    """What a form sent: every value of each field (not its CSRF token, nor
    ``leave_out``) and each uploaded file's name and size."""
    fields = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name != "csrfmiddlewaretoken" and name not in leave_out
    }
    for name in request.FILES:
        for index, upload in enumerate(request.FILES.getlist(name)):
            fields[f"{name}.{index}"] = upload
    return request_fingerprint(fields)


def form_submission_key(submission: str, fingerprint: str) -> str:
    """The key of a form sent with a key of its own (a hidden field, one per
    form shown) and of what it sent: the same form sent twice is one write,
    the form changed and sent again another. Empty when ``submission`` is
    not a key (nothing is then done once only)."""
    return f"{submission}:{fingerprint[:16]}" if KEY.match(submission or "") else ""


class IdempotencyConflict(ApplicationError):
    """The key was used before for a different request."""


def request_fingerprint(fields: dict) -> str:
    """A digest of what a request asked for, to tell a retry from a new
    request that reuses a key: its fields, and each file's name and size."""
    canonical = {
        name: (
            [getattr(value, "name", ""), getattr(value, "size", 0)]
            if hasattr(value, "read")
            else value
        )
        for name, value in sorted(fields.items())
    }
    text = json.dumps(canonical, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def idempotent_write(
    *, scope: str, key: str, fingerprint: str, write: Callable[[], dict]
) -> tuple[dict, bool]:
    """``write()`` once per client key within ``scope``: returns its result
    (a small JSON-able dict, e.g. the case's id) and whether this is a replay
    of an earlier request. Two requests with one key at the same time: the
    second waits for the first (the key's unique index) and gets its result.
    If the write fails, nothing is kept and the key can be used again; the
    same key with a different request is refused."""
    with transaction.atomic():
        if idempotency_claim(scope=scope, key=key):
            result = write()
            IdempotencyKey.objects.filter(scope=scope[:100], key=key).update(
                result={"fingerprint": fingerprint, **result}
            )
            return result, False
    kept = IdempotencyKey.objects.get(scope=scope[:100], key=key).result or {}
    if kept.get("fingerprint") != fingerprint:
        raise IdempotencyConflict.for_field(
            "Idempotency-Key",
            _("This Idempotency-Key was used for a different request; use a new key."),
        )
    return {name: value for name, value in kept.items() if name != "fingerprint"}, True


def form_write_once(
    *, scope: str, submission: str, fingerprint: str, write: Callable[[], dict]
) -> dict:
    """``write()`` once per form shown and what it sent (see
    ``form_submission_key``); its result, kept from the first time when the
    same form is sent again. A form without a key of its own: written."""
    key = form_submission_key(submission, fingerprint)
    if not key:
        return write()
    result, _replayed = idempotent_write(scope=scope, key=key, fingerprint=fingerprint, write=write)
    return result


def idempotency_prune(*, days: int) -> int:
    """Forget keys older than ``days`` (clients retry within minutes)."""
    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(days=days)
    ).delete()
    return deleted
