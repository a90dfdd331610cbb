import socket

import pytest


def pytest_configure(config):
    from django.conf import settings

    # Real hashing costs ~1 s per password; tests of log-in do not test the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate limits count in Redis across tests; their own tests turn them on.
    settings.GEOCASES_RATE_LIMITS = {}
    # Tests change users between requests in ways a running site does not
    # (queryset updates); the user cache has its own tests.
    settings.GEOCASES_USER_CACHE_SECONDS = 0
    # Durations kept in Redis would outlive a test's data; their own tests keep them.
    settings.GEOCASES_STATISTICS_DURATIONS_SECONDS = 0
    # The tests' keys apart from those of a site on the same Redis (make run).
    settings.CACHES = {
        name: {**cache, "KEY_PREFIX": f"test_{cache['KEY_PREFIX']}"}
        for name, cache in settings.CACHES.items()
    }


@pytest.fixture
def closed_port() -> int:
    """A local TCP port on which nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _no_kept_codes():
    """A test's categories and units are rolled back without a signal: the
    map filters' codes kept from one test must not name another's."""
    from geocases.insights.selectors import filter_codes_clear

    filter_codes_clear()


@pytest.fixture(autouse=True)
def _english_messages():
    """Service-level messages are asserted in English; pages pick their own language."""
    from django.utils import translation

    with translation.override("en"):
        yield
