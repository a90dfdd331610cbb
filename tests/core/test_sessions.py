"""Sessions are read from Redis and kept in the database too: with Redis
gone, staff stay logged in (slower), nobody is thrown out."""

import pytest
from django.test import Client, override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOWHERE = {
    "default": {
        "BACKEND": "geocases.core.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_a_session_survives_the_cache_going_away():
    client = Client()
    client.force_login(UserFactory(role="agent"))
    assert client.get("/desk/").status_code == 200
    with override_settings(CACHES=NOWHERE):
        assert client.get("/desk/").status_code == 200


def test_logging_in_works_without_the_cache():
    user = UserFactory(role="agent", username="anna")
    user.set_password("a-long-passphrase")
    user.save()
    with override_settings(CACHES=NOWHERE):
        client = Client()
        response = client.post("/login/", {"username": "anna", "password": "a-long-passphrase"})
        assert response.status_code == 302
        assert client.get("/desk/").status_code == 200


def test_a_session_is_cached_briefly_so_a_log_out_redis_missed_ends_soon():
    from django.core.cache import cache

    from geocases.core.sessions import CACHED_SECONDS, SessionStore

    client = Client()
    client.force_login(UserFactory(role="agent"))
    store = SessionStore(client.session.session_key)
    redis = cache._cache.get_client(write=True)
    ttl = redis.ttl(cache.make_key(store.cache_key))
    assert 0 < ttl <= CACHED_SECONDS
