"""Finding a case from its tracking link."""

from __future__ import annotations

from geocases.cases.models import Case
from geocases.tracking.models import TrackingLink
from geocases.tracking.services import token_hash


def tracking_case(*, token: str) -> Case | None:
    """The case a (not revoked) link leads to, or None."""
    if not token or len(token) > 64:
        return None
    link = (
        TrackingLink.objects.select_related("case", "case__category", "case__responsible_unit")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    return link.case if link else None
