import socket
import uuid

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
    # The tests' keys and tasks apart from those of a site on the same Redis
    # (make run): its worker would take tasks sent to its own queue.
    settings.CACHES = {
        name: {**cache, "KEY_PREFIX": f"test_{cache['KEY_PREFIX']}"}
        for name, cache in settings.CACHES.items()
    }
    from geocases.celery import app

    settings.CELERY_TASK_DEFAULT_QUEUE = f"test_{settings.CELERY_TASK_DEFAULT_QUEUE}"
    app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE


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


@pytest.fixture
def broker_down(closed_port):
    """The broker URL pointed at a closed port, then restored."""
    from geocases.celery import app

    real = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{closed_port}/0"
    _forget_connections(app)
    try:
        yield
    finally:
        app.conf.broker_url = real
        _forget_connections(app)


def _forget_connections(app) -> None:
    """Drop the pooled broker connections and the producers made on them."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker():
    """A real worker thread consuming a queue of its own on the real broker, so
    that a worker of ``make run`` on the same Redis never takes these tasks."""
    from celery.contrib.testing.worker import start_worker

    from geocases.celery import app

    queue = f"test-{uuid.uuid4().hex}"
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, queues=[queue], perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_default_queue = default_queue
