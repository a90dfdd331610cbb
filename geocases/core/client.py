"""Who is asking: the client's network address, the same for rate limits
and log-in lock-out.

Behind ``TRUSTED_PROXIES`` reverse proxies, each appending the address it
received from to ``X-Forwarded-For``, the client is the entry that many
places from the end; anything before it was written by the client and is
not trusted. Without proxies it is the connection's own address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (a unix socket: no address)
    proxies = settings.GEOCASES_TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
