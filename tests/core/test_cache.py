"""The cache backend: Django's Redis cache with its clients reused."""

from __future__ import annotations

from django.core.cache import cache, caches

from geocases.core.cache import RedisCache


def test_the_cache_is_redis_with_one_client_for_every_call():
    assert isinstance(caches["default"], RedisCache)
    client = cache._cache.get_client(write=True)
    cache.set("test-cache-reuse", {"n": 1}, 30)
    assert cache.get("test-cache-reuse") == {"n": 1}
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads use it too
    cache.delete("test-cache-reuse")
    assert cache.get("test-cache-reuse") is None


def test_a_shared_client_reconnects_after_its_connections_are_dropped():
    cache.set("test-cache-reconnect", "kept", 30)
    client = cache._cache.get_client(write=True)
    client.connection_pool.disconnect()  # as when Redis restarts
    assert cache.get("test-cache-reconnect") == "kept"
    cache.delete("test-cache-reconnect")
