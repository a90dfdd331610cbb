"""Rate limits on the public endpoints, per client address.

Each limit is a named group with a configured rate ("30/h"; see
``RATE_LIMIT_*`` in ``geocases.config``): ``report`` for new cases from the
public, ``lookup`` for public reads, ``track`` for tracking links and the
look-up that e-mails one, ``login`` for log-in attempts whatever the user
name (the lock-out counts per user name). Staff are never limited (they are logged in and
accountable, and a call centre works from one address).

Counting is django-ratelimit's (an atomic increment in the shared Redis
cache, a fixed window per client and group). If Redis cannot be reached the
request is let through and a warning logged: a citizen's report matters more
than the limit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from geocases.accounts.access import is_staff_member
from geocases.core.client import client_address

log = logging.getLogger(__name__)

GROUPS = ("report", "lookup", "track", "login")


class RateLimitExceeded(Exception):
    """Too many requests from one client; ``retry_after`` in seconds."""

    def __init__(self, group: str, retry_after: int) -> None:
        super().__init__(f"rate limit {group!r} exceeded")
        self.group = group
        self.retry_after = max(1, retry_after)

    @property
    def minutes(self) -> int:
        """When to try again, in whole minutes (rounded up)."""
        return -(-self.retry_after // 60)


def retry_after_set(response: HttpResponse, exceeded: RateLimitExceeded) -> HttpResponse:
    """``response`` with the ``Retry-After`` header of ``exceeded``."""
    response["Retry-After"] = str(exceeded.retry_after)
    return response


def _client_key(group: str, request: HttpRequest) -> str:
    return client_address(request)


def rate_limit_check(request: HttpRequest, group: str, *, client: str = "") -> None:
    """Count this request in ``group``, per client address or per ``client``
    when given (an API key); raise RateLimitExceeded over the limit."""
    rate = settings.GEOCASES_RATE_LIMITS.get(group)
    if not rate or is_staff_member(request.user):
        return
    try:
        usage = get_usage(
            request,
            group=f"geocases.{group}",
            key=(lambda _group, _request: client) if client else _client_key,
            rate=rate,
            increment=True,
        )
    except (RedisError, OSError) as error:
        log.warning("rate limit %s not counted, the cache is unreachable: %s", group, error)
        return
    if usage and usage["should_limit"]:
        raise RateLimitExceeded(group, usage["time_left"])


def rate_limit_response(request: HttpRequest, exceeded: RateLimitExceeded) -> HttpResponse:
    """The page a person sees (429, with when to try again)."""
    response = render(
        request,
        "frontend/rate_limited.html",
        {"minutes": exceeded.minutes},
        status=429,
    )
    return retry_after_set(response, exceeded)


def rate_limited(**groups: str) -> Callable:
    """Limit a page's methods: ``@rate_limited(GET="track", POST="track")``."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            group = groups.get(request.method)
            if group:
                try:
                    rate_limit_check(request, group)
                except RateLimitExceeded as exceeded:
                    return rate_limit_response(request, exceeded)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
