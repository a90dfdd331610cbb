"""Issuing and revoking tracking links, and what a citizen may do with one."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geocases.cases.actors import CITIZEN
from geocases.cases.lifecycle import Status
from geocases.cases.models import Case
from geocases.cases.services import case_transition
from geocases.core.errors import ApplicationError
from geocases.tracking.models import Follower, TrackingLink


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tracking_link_issue(
    *, case: Case, for_follower: bool = False, follower: Follower | None = None
) -> str:
    """A new private link for ``case``; returns the token, which is stored
    only as a hash and cannot be shown again. ``for_follower``: a link for
    someone following the case, who sees less (``TrackingLink``)."""
    token = secrets.token_urlsafe(24)  # 192 bits
    TrackingLink.objects.create(
        case=case,
        token_hash=token_hash(token),
        created_at=timezone.now(),
        for_follower=for_follower or follower is not None,
        follower=follower,
    )
    return token


def tracking_link_revoke(*, link: TrackingLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def reopen_window() -> dt.timedelta:
    """How long after it was resolved the citizen may reopen a case."""
    return dt.timedelta(days=settings.GEOCASES_REOPEN_DAYS)


def reopen_deadline(case: Case) -> dt.datetime | None:
    """Until when the citizen may say "this is not fixed"."""
    finished = case.resolved_at or case.closed_at
    if case.status not in (Status.RESOLVED, Status.CLOSED) or finished is None:
        return None
    return finished + reopen_window()


def case_reopen_by_citizen(*, case: Case, reason: str) -> Case:
    """Reopen a resolved case from its tracking link, with the citizen's reason."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError.for_field("reason", _("Tell us what is still wrong."))
    deadline = reopen_deadline(case)
    if deadline is None:
        raise ApplicationError(_("Only a resolved case can be reopened."))
    if timezone.now() > deadline:
        raise ApplicationError(
            _("This case was resolved more than %(days)s days ago; please report it again.")
            % {"days": settings.GEOCASES_REOPEN_DAYS}
        )
    return case_transition(case=case, actor=CITIZEN, to=Status.REOPENED, reason=reason[:1000])


def case_unfollow(*, link: TrackingLink) -> None:
    """The follower this link was sent to is told no more."""
    if link.follower_id is not None:
        Follower.objects.filter(pk=link.follower_id).delete()


def follower_confirm(*, link: TrackingLink) -> None:
    """The owner of the address, from the link mailed to it, wants the mails."""
    if link.follower_id is not None:
        Follower.objects.filter(pk=link.follower_id, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )


def case_follow(*, case: Case, email: str, language: str = "sv") -> Follower:
    """``email`` asks to follow ``case``: a mail asks its owner to confirm,
    and only then are they told when its status changes (see
    ``geocases.notifications.citizens``). Asking again changes nothing."""
    from geocases.notifications.citizens import follower_confirmation_send

    email = email.strip()
    found = Follower.objects.filter(case=case, email__iexact=email)
    try:
        with transaction.atomic():
            follower = found.first()
            if follower is None:
                follower = Follower.objects.create(
                    case=case, email=email, language=language[:2] or "sv", created_at=timezone.now()
                )
                follower_confirmation_send(follower=follower)
            return follower
    except IntegrityError:  # the same address following at the same moment
        return found.get()
