"""Who is asking: the client's network address, the same for rate limits
and log-in lock-out.

Behind ``TRUSTED_PROXIES`` reverse proxies, each appending the address it
received from to ``X-Forwarded-For``, the client is the entry that many
places from the end; anything before it was written by the client and is
not trusted. Without proxies it is the connection's own address.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

log = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The client's address; an IPv6 client as its /64 network, which one
    household or phone gets whole (each of its addresses is not a new client)."""
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (a unix socket: no address)
    proxies = settings.GEOCASES_TRUSTED_PROXIES
    if not proxies:
        _warn_if_behind_a_proxy(remote)
        return _client(remote) or remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return _client(remote) or remote
    return _client(forwarded[-proxies]) or _client(remote) or remote


def _client(text: str) -> str | None:
    """An address as a client key: ``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``
    or ``2001:db8::1`` (as ``2001:db8::``, its /64); None if it is none."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


_warned = False


def _warn_if_behind_a_proxy(remote: str) -> None:
    """Production with every client at a private address is a proxy in front
    that TRUSTED_PROXIES does not name: all clients would share one limit."""
    global _warned
    if _warned or settings.DEBUG:
        return
    address = _client(remote)
    if address and ipaddress.ip_address(address).is_private:
        _warned = True
        log.warning(
            "requests come from %s, a private address: if a reverse proxy is in front, "
            "set TRUSTED_PROXIES, or every client shares one rate limit and lock-out",
            remote,
        )
