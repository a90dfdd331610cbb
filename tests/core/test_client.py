"""The client's address: the connection's own, or the one the configured
number of trusted proxies forwarded; what the client wrote itself is ignored."""

import pytest
from django.test import RequestFactory

from geocases.core.client import client_address


def address(forwarded=None, remote="127.0.0.1"):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "127.0.0.1"),
        (0, "6.6.6.6", "127.0.0.1"),  # no proxy: a client's own header is not believed
        (0, None, "127.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the proxy appended the real one
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "127.0.0.1"),  # fewer hops than proxies: not trusted
        (1, "not-an-address", "127.0.0.1"),
        (1, "2001:db8::1", "2001:db8::"),  # IPv6: its /64, which one client gets whole
        (1, "2001:db8::1:2:3:4", "2001:db8::"),
        (1, "203.0.113.9:51234", "203.0.113.9"),  # as some load balancers write it
        (1, "[2001:db8::7]:443", "2001:db8::"),
        (1, "", "127.0.0.1"),
    ],
)
def test_the_client_is_the_entry_the_trusted_proxies_added(settings, proxies, forwarded, expected):
    settings.GEOCASES_TRUSTED_PROXIES = proxies
    assert address(forwarded) == expected
