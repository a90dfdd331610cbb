"""Finding a case from its tracking link."""

from __future__ import annotations

from geocases.cases.models import Case
from geocases.tracking.models import TrackingLink
from geocases.tracking.services import token_hash


def tracking_link_find(*, token: str) -> TrackingLink | None:
    """The (not revoked) link of this token, with its case, or None."""
    if not token or len(token) > 64:
        return None
    return (
        TrackingLink.objects.select_related("case", "case__category", "case__responsible_unit")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )


def tracking_case(*, token: str) -> Case | None:
    """The case a (not revoked) link leads to, or None."""
    link = tracking_link_find(token=token)
    return link.case if link else None
