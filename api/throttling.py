"""The public rate limits (``geocases.core.ratelimits``) as DRF throttling:
refused with 429, ``Retry-After`` and the API's error shape."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from geocases.core.ratelimits import RateLimitExceeded, rate_limit_check

# Every API view: reads count as look-ups, posts as reports, unless the view
# names its own (``rate_limit_groups``). Views a public
# client may not call refuse before this counts (authentication and
# permissions come first), and staff are not limited at all.
GROUPS = {"GET": "lookup", "HEAD": "lookup", "POST": "report"}


class PublicRateLimit(BaseThrottle):
    retry_after: int | None = None

    def allow_request(self, request, view) -> bool:
        group = getattr(view, "rate_limit_groups", GROUPS).get(request.method)
        if group is None:
            return True
        try:
            rate_limit_check(request, group)
        except RateLimitExceeded as exceeded:
            self.retry_after = exceeded.retry_after
            return False
        return True

    def wait(self) -> int | None:
        return self.retry_after
